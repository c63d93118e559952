"""The engine's explanations of diverging parameters, in the reader's language.

The engine (which never imports Django) returns each note as clauses ``{"code", "args"}``; their English
wording is ``concord.engine.parameters.NOTE_MESSAGES``. Here each code has the same wording as a
translatable string. Quantities and words read from a provision stay as written, isolated with ``<bdi>``
so that an English value keeps its place in a right-to-left sentence.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MESSAGES = {
    "only-one-sets": _("only the {side} sets {kind_phrase}: {value}; the {other} sets none"),
    "neither-sets-number": _("neither side sets a number: {text_a} and {text_b}"),
    "one-vague": _("the {side} sets {value}; the {other} sets no number ({vague})"),
    "currencies-differ": _(
        "different currencies ({currency_a} vs {currency_b}): {a} vs {b}; not converted, give exchange "
        "rates to compare them"
    ),
    "values-differ": _("the values differ ({a} vs {b})"),
    "values-differ-ratio": _("the values differ ({a} vs {b}, target/source = {ratio})"),
    "qualifiers-differ": _("the qualifiers differ ({qualifier_a} vs {qualifier_b})"),
    "working-days": _("{unit_a} vs {unit_b}: working days are not calendar days"),
    "at-given-rates": _("compared at the given exchange rates ({currency_a}, {currency_b})"),
    "same": _("same: {a} and {b}"),
    "only-one-reads": _(
        "only the {side} reads {kind_phrase} here: {value}; not compared (the {other} may word it in a way "
        "that was not read)"
    ),
    "counts-differ": _(
        "not compared: {kind_plural} read here, {n_mine} on the {side} and {n_theirs} on the {other}, so "
        "which ones correspond is not known ({value})"
    ),
    "other-part-reads": _(
        "not compared: the {side} reads {kind_phrase} here ({value}), and the {other} one in {part} "
        "({other_value}), a part that does not correspond"
    ),
}

SIDES = {
    "source": pgettext_lazy("side of a comparison", "source"),
    "target": pgettext_lazy("side of a comparison", "target"),
}

KINDS = {
    "duration": (_("a time limit"), _("time limits"), pgettext_lazy("kind of quantity", "time limit")),
    "imprisonment": (
        _("a term of imprisonment"),
        _("terms of imprisonment"),
        pgettext_lazy("kind of quantity", "term of imprisonment"),
    ),
    "money": (_("an amount"), _("amounts"), pgettext_lazy("kind of quantity", "amount")),
    "percentage": (_("a percentage"), _("percentages"), pgettext_lazy("kind of quantity", "percentage")),
    "age": (_("an age"), _("ages"), pgettext_lazy("kind of quantity", "age")),
    "count": (_("a number"), _("numbers"), pgettext_lazy("kind of quantity", "number")),
}


def kind_label(kind: str) -> str:
    """The name of a kind of quantity ("time limit") in the reader's language."""
    return str(KINDS[kind][2]) if kind in KINDS else kind


def subsection_label(label: Any) -> str:
    """A sub-provision's label as the act numbers it ("(3)", "(1)(a)"), for the reader to find it; the
    engine's own labels of a provision's sentences ("s2") and of the whole provision ("") give none."""
    return label if isinstance(label, str) and label.startswith("(") else ""


def _bdi(value: Any) -> SafeString:
    return format_html("<bdi>{}</bdi>", value)


def _quoted(value: Any) -> SafeString:
    return format_html("“<bdi>{}</bdi>”", value)


def _clause(code: str, args: dict[str, Any]) -> SafeString | None:
    template = MESSAGES.get(code)
    if template is None:
        return None
    words: dict[str, Any] = {}
    for name, value in args.items():
        if name in ("side", "other"):
            words[name] = SIDES.get(value, value)
        elif name in ("text_a", "text_b", "vague"):
            words[name] = _quoted(value)
        elif name not in ("kind", "role"):
            words[name] = _bdi(value)
    if "kind" in args:
        phrase, plural, _single = KINDS.get(args["kind"], (args["kind"], args["kind"], args["kind"]))
        role = args.get("role") or ""
        # An amount's role ("fine", "penalty") is a word the engine read in English: it stays as read.
        words["kind_phrase"] = format_html("{} (<bdi>{}</bdi>)", phrase, role) if role else phrase
        words["kind_plural"] = format_html("{} (<bdi>{}</bdi>)", plural, role) if role else plural
    try:
        return format_html(str(template), **words)
    except (KeyError, IndexError):  # arguments of an older engine: the English note is shown instead
        return None


def divergence_note(divergence: dict[str, Any]) -> SafeString | str:
    """The note of one stored divergence (``ParameterDivergence.to_dict()``), translated where the engine
    gave its clauses; notes stored before the engine gave them stay in English."""
    reasons = divergence.get("reasons") or []
    clauses = [_clause(r.get("code", ""), r.get("args") or {}) for r in reasons if isinstance(r, dict)]
    if not clauses or any(c is None for c in clauses):
        return divergence.get("note") or ""
    return format_html_join("; ", "{}", ((c,) for c in clauses))
