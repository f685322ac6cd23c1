"""The HTML report: built from the notebooks, opened in a real (headless) Chromium.

A page passes when it loads with no console error, no failed request and no request to
any host but 127.0.0.1 (the report must work offline and leak nothing), every link
between pages lands on an existing page and anchor, and every figure has a size.

The browser tests drive the system Chromium (``apt-get install chromium``) through
Playwright; they are skipped without it, except under CI, where they fail.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import http.server
import json
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import DOC_ID, copy_data, set_cell
from stances import build_report
from stances.report.execute import execute_notebooks

pytestmark = pytest.mark.browser  # the browser tier: `make test` runs it, `make test-fast` does not

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = "<script>alert(1)</script>"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="120" viewBox="0 0 240 120">'
    '<rect x="10" y="10" width="220" height="100" fill="#E69F00"/></svg>'
)


# --------------------------------------------------------------------------- notebooks to render


def _notebook(stem: str, title: str, findings: str, *cells) -> nbformat.NotebookNode:
    notebook = new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    )
    notebook.cells = [new_markdown_cell(f"# {title}\n\nThe question this notebook answers."),
                      *cells, new_markdown_cell(f"## What we found\n\n{findings}")]
    for i, cell in enumerate(notebook.cells):
        cell.id = f"{stem[:2]}-{i}"
    return notebook


def _code(source: str, *outputs, count: int = 1):
    return new_code_cell(source, outputs=list(outputs), execution_count=count)


def _write(folder: Path, notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    """Write the notebooks into ``folder``, next to a copy of the study's data (``../data``)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder.parent / "data").exists():
        copy_data(folder.parent)
    for stem, notebook in notebooks.items():
        nbformat.write(notebook, folder / f"{stem}.ipynb")
    return folder


def _small_project(folder: Path) -> Path:
    """Three stored-output notebooks with a figure, a table and cross-links; no kernel needed."""
    figure = new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<Figure>"})
    table = new_output(
        "execute_result",
        data={"text/html": "<table><tr><th>speaker</th><td>erdogan</td></tr></table>",
              "text/plain": "speaker erdogan"},
        execution_count=2,
    )
    return _write(folder, {
        "00_corpus": _notebook(
            "00_corpus", "The corpus", "60 statements; see [the verdict](04_alignment.ipynb).",
            _code("plot()", figure), _code("statements.head()", table, count=2)),
        "01_syria": _notebook(
            "01_syria", "Syria: at odds", "Russia and Turkey disagree on **Idlib** (4 of 5 claims).",
            new_markdown_cell("Back to [the corpus](00_corpus.ipynb#What-we-found)."),
            _code("print('ok')", new_output("stream", name="stdout", text="ok\n"))),
        "04_alignment": _notebook(
            "04_alignment", "Alignment", "The thesis holds for Syria and arms, not for NATO.",
            _code("plot()", figure)),
    })


def test_a_failed_build_leaves_the_previous_site_whole(small_report, tmp_path, monkeypatch):
    from stances.report import site as _site

    notebooks = small_report.parents[1] / "notebooks"
    out = Path(shutil.copytree(small_report.parent, tmp_path / "report"))  # a previous build's site
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert (out / "networks" / "conflict.graphml").is_file()

    def fail(*args, **kwargs):
        raise RuntimeError("killed halfway")

    monkeypatch.setattr(_site, "_write_notebook_pages", fail)  # after articles and networks
    from stances.report.cache import Provenance

    with pytest.raises(RuntimeError, match="killed halfway"):  # another version: not up to date
        build_report(notebooks, out, execute=False, provenance=Provenance("another"))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no staging folder left


# --------------------------------------------------------------------------- static checks


