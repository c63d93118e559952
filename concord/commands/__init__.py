"""Sub-commands of the `concord` command (see `concord.cli`)."""

import sys


def fail(problem: Exception | str) -> int:
    """Say what stopped the command, the CLI way (``concord: error: …`` on standard error), and return
    exit status 2."""
    print(f"concord: error: {problem}", file=sys.stderr)
    return 2
