// The article page's table tools (stances.report.site copies this file beside the page): a
// free-text search over the statements and relations, a sort, and a message when no statement
// matches. The filters above work without it (CSS); this only adds to them.
(() => {
  const search = document.getElementById('statement-search'), sort = document.getElementById('statement-sort');
  const none = document.getElementById('no-match'), form = document.querySelector('form.filters');
  const body = document.querySelector('table.statements tbody');
  if (!search || !sort || !none || !body) return;
  const rows = [...body.rows], relations = [...document.querySelectorAll('table.relations tbody tr')];
  rows.forEach((row, i) => { row.dataset.order = i; });
  const fold = s => s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const update = () => {
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    for (const row of [...rows, ...relations]) {
      const text = fold(row.textContent);
      row.hidden = !words.every(w => text.includes(w));
    }
    const shown = rows.filter(row => getComputedStyle(row).display !== 'none').length;
    none.hidden = shown > 0;
  };
  const order = () => {
    const column = sort.value;
    const key = row => column === '' ? Number(row.dataset.order)
      : (row.querySelector(`td[data-label="${column}"]`) || {textContent: ''}).textContent.trim().toLowerCase();
    const sorted = [...rows].sort((a, b) => {
      const x = key(a), y = key(b);
      return typeof x === 'number' ? x - y : x.localeCompare(y) || Number(a.dataset.order) - Number(b.dataset.order);
    });
    body.append(...sorted);
  };
  search.addEventListener('input', update);
  sort.addEventListener('change', order);
  if (form) form.addEventListener('change', update);
  update();
})();
