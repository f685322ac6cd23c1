"""``python -m stances`` and the ``stances`` command: the command line (``stances.cli``)."""

import os
import sys

from stances.cli import main


def run() -> None:
    """Run the command line and leave without interpreter teardown: Arrow's native thread pools
    can abort the process at exit ("terminate called without an active exception",
    apache/arrow#34314), turning a finished, correct run into exit code -6. Everything is
    printed and flushed by then."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
