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
import functools
import http.server
import os
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import DOC_ID, copy_data
from stances import build_report
from stances._execute import execute_notebook

REPO = Path(__file__).resolve().parents[1]
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


def test_a_failed_build_leaves_the_previous_site_whole(tmp_path, monkeypatch):
    from stances import _site

    notebooks = _small_project(tmp_path / "notebooks")
    out = tmp_path / "report"
    build_report(notebooks, out, execute=False)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert (out / "networks" / "conflict.graphml").is_file()

    def fail(*args, **kwargs):
        raise RuntimeError("killed halfway")

    monkeypatch.setattr(_site, "_write_notebook_pages", fail)  # after articles and networks
    with pytest.raises(RuntimeError, match="killed halfway"):
        build_report(notebooks, out, execute=False)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "notebooks", "report"]


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
        assert "<script" not in html.lower(), f"{page.name} contains a <script> element"
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


def test_index_puts_the_verdict_first_and_pages_link_each_other(tmp_path):
    out = tmp_path / "report"
    index = build_report(_small_project(tmp_path / "notebooks"), out, execute=False)
    text = index.read_text(encoding="utf-8")

    verdict = text.index("Verdict on the article's thesis")
    assert verdict < text.index("The thesis holds for Syria and arms") < text.index("The corpus")
    assert '<a href="04_alignment.html">Alignment</a>' in text
    assert "Russia and Turkey disagree on <strong>Idlib</strong>" in text
    assert 'href="04_alignment.html"' in text and ".ipynb" not in text
    syria = (out / "01_syria.html").read_text(encoding="utf-8")
    assert '<details class="code"><summary>Show code</summary>' in syria
    assert 'href="index.html"' in syria
    assert 'rel="prev"' in syria and 'href="00_corpus.html"' in syria
    assert 'rel="next"' in syria and 'href="04_alignment.html"' in syria
    assert "<title>Syria: at odds</title>" in syria


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

    execute_notebook(source, executed_copy)
    assert source.read_bytes() == before, "the source notebook was modified"
    again = tmp_path / "again.ipynb"
    shutil.copyfile(executed_copy, again)
    execute_notebook(again, again)  # in place, as `make notebooks` does

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


def test_build_report_executes_a_copy_and_leaves_the_notebook_alone(tmp_path):
    notebook = _notebook("00_x", "Executed", "Two and two make four.", _code("print(2 + 2)"))
    notebook.metadata.kernelspec.name = _kernel_name()
    folder = _write(tmp_path / "notebooks", {"00_x": notebook})
    before = (folder / "00_x.ipynb").read_bytes()

    build_report(folder, tmp_path / "report", execute=True)

    assert (folder / "00_x.ipynb").read_bytes() == before
    assert sorted(path.name for path in folder.iterdir()) == ["00_x.ipynb"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "notebooks", "report"]
    assert "<pre>4\n</pre>" in (tmp_path / "report" / "00_x.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def committed_report(tmp_path_factory) -> Path:
    """The report built from the notebooks as committed (stored outputs, no execution)."""
    if not sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        pytest.skip(f"no notebooks yet in {NOTEBOOKS} (00_corpus.ipynb …); nothing to render")
    out = tmp_path_factory.mktemp("report")
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
    .map(e => {
      const box = e.getBoundingClientRect();
      return {width: box.width, height: box.height, html: e.outerHTML.slice(0, 80),
              decoded: e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0)};
    });
  return {ids, links, figures};
}"""


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for every browser test of this module (a launch costs a second)."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def check_in_browser(browser, folder: Path, screenshot: Path | None = None) -> list[str]:
    """Open every page of ``folder`` in ``browser`` (a fresh context); return every problem found."""
    pages = sorted(path.name for path in folder.glob("*.html"))
    problems: list[str] = []
    facts: dict[str, dict] = {}
    with _serve(folder) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      service_workers="block")

        def only_local(route):
            url = route.request.url
            if urlsplit(url).hostname in LOCAL_HOSTS:
                route.continue_()
            else:
                problems.append(f"request to another host: {url}")
                route.abort()

        context.route("**/*", only_local)
        for name in pages:
            page = context.new_page()
            page.on("console", lambda message, name=name: message.type == "error"
                    and problems.append(f"{name}: console error: {message.text}"))
            page.on("pageerror", lambda error, name=name:
                    problems.append(f"{name}: page error: {error}"))
            page.on("requestfailed", lambda request, name=name: problems.append(
                f"{name}: request failed: {request.url} ({request.failure})"))
            response = page.goto(base + name, wait_until="load")
            if response is None or not response.ok:
                problems.append(f"{name}: HTTP {response and response.status}")
            facts[name] = page.evaluate(PAGE_FACTS)
            if name == "index.html" and screenshot is not None:
                page.screenshot(path=str(screenshot), full_page=True)
            page.close()
        context.close()

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


def test_small_report_in_chromium(chromium, tmp_path):
    """The checks themselves, on a report that exists before the real notebooks do."""
    out = tmp_path / "report"
    build_report(_small_project(tmp_path / "notebooks"), out, execute=False)
    assert check_in_browser(chromium, out) == []


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


def test_committed_report_in_chromium(chromium, committed_report):
    screenshot = committed_report / "index.png"
    problems = check_in_browser(chromium, committed_report, screenshot=screenshot)
    png = screenshot.read_bytes()
    assert png.startswith(b"\x89PNG"), "no screenshot of the index"
    assert problems == [], "\n".join(problems)
