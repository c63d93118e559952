"""The engine's explanations of diverging parameters, in the reader's language.

The engine (which never imports Django) returns each note as clauses ``{"code", "args"}``; their English
wording is ``concord.engine.parameters.NOTE_MESSAGES``. Here each code has the same wording as a
translatable string. A quantity the engine describes ("at most 3 years of imprisonment") is described
again here from its stored reading (`describe_quantity`), in the reader's language. Words read from a
provision stay as written, isolated with ``<bdi>`` so that they keep their place in a right-to-left
sentence.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from concord.engine.quantities import number_text
from concord.engine.subprovisions import numbered_label

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
    return label if isinstance(label, str) and numbered_label(label) else ""


# A time unit as the engine writes it (``Quantity.written_unit``), with its number ("shown" as the notes
# write it; "n" chooses the plural form).
UNITS = {
    "minute": ngettext_lazy("%(shown)s minute", "%(shown)s minutes", "n"),
    "hour": ngettext_lazy("%(shown)s hour", "%(shown)s hours", "n"),
    "day": ngettext_lazy("%(shown)s day", "%(shown)s days", "n"),
    "working day": ngettext_lazy("%(shown)s working day", "%(shown)s working days", "n"),
    "clear day": ngettext_lazy("%(shown)s clear day", "%(shown)s clear days", "n"),
    "week": ngettext_lazy("%(shown)s week", "%(shown)s weeks", "n"),
    "month": ngettext_lazy("%(shown)s month", "%(shown)s months", "n"),
    "year": ngettext_lazy("%(shown)s year", "%(shown)s years", "n"),
}


def _unit(unit: str, amount: float) -> str | None:
    """A time unit of `UNITS` with its number, in the reader's language."""
    if unit not in UNITS:
        return None
    count = int(amount) if float(amount).is_integer() else 2
    return str(UNITS[unit] % {"n": count, "shown": number_text(amount)})


def describe_quantity(q: Any) -> str | None:
    """A stored quantity (``Quantity.to_dict()``) as the engine's ``describe`` says it, in the reader's
    language: "at most 3 years of imprisonment", "MYR 1,000,000", "age 18". None when it cannot be read
    (a stored form this does not know), so that the engine's English stands instead."""
    if not isinstance(q, dict):
        return None
    if q.get("vague"):
        return gettext("no fixed limit ('%(text)s')") % {"text": q.get("text", "")}
    kind, value = q.get("kind"), q.get("value")
    amount = q.get("amount") if q.get("amount") is not None else value
    if not isinstance(value, (int, float)) or not isinstance(amount, (int, float)):
        return None
    body: str | None
    if kind == "money":
        body = f"{q.get('currency')} {number_text(value)}"
    elif kind == "percentage":
        body = f"{number_text(value)}%"
    elif kind == "age":
        body = gettext("age %(n)s") % {"n": number_text(value)}
    elif kind == "count":
        return None  # what is counted is a word read from the provision: the engine's wording stands
    else:
        body = _unit(q.get("written_unit") or "hour", amount)
        if body is not None and kind == "imprisonment":
            body = gettext("%(duration)s of imprisonment") % {"duration": body}
    if body is None:
        return None
    qualifier = {
        "max": gettext("at most %(value)s"),
        "min": gettext("at least %(value)s"),
        "exact": gettext("exactly %(value)s"),
    }.get(q.get("qualifier") or "")
    return qualifier % {"value": body} if qualifier else body


def _bdi(value: Any) -> SafeString:
    return format_html("<bdi>{}</bdi>", value)


def _quoted(value: Any) -> SafeString:
    return format_html("“<bdi>{}</bdi>”", value)


def _described(args: dict[str, Any], divergence: dict[str, Any]) -> dict[str, Any]:
    """The clause's quantities described in the reader's language from the divergence's stored readings:
    ``a`` is the source's, ``b`` the target's, ``value`` that of the side the clause names and
    ``other_value`` the other side's (``other_quantity``); the engine's English where one cannot be."""
    quantities = {
        "a": divergence.get("source"),
        "b": divergence.get("target"),
        "value": divergence.get(args.get("side") or ""),
        "other_value": args.get("other_quantity"),
    }
    out = dict(args)
    for name, q in quantities.items():
        if name in args and (shown := describe_quantity(q)) is not None:
            out[name] = shown
    return out


def _clause(code: str, args: dict[str, Any], divergence: dict[str, Any] | None = None) -> SafeString | None:
    template = MESSAGES.get(code)
    if template is None:
        return None
    words: dict[str, Any] = {}
    for name, value in _described(args, divergence or {}).items():
        if name == "other_quantity":
            continue
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
    clauses = [
        _clause(r.get("code", ""), r.get("args") or {}, divergence) for r in reasons if isinstance(r, dict)
    ]
    if not clauses or any(c is None for c in clauses):
        return divergence.get("note") or ""
    return format_html_join("; ", "{}", ((c,) for c in clauses))