class _Tags(HTMLParser):
    """Collect (tag, attributes) of every start tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


REMOTE_LOADING = {"script": ("src",), "link": ("href",), "img": ("src", "srcset"),
                  "iframe": ("src",), "source": ("src", "srcset"), "embed": ("src",),
                  "object": ("data",), "image": ("href", "xlink:href"),
                  "video": ("src", "poster"), "audio": ("src",)}


def remote_references(page: Path) -> list[str]:
    """Every script/link/img/… attribute in ``page`` that would load from the network."""
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    found = []
    for tag, attrs in parser.tags:
        for name in REMOTE_LOADING.get(tag, ()):
            value = attrs.get(name, "").strip().lower()
            if "http://" in value or "https://" in value or value.startswith("//"):
                found.append(f"{page.name}: <{tag} {name}={attrs[name]!r}>")
    return found


def test_untrusted_text_is_escaped_and_nothing_loads_from_the_network(tmp_path):
    notebooks = _write(tmp_path / "notebooks", {
        "00_intro": _notebook(
            "00_intro", f"Intro {XSS}", f"Found {XSS} and <b onclick=alert(2)>bold</b>.",
            new_markdown_cell(f'Raw HTML: {XSS} <img src="https://example.org/x.png">'),
            _code("print(x)", new_output("stream", name="stdout", text=f"{XSS}\n")),
            _code("html(x)", new_output("display_data", data={
                "text/html": f'<link rel="stylesheet" href="https://cdn.example/x.css">{XSS}'
                             '<style>@import url("https://cdn.example/y.css");</style>'
                             '<div style="background: url(//cdn.example/z.png)">styled</div>'
                             '<img src="http://example.org/y.png" onerror="alert(3)">',
                "text/plain": "x"})),
            _code("md(x)", new_output("display_data", data={"text/markdown": f"**md** {XSS}"})),
            _code("js()", new_output("display_data", data={
                "application/javascript": "alert(5)", "text/plain": "js"}))),
        "04_alignment": _notebook("04_alignment", "Alignment", "The verdict."),
    })
    out = tmp_path / "report"
    index = build_report(notebooks, out, execute=False)

    text = index.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Intro &lt;script&gt;alert(1)&lt;/script&gt;" in text  # the title, as text
    pages = sorted(out.glob("*.html"))
    assert [page.name for page in pages] == ["00_intro.html", "04_alignment.html",
                                             f"article_{DOC_ID}.html", "index.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert foreign_scripts(html) == [], f"{page.name} contains a <script> element not the report's own"
        parser = _Tags()
        parser.feed(html)
        handlers = [(tag, name) for tag, attrs in parser.tags for name in attrs
                    if name.startswith("on")]
        assert handlers == [], f"{page.name} has event handlers"
        assert "alert(5)" not in html, f"{page.name} rendered a JavaScript output"
        assert remote_references(page) == []
        assert "url(https:" not in html and 'url("https:' not in html and "url(//" not in html
    notebook_page = (out / "00_intro.html").read_text(encoding="utf-8")
    assert notebook_page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4
    for loader in ("require.js", "mathjax", "mermaid", "jupyter-widgets", "cdn.jsdelivr", "unpkg"):
        assert loader not in notebook_page.lower(), f"{loader} is referenced"


@pytest.fixture(scope="module")
def small_report(tmp_path_factory) -> Path:
    """``index.html`` of the report of ``_small_project``, built once for the tests that read it."""
    root = tmp_path_factory.mktemp("small")
    return build_report(_small_project(root / "notebooks"), root / "report", execute=False)


def test_index_puts_the_verdict_first_and_pages_link_each_other(small_report):
    index, out = small_report, small_report.parent
    text = index.read_text(encoding="utf-8")

    verdict = text.index("Verdict on the article's thesis")
    assert verdict < text.index("The thesis holds for Syria and arms") < text.index("The corpus")
    assert '<a href="04_alignment.html">Alignment</a>' in text
    assert "Russia and Turkey disagree on <strong>Idlib</strong>" in text
    assert 'href="04_alignment.html"' in text
    import re as regex  # a notebook's .ipynb is linked only as its download, never for a fact
    assert sorted(set(regex.findall(r'href="([^"]*\.ipynb[^"]*)"', text))) == [
        "notebooks/00_corpus.ipynb", "notebooks/01_syria.ipynb", "notebooks/04_alignment.ipynb"]
    syria = (out / "01_syria.html").read_text(encoding="utf-8")
    assert '<details class="code"><summary>Show code</summary>' in syria
    assert 'href="index.html"' in syria
    assert 'rel="prev"' in syria and 'href="00_corpus.html"' in syria
    assert 'rel="next"' in syria and 'href="04_alignment.html"' in syria
    assert "<title>Syria: at odds</title>" in syria


OWN_SCRIPTS = {"search-index.js", "search.js", "article.js"}  # files the build writes beside the pages


def foreign_scripts(html: str) -> list[str]:
    """Every <script> of ``html`` but an empty one that loads one of the report's own files."""
    import re as regex

    found = []
    for match in regex.finditer(r"<script\b([^>]*)>(.*?)</script>", html, regex.IGNORECASE | regex.DOTALL):
        source = regex.search(r'\bsrc="([^"]*)"', match.group(1))
        if not (source and source.group(1) in OWN_SCRIPTS and not match.group(2).strip()):
            found.append(match.group(0)[:80])
    return found


