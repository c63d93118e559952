"""Constants the command line needs before any work, so that `concord --help` imports nothing heavy."""

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # the largest document `extract` reads, unless told otherwise

STATUTE_KINDS = frozenset(("law", "regulation", "statute", "act", "bill", "ordinance", "rule", "rules"))
STRATEGY_KINDS = frozenset(
    ("strategy", "policy", "guideline", "framework", "standard", "plan", "blueprint", "roadmap")
)
SEGMENT_KINDS = ("auto", *sorted(STATUTE_KINDS | STRATEGY_KINDS))
