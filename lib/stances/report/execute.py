"""Execute a notebook reproducibly, so that committed outputs can be checked byte for byte.

Re-running a notebook whose outputs are deterministic must not change a byte of the file:
that is what lets ``git status`` stay clean after ``make notebooks`` and lets nbval
compare stored outputs. So nothing run-dependent is written: no cell timing
(``record_timing=False``), execution counts numbered 1, 2, 3 … over the cells that
ran, and the JSON written the way Jupyter itself writes it (``nbformat.write``:
indent 1, sorted keys, trailing newline).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from traitlets.config import Config

from stances import files


def execute_notebooks(pairs: list[tuple[Path, Path]], workers: int | None = None,
                      timeout: int = 600) -> None:
    """Run every cell of each ``src`` in a fresh kernel and write the executed notebook to its
    ``dst``, ``workers`` kernels at a time (default: one per CPU).

    The kernel is the one the notebook names (``metadata.kernelspec.name``) and runs in the
    notebook's own folder, so relative paths such as ``../data`` resolve as they do in
    JupyterLab even when ``dst`` is elsewhere. ``src`` is not modified unless ``dst`` is the
    same file. A failing cell raises ``nbclient.exceptions.CellExecutionError`` (the first
    failure, once the notebooks already running finish) and nothing is written for it."""
    workers = max(1, workers or os.cpu_count() or 1)

    async def run_all():
        slots = asyncio.Semaphore(workers)

        async def run(src, dst):
            async with slots:
                await _run_one(Path(src), Path(dst), timeout)

        # Longest first, so that no long notebook starts last while the other kernels idle; the
        # stored file's size (its outputs, mostly figures) stands in for its run time.
        ordered = sorted(pairs, key=lambda pair: -Path(pair[0]).stat().st_size)
        results = await asyncio.gather(*(run(src, dst) for src, dst in ordered), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        if failures:
            raise failures[0]

    run_sync(run_all)()  # also works where an event loop already runs (JupyterLab)


# The kernel talks to us over local TCP; with CurveZMQ keys (where the kernel supports them) the
# kernel has no reason to print its "running over TCP without encryption" warning on every run.
_ENCRYPTED = Config({"KernelManager": {"transport_encryption": "auto"}})


async def _run_one(src: Path, dst: Path, timeout: int) -> None:
    notebook = nbformat.read(src, as_version=4)
    kernel_name = notebook.metadata.get("kernelspec", {}).get("name") or "python3"
    started = time.perf_counter()
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(src.resolve().parent)}},
        record_timing=False,
        # Every cell has run and its outputs are in hand: stop the kernel at once instead of
        # asking it to shut down and polling until it has (a second or so per notebook).
        shutdown_kernel="immediate",
        config=_ENCRYPTED,
    )
    try:
        await client.async_execute()
    except Exception:
        print(f"executing {src.name} … failed", file=sys.stderr, flush=True)
        raise
    executed = _number_executed_cells(notebook)
    _write_atomically(notebook, dst)
    seconds = time.perf_counter() - started
    print(f"executing {src.name} … done in {executed} cells ({seconds:.1f} s)", file=sys.stderr,
          flush=True)


def _number_executed_cells(notebook) -> int:
    """Number the cells that ran 1, 2, 3 …; clear counts and outputs of empty code cells.

    nbclient skips empty code cells without touching them, so a count or output left
    over from an earlier edit would survive every re-run.
    """
    count = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if not cell.source.strip():
            cell.execution_count = None
            cell.outputs = []
            continue
        if "skip-execution" in cell.metadata.get("tags", []):
            continue
        count += 1
        if cell.execution_count != count:
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
    return count


def _write_atomically(notebook, dst: Path) -> None:
    """Write the notebook as Jupyter writes it (``nbformat.writes``, a final newline) through the
    one writer, so an interrupted run never leaves half a notebook."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(notebook)
    files.write_text(dst, text if text.endswith("\n") else text + "\n")