def test_committed_report_loads_nothing_from_the_network(committed_report):
    assert [ref for page in committed_report.glob("*.html") for ref in remote_references(page)] == []


# --------------------------------------------------------------------------- execution


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    for name in ("sochi-stances", "python3"):
        if name in specs:
            return name
    pytest.skip("no Jupyter kernel installed (run `make` to register sochi-stances)")


@pytest.mark.notebooks  # starts a kernel
def test_execute_notebook_is_byte_for_byte_repeatable(tmp_path):
    notebook = new_notebook(metadata={"kernelspec": {
        "name": _kernel_name(), "display_name": "Python", "language": "python"}})
    notebook.cells = [
        new_markdown_cell("# Repeatable"),
        new_code_cell(f"import os\nprint(os.getcwd() == {str(tmp_path.resolve())!r})"),
        new_code_cell("   ", execution_count=7, outputs=[new_output("stream", text="stale\n")]),
        new_code_cell("6 * 7", execution_count=12),
    ]
    for i, cell in enumerate(notebook.cells):
        cell.id = f"cell-{i}"
    source = tmp_path / "n.ipynb"
    nbformat.write(notebook, source)
    before = source.read_bytes()
    executed_copy = tmp_path / "out" / "n.ipynb"

    execute_notebooks([(source, executed_copy)], workers=1)
    assert source.read_bytes() == before, "the source notebook was modified"
    again = tmp_path / "again.ipynb"
    shutil.copyfile(executed_copy, again)
    execute_notebooks([(again, again)], workers=1)  # in place, as `make notebooks` does

    assert again.read_bytes() == executed_copy.read_bytes()
    assert again.read_bytes().endswith(b"}\n")
    executed = nbformat.read(again, as_version=4)
    code = [cell for cell in executed["cells"] if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code] == [1, None, 2]
    assert code[0]["outputs"][0]["text"] == "True\n"  # runs in the notebook's own folder
    assert code[1]["outputs"] == []
    assert code[2]["outputs"][0]["data"]["text/plain"] == "42"
    assert code[2]["outputs"][0]["execution_count"] == 2
    assert all("execution" not in cell["metadata"] for cell in executed["cells"])


