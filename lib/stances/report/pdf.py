"""The built report as one PDF: every page printed by headless Chromium (the system's, as the
browser tests use it) with the report's print stylesheet, folded sections opened (code stays
folded), the pages joined in reading order: the front page, the notebooks, the articles.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from stances import files

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
OPEN_FOLDS = "() => document.querySelectorAll('details:not(.code)').forEach(d => { d.open = true; })"


def page_order(report_dir: Path) -> list[Path]:
    """The report's pages as a reader goes through them."""
    report_dir = Path(report_dir)
    return ([report_dir / "index.html"] + sorted(report_dir.glob("[0-9][0-9]_*.html"))
            + sorted(report_dir.glob("article_*.html")))


def _print_pages(browser, pages: list[Path], writer) -> None:
    for path in pages:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(path.resolve().as_uri(), wait_until="load", timeout=120_000)  # a busy machine
        page.evaluate(OPEN_FOLDS)
        page.emulate_media(media="print")
        writer.append(io.BytesIO(page.pdf(format="A4", print_background=True, margin={
            "top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"})))
        page.close()


def write_pdf(report_dir: Path, out: Path, chromium: str | None = None, browser=None) -> Path:
    """Print every page of ``report_dir`` into the one PDF ``out`` (written whole or not at all),
    in ``browser`` (a Playwright browser already running) or a headless ``chromium`` it starts."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    pages = [page for page in page_order(report_dir) if page.is_file()]
    if not pages or pages[0].name != "index.html":
        raise FileNotFoundError(f"{report_dir}: no built report here (no index.html); run `make report`")
    executable = chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None and browser is None:
        raise FileNotFoundError("chromium not found: install it (Debian: apt-get install chromium)")
    writer = PdfWriter()
    if browser is not None:
        _print_pages(browser, pages, writer)
    else:
        with sync_playwright() as playwright:
            started = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                _print_pages(started, pages, writer)
            finally:
                started.close()
    out, pdf = Path(out), io.BytesIO()
    out.parent.mkdir(parents=True, exist_ok=True)
    writer.write(pdf)
    files.write_bytes(out, pdf.getvalue())  # the one writer: the whole PDF or the old file
    return out
