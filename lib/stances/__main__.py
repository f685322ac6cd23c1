"""``python -m stances``: the command line (``stances.cli``)."""

import os
import sys

from stances.cli import main

if __name__ == "__main__":
    code = main()
    # Leave without interpreter teardown: Arrow's native thread pools can abort the process at
    # exit ("terminate called without an active exception", apache/arrow#34314), turning a
    # finished, correct run into exit code -6. Everything is printed and flushed by now.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