@pytest.mark.notebooks  # starts a kernel
def test_build_report_executes_a_copy_and_leaves_the_notebook_alone(tmp_path):
    notebook = _notebook("00_x", "Executed", "Two and two make four.", _code("print(2 + 2)"))
    notebook.metadata.kernelspec.name = _kernel_name()
    folder = _write(tmp_path / "notebooks", {"00_x": notebook})
    set_cell(tmp_path / "data" / "study.csv", "study_id", "sochi_2021", "thesis_notebook", "00_x")
    before = (folder / "00_x.ipynb").read_bytes()

    build_report(folder, tmp_path / "report", execute=True)

    assert (folder / "00_x.ipynb").read_bytes() == before
    assert sorted(path.name for path in folder.iterdir()) == ["00_x.ipynb"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "notebooks", "report"]
    assert "<pre>4\n</pre>" in (tmp_path / "report" / "00_x.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def committed_report(tmp_path_factory) -> Path:
    """The report built from the notebooks as committed (stored outputs, no execution), once per
    test run: the first worker to ask builds it, the others (and test_report_reader.py, which
    imports this fixture) wait for it and read the same folder. Tests only read it."""
    if not sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        pytest.skip(f"no notebooks yet in {NOTEBOOKS} (00_corpus.ipynb …); nothing to render")
    shared = tmp_path_factory.getbasetemp()  # under xdist, each worker's is a folder of the run's
    shared = shared.parent if os.environ.get("PYTEST_XDIST_WORKER") else shared
    out = shared / "committed_report"
    with open(shared / "committed_report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (out / "index.html").is_file():
            build_report(NOTEBOOKS, out, execute=False)
    return out


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
        reason = "playwright (Python) is not installed: pip install -r requirements.txt"
    else:
        reason = ("chromium not found: install it with `apt-get install chromium` (Debian) or "
                  "`apt-get install chromium-browser` (Ubuntu); the browser tests drive the "
                  "system Chromium, never one downloaded by `playwright install`")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser check is required: {reason}")
        pytest.skip(reason)
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextlib.contextmanager
def _serve(folder: Path):
    """Serve ``folder`` on http://127.0.0.1:<ephemeral port>/ from a background thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


PAGE_FACTS = """() => {
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id)
    .concat([...document.querySelectorAll('a[name]')].map(e => e.getAttribute('name')));
  const links = [...document.querySelectorAll('a[href]')]
    .map(a => ({raw: a.getAttribute('href'), url: a.href}));
  const figures = [...document.querySelectorAll('img, svg')]
    .filter(e => !(e.parentElement && e.parentElement.closest('svg')))
    .filter(e => !e.closest('details:not([open])'))
    .filter(e => getComputedStyle(e).display !== 'none')  // a figure for another screen width
    .map(e => {
      const box = e.getBoundingClientRect();
      return {width: box.width, height: box.height, html: e.outerHTML.slice(0, 80),
              decoded: e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0)};
    });
  return {ids, links, figures};
}"""


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for every browser test (a launch costs a second)."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _watch(page, name: str, problems: list[str]) -> None:
    """Record every console error, page error and failed request of ``page`` (named ``name``)."""
    page.on("console", lambda message: message.type == "error"
            and problems.append(f"{name}: console error: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"{name}: page error: {error}"))
    page.on("requestfailed", lambda request: problems.append(
        f"{name}: request failed: {request.url} ({request.failure})"))


def _open(context, base: str, name: str, problems: list[str]):
    page = context.new_page()
    _watch(page, name, problems)
    response = page.goto(base + name, wait_until="load")
    if response is None or not response.ok:
        problems.append(f"{name}: HTTP {response and response.status}")
    return page


def _pages(folder: Path) -> list[str]:
    """The names of the report's pages in ``folder``."""
    return sorted(path.name for path in folder.glob("*.html"))


def check_in_browser(browser, folder: Path) -> list[str]:
    """Open every page of ``folder`` in ``browser`` (a fresh context); return every problem found."""
    problems: list[str] = []
    facts: dict[str, dict] = {}
    with _serve(folder) as base:
        context = browser_context(browser, problems)
        for name in _pages(folder):
            page = _open(context, base, name, problems)
            facts[name] = page.evaluate(PAGE_FACTS)
            page.close()
        context.close()
    return problems + _site_problems(facts, base, folder)


