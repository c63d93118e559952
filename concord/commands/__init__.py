"""Sub-commands of the `concord` command (see `concord.cli`)."""

import sys


def fail(problem: Exception | str) -> int:
    """Say what stopped the command, the CLI way (``concord: error: …`` on standard error), and return
    exit status 2."""
    print(f"concord: error: {problem}", file=sys.stderr)
    return 2


def succeed(message: str, *, quiet: bool = False) -> int:
    """Say what the command did (``concord: …`` on standard error) unless ``quiet``, and return exit
    status 0."""
    if not quiet:
        print(f"concord: {message}", file=sys.stderr)
    return 0
