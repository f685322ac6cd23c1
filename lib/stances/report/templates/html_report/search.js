(() => {
  const box = document.getElementById('report-search'), list = document.getElementById('report-search-results');
  if (!box || !list || !window.STANCES_SEARCH) return;
  const fold = s => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const entries = window.STANCES_SEARCH.map(e => Object.assign({folded: fold(e.title + ' ' + e.text)}, e));
  const show = () => {
    const words = fold(box.value).split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) { list.hidden = true; return; }
    const found = entries.filter(e => words.every(w => e.folded.includes(w)));
    list.hidden = false;
    if (!found.length) { const li = document.createElement('li'); li.textContent = 'Nothing in the report matches.'; list.append(li); return; }
    for (const e of found.slice(0, 25)) {
      const li = document.createElement('li'), a = document.createElement('a');
      a.href = e.page + (e.anchor ? '#' + e.anchor : ''); a.textContent = e.title;
      const at = fold(e.text).indexOf(words[0]), start = Math.max(0, at - 60);
      const small = document.createElement('small');
      small.textContent = ' ' + (start ? '…' : '') + e.text.slice(start, start + 160) + '…';
      li.append(a, small); list.append(li);
    }
    if (found.length > 25) { const li = document.createElement('li'); li.textContent = `and ${found.length - 25} more; add a word`; list.append(li); }
  };
  box.addEventListener('input', show);
})();