def _site_problems(facts: dict[str, dict], base: str, folder: Path) -> list[str]:
    """Figures drawn at no size and links to no page or anchor, from each page's ``PAGE_FACTS``."""
    problems = []
    for name, found in facts.items():
        for figure in found["figures"]:
            if not (figure["width"] > 0 and figure["height"] > 0 and figure["decoded"]):
                problems.append(f"{name}: figure not rendered "
                                f"({figure['width']}x{figure['height']}): {figure['html']}")
        for link in found["links"]:
            problems.extend(_check_link(name, link, base, folder, facts))
    return problems


def _check_link(name: str, link: dict, base: str, folder: Path, facts: dict) -> list[str]:
    url = urlsplit(link["url"])
    if url.scheme in ("http", "https") and url.hostname not in LOCAL_HOSTS:
        return []  # a citation the reader may follow; the browser never fetched it
    if url.scheme == "mailto":
        return []
    if not link["url"].startswith(base):
        return [f"{name}: link {link['raw']!r} has an unexpected scheme"]
    target = unquote(url.path[len(urlsplit(base).path):]) or "index.html"
    if not (folder / target).is_file():
        return [f"{name}: link {link['raw']!r} points to a missing page {target}"]
    if url.fragment and target.endswith(".html"):
        ids = facts.get(target, {}).get("ids", [])
        if url.fragment not in ids and unquote(url.fragment) not in ids:
            return [f"{name}: link {link['raw']!r}: no element with id {url.fragment!r} in {target}"]
    return []


def test_small_report_in_chromium(chromium, small_report):
    """The checks themselves, on a report that exists before the real notebooks do."""
    assert check_in_browser(chromium, small_report.parent) == []


def test_browser_check_catches_a_broken_page(chromium, tmp_path):
    """The checker must see what it is there to see, or its silence means nothing."""
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html><head><link rel="icon" href="data:,">'
        '<script src="https://cdn.example.org/lib.js"></script></head><body>'
        '<a href="missing.html">a</a> <a href="index.html#nowhere">b</a>'
        '<img src="data:image/svg+xml;base64,' + base64.b64encode(SVG.encode()).decode() + '">'
        '<img src="absent.png"><svg width="0" height="0"></svg>'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    problems = "\n".join(check_in_browser(chromium, tmp_path))
    for expected in ("request to another host: https://cdn.example.org/lib.js", "console error: boom",
                     "page error", "absent.png", "missing page missing.html",
                     "no element with id 'nowhere'", "figure not rendered (0x0)"):
        assert expected in problems, f"missed {expected!r} in:\n{problems}"
    assert problems.count("figure not rendered") == 2, problems


def test_committed_report_in_chromium(reader, committed_report):
    """``check_in_browser`` on every page, through the pages ``reader`` keeps open for the tests
    below (each page is loaded once)."""
    facts = {name: reader(name).evaluate(PAGE_FACTS) for name in _pages(committed_report)}
    problems = reader.problems + _site_problems(facts, reader.base, committed_report)
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------- the reader's product

SCREENSHOTS = {"index.html": "screenshot_front_page.png",
               f"article_{DOC_ID}.html": "screenshot_article.png"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PLACEHOLDER_ALTS = ("carries no description", "no description given", "No description has been provided")


@pytest.fixture(scope="module")
def reader(chromium, committed_report):
    """A served copy of the committed report and a way to open its pages in Chromium: a page
    opened for reading only is loaded once and shared; ``fresh=True`` (for clicks) loads anew."""
    problems: list[str] = []  # as check_in_browser finds them
    with _serve(committed_report) as base:
        context = browser_context(chromium, problems)
        shared = {}

        def open_page(name: str, fresh: bool = False):
            if not fresh and name in shared:
                return shared[name]
            page = _open(context, base, name, problems)
            if not fresh:
                shared[name] = page
            return page

        open_page.base, open_page.problems = base, problems
        try:
            yield open_page
        finally:
            context.close()


def browser_context(browser, problems: list[str] | None = None):
    """A desktop-sized context that loads only from this machine; with ``problems``, each request
    to another host is listed there."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def only_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            return route.continue_()
        if problems is not None:
            problems.append(f"request to another host: {route.request.url}")
        route.abort()

    context.route("**/*", only_local)
    return context


IN_VIEW = """(id) => { const e = document.getElementById(id); if (!e) return false;
  const target = e.tagName === 'SPAN' && !e.textContent ? e.nextElementSibling || e : e;
  const box = target.getBoundingClientRect();
  return box.bottom > 0 && box.top < window.innerHeight; }"""


def test_front_page_opens_with_a_figure_then_the_glance_verdict_and_robustness(reader, committed_report):
    page = reader("index.html")
    figure = page.locator("figure.headline img.wide")
    assert figure.count() == 1 and figure.is_visible()
    assert page.evaluate("() => document.querySelector('figure.headline img.wide').naturalWidth") > 0
    alt = figure.get_attribute("alt")
    assert alt and len(alt) > 40 and "alignment" in alt.lower()
    order = page.evaluate("""() => ['headline', 'glance', 'verdict', 'robustness', 'findings', 'downloads']
        .map(id => { const e = document.getElementById(id);
                     return e ? e.getBoundingClientRect().top + window.scrollY : null; })""")
    assert None not in order and order == sorted(order), order
    glance = page.locator("#glance").inner_text()
    assert "Who speaks" in glance and "not in the text" in glance
    rows = page.locator("table.robustness tbody tr")
    import stances

    corpus = stances.load(REPO / "data")
    assert rows.count() == len(corpus.study.parts)
    for text in rows.all_inner_texts():
        assert "holds under every variant" in text or "changes under" in text


def test_clicking_a_span_scrolls_to_its_row_and_back(reader):
    page = reader(f"article_{DOC_ID}.html", fresh=True)
    links = page.locator(".stance-article mark a[href^='#row-']")
    assert links.count() > 50
    for index in (0, links.count() // 2, links.count() - 1):
        link = links.nth(index)
        row_id = link.get_attribute("href")[1:]
        link.click()
        page.wait_for_function(f"location.hash === '#{row_id}'")
        assert page.evaluate(IN_VIEW, row_id), f"row {row_id} is not in view after clicking its span"
        item = row_id.removeprefix("row-")
        back = page.locator(f"tr#{row_id} td:first-child a")
        assert back.get_attribute("href") == f"#at-{item}"
        back.click()
        page.wait_for_function(f"location.hash === '#at-{item}'")
        assert page.evaluate(IN_VIEW, f"at-{item}"), f"span of {item} is not in view after clicking its row"


def test_every_statement_and_relation_has_a_span_and_a_row(reader):
    import stances

    corpus = stances.load(REPO / "data")
    page = reader(f"article_{DOC_ID}.html")
    found = page.evaluate("""() => ({
        rows: [...document.querySelectorAll('tbody tr[id^="row-"]')].map(r => r.id.slice(4)),
        spans: [...document.querySelectorAll('span.at[id^="at-"]')].map(s => s.id.slice(3)),
        marked: [...document.querySelectorAll('mark')].flatMap(m =>
            (m.dataset.statements + ',' + m.dataset.relations).split(',').filter(Boolean))})""")
    items = {*corpus.statements["statement_id"], *corpus.relations["relation_id"]}
    assert set(found["rows"]) == items and len(found["rows"]) == len(items)
    assert set(found["spans"]) == items and set(found["marked"]) == items


def test_no_tooltip_holds_markup_and_each_lists_its_statements_one_per_line(reader):
    page = reader(f"article_{DOC_ID}.html")
    tips = page.evaluate("""() => [...document.querySelectorAll('.stance-article mark')].map(m => ({
        title: m.querySelector('[title]').getAttribute('title'),
        ids: (m.dataset.statements + ',' + m.dataset.relations).split(',').filter(Boolean)}))""")
    assert len(tips) > 50
    for tip in tips:
        assert "<" not in tip["title"] and ">" not in tip["title"], tip["title"]
        lines = tip["title"].split("\n")
        assert [line.split(":", 1)[0] for line in lines] == tip["ids"], tip


HIDDEN_TABLES = """() => [...document.querySelectorAll('table')].filter(table => {
    const right = table.getBoundingClientRect().right;
    for (let e = table.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return false;
      if ((overflow === 'hidden' || overflow === 'clip') && right > e.getBoundingClientRect().right + 1)
        return true;
    }
    return right > document.documentElement.clientWidth + 1; })
  .map(t => t.className || t.outerHTML.slice(0, 60))"""


def test_no_table_cell_is_cut_off(reader, committed_report):
    for name in _pages(committed_report):
        page = reader(name)
        cut = page.evaluate("""() => [...document.querySelectorAll('td, th')]
            .map(c => c.innerText.trim()).filter(t => t.endsWith('…') || t.endsWith('...'))""")
        assert cut == [], f"{name}: cells cut off: {cut[:3]}"
        clipped = page.evaluate("""() => [...document.querySelectorAll('td, th')].filter(c => {
            const s = getComputedStyle(c);
            return s.textOverflow === 'ellipsis' && c.scrollWidth > c.clientWidth + 1; }).length""")
        assert clipped == 0, f"{name}: {clipped} cells clipped with an ellipsis"
        hidden = page.evaluate(HIDDEN_TABLES)
        assert hidden == [], f"{name}: tables cut off by a container that does not scroll: {hidden}"
    criticism = reader("06_source_criticism.html")
    addresses = criticism.evaluate("""() => [...document.querySelectorAll('td')]
        .filter(c => /^https?:\\/\\/\\S+$/.test(c.innerText.trim()))
        .map(c => !!c.querySelector('a[href^="http"]'))""")
    assert addresses and all(addresses), "every web address in a cell is a link"


def test_every_figure_has_a_text_alternative(reader, committed_report):
    for name in _pages(committed_report):
        page = reader(name)
        figures = page.evaluate("""() => [...document.querySelectorAll('img, svg')]
            .filter(e => !(e.parentElement && e.parentElement.closest('svg')))
            .map(e => ({tag: e.tagName, alt: e.tagName === 'IMG' ? e.getAttribute('alt')
                        : (e.getAttribute('aria-label')
                           || (e.querySelector(':scope > title') || {}).textContent),
                        hidden: e.getAttribute('aria-hidden') === 'true'}))""")
        for figure in figures:
            if figure["hidden"]:
                continue
            assert figure["alt"] and len(figure["alt"].strip()) > 20, f"{name}: {figure}"
            assert not any(p in figure["alt"] for p in PLACEHOLDER_ALTS), \
                f"{name}: a figure says nothing of itself: {figure['alt']!r}"
    for svg in sorted((committed_report / "figures").glob("*.svg")):
        assert "<title>" in svg.read_text(encoding="utf-8"), f"{svg.name} has no <title>"


def test_every_download_link_resolves(reader, committed_report):
    page = reader("index.html")
    links = page.evaluate("""() => [...document.querySelectorAll('#downloads a[href], figure a[href]')]
        .map(a => a.href)""")
    kinds = {urlsplit(link).path.rsplit(".", 1)[-1] for link in links}
    assert {"svg", "graphml", "zip", "json"} <= kinds, kinds
    for link in links:
        response = page.request.get(link)
        assert response.ok, f"{link}: HTTP {response.status}"
        body = response.body()
        suffix = urlsplit(link).path.rsplit(".", 1)[-1]
        assert body, f"{link} is empty"
        if suffix == "svg":
            assert b"<svg" in body and b"<title>" in body
        elif suffix == "png":
            assert body.startswith(b"\x89PNG")
        elif suffix == "zip":
            assert body.startswith(b"PK")
        elif suffix == "graphml":
            assert b"<graphml" in body
        elif suffix == "json":
            assert json.loads(body)
    figure_links = [link for link in links if "/figures/" in link]
    assert len(figure_links) >= len(list((committed_report / "figures").glob("*.svg")))


@pytest.mark.parametrize("name", ["index.html", f"article_{DOC_ID}.html", "06_source_criticism.html"])
def test_axe_finds_no_accessibility_violation(reader, name):
    from axe_playwright_python.sync_playwright import Axe

    page = reader(name)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                       "resultTypes": ["violations"]})
    violations = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
                  for v in results.response["violations"]]
    assert violations == [], f"{name}:\n" + "\n".join(violations)


def test_axe_sees_what_it_is_there_to_see(chromium, tmp_path):
    """Low contrast and tiny type on a page axe has not seen before are found."""
    from axe_playwright_python.sync_playwright import Axe

    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
        '<p style="color:#bbb;background:#fff">faint text</p><img src="data:,x"></main></body></html>',
        encoding="utf-8")
    with _serve(tmp_path) as base:
        context = browser_context(chromium)
        page = context.new_page()
        page.goto(base + "index.html")
        found = {v["id"] for v in Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
                 .response["violations"]}
        context.close()
    assert {"color-contrast", "image-alt"} <= found, found


def test_screenshots_of_the_front_page_and_the_article(reader, tmp_path):
    """Written into ``report/`` when that holds a built report (the shared built site is only read)."""
    written = []
    for name, png in SCREENSHOTS.items():
        page = reader(name)
        path = tmp_path / png
        page.screenshot(path=str(path), full_page=True)
        assert path.read_bytes().startswith(b"\x89PNG")
        written.append(path)
    if (REPO / "report" / "index.html").is_file():
        for path in written:
            shutil.copyfile(path, REPO / "report" / path.name)


# --------------------------------------------------------------------------- the fact-check, published


def test_claim_reviews_are_published_as_a_file_and_as_json_ld(committed_report):
    import re as regex

    import stances

    corpus = stances.load(REPO / "data")
    records = json.loads((committed_report / "claimreview.json").read_text(encoding="utf-8"))
    assert len(records) == len(corpus.factchecks)
    text = "".join(corpus.texts.values())
    for record in records:
        assert record["@type"] == "ClaimReview"
        assert record["claimReviewed"] in text
        assert record["author"]["name"]
    pages = {p.name: p.read_text(encoding="utf-8") for p in committed_report.glob("*.html")}
    holders = {name for name, html in pages.items() if "application/ld+json" in html}
    assert len(holders) == 1, holders
    (holder,) = holders
    assert "ClaimReview" in holder or "fact" in pages[holder].lower()
    block = regex.search(r'<script type="application/ld\+json">(.*?)</script>', pages[holder], regex.DOTALL)
    assert json.loads(block.group(1)) == records
    other_scripts = [name for name, html in pages.items()
                     if [tag for tag in foreign_scripts(html) if "application/ld+json" not in tag]]
    assert other_scripts == [], "a page holds a script other than the search box's and the article's"


def test_filters_show_only_the_chosen_statements_without_a_script(reader):
    import stances

    corpus = stances.load(REPO / "data")
    page = reader(f"article_{DOC_ID}.html", fresh=True)
    speaker = corpus.statements["speaker"].value_counts().index[-1]
    page.check(f"#f-speaker-{speaker}")
    page.check("#f-stance-support")
    shown = page.evaluate("""() => [...document.querySelectorAll('table.statements tbody tr')]
        .filter(r => r.offsetParent !== null).map(r => r.id.slice(4))""")
    chosen = corpus.statements[(corpus.statements["speaker"] == speaker)
                               & (corpus.statements["stance"] == "support")]
    assert shown == chosen["statement_id"].tolist()
    faded = page.evaluate("""(speaker) => [...document.querySelectorAll('.stance-article mark')]
        .filter(m => !(m.dataset.speaker || '').split(' ').includes(speaker))
        .every(m => getComputedStyle(m).backgroundColor === 'rgba(0, 0, 0, 0)')""", speaker)
    assert faded, "spans with no statement by the chosen speaker fade"
    page.check("#f-speaker")
    page.check("#f-stance")
    assert page.evaluate("""() => [...document.querySelectorAll('table.statements tbody tr')]
        .every(r => r.offsetParent !== null)""")
