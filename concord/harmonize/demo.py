"""The demo comparison: Malaysia's PDPA 2010 (+ 2024 amendment) and Cyber Security Act 2024 against
Pakistan's PDP Bill 2023 and PECA 2016, run by the real engine on the demo corpus (our own summaries).

The review decisions and sign-offs below are demo actions by demo accounts, labelled as such in their
comments: they show the workflow and are not an assessment by either government.
"""

from __future__ import annotations

from typing import TextIO

from django.db.models import Q

from .models import Comparison, Review, ReviewStatus

TITLE = "Malaysia–Pakistan: personal data protection and cybersecurity (demo)"
SOURCE = ("PDPA 2010", "PDPA (Amendment) 2024", "Cyber Security Act 2024")
TARGET = ("PDP Bill 2023", "PECA 2016")
THEMES = ("personal-data-protection", "cybersecurity")
DEMO_NOTE = "Demo action by a demo account, to show the review flow; not an official assessment."


def _user(local: str):
    from concord.accounts.models import User
    from concord.demo.load import DEMO_DOMAIN

    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def load(out: TextIO) -> None:
    """Create the demo comparison, run it now, then record the demo analysts' decisions on its results.

    The run is inline so that the decisions, which need its mappings, follow it here: the demo opens on a
    finished comparison, and nothing in the engine's pipeline knows about the demo.
    """
    from concord.accounts.models import Dialogue, Party
    from concord.demo.load import _read_json
    from concord.library.models import PolicyDocument, Theme

    from .actions import do_create_comparison, do_run_comparison

    dialogue = Dialogue.objects.filter(slug=_read_json("dialogue.json")["slug"]).first()
    analyst = _user("analyst.my")
    if dialogue is None or analyst is None:
        return
    comparison = Comparison.objects.filter(dialogue=dialogue, title=TITLE).first()
    if comparison is None:
        my, pk = Party.objects.get(code="MY"), Party.objects.get(code="PK")
        docs = PolicyDocument.objects.filter(dialogue=dialogue, language="en")
        source = list(docs.filter(party=my, short_title__in=SOURCE))
        target = list(docs.filter(party=pk, short_title__in=TARGET))
        if not source or not target:
            out.write("  harmonize: the demo documents are missing; load the library first\n")
            return
        themes = list(Theme.objects.filter(slug__in=THEMES))
        comparison = do_create_comparison(
            actor=analyst,
            dialogue=dialogue,
            title=TITLE,
            source_party=my,
            target_party=pk,
            source_documents=source,
            target_documents=target,
            source_themes=themes,
            target_themes=themes,
        )
        out.write(f"  harmonize: comparison “{TITLE}” created\n")
    if comparison.run_count == 0 and comparison.status in ("draft", "failed"):
        job = do_run_comparison(actor=analyst, comparison=comparison, run="inline")
        out.write(f"  harmonize: comparison run {job.get_status_display().lower()} (job {job.pk})\n")
        if comparison.status == "failed":
            out.write(f"  harmonize: the run failed: {comparison.error}\n")
    if comparison.run_count:
        decisions = apply_demo_decisions(comparison)
        if decisions:
            out.write(f"  harmonize: {decisions} demo review decisions and sign-offs\n")


def apply_demo_decisions(comparison: Comparison) -> int:
    """A few review decisions and sign-offs by the demo analysts; does nothing if they exist already."""
    from .actions import do_comment_mapping, do_review_mapping, do_sign_off

    analyst_my, analyst_pk = _user("analyst.my"), _user("analyst.pk")
    if analyst_my is None or analyst_pk is None or comparison.title != TITLE:
        return 0
    if (
        Review.objects.filter(mapping__comparison=comparison)
        .filter(Q(actor=analyst_my) | Q(actor=analyst_pk))
        .exists()
    ):
        return 0
    pending = comparison.mappings.filter(review_status=ReviewStatus.PENDING)
    top = list(pending.order_by("-confidence", "id")[:2])
    low = pending.exclude(pk__in=[m.pk for m in top]).order_by("confidence", "id").first()
    done = 0
    for m in top:
        do_review_mapping(actor=analyst_my, mapping=m, decision="accept", comment=DEMO_NOTE)
        done += 1
    if low is not None:
        do_review_mapping(actor=analyst_pk, mapping=low, decision="reject", comment=DEMO_NOTE)
        done += 1
    if top:
        do_sign_off(actor=analyst_my, mapping=top[0])
        do_sign_off(actor=analyst_pk, mapping=top[0])
        done += 2
    if len(top) > 1:
        do_sign_off(actor=analyst_my, mapping=top[1])
        do_comment_mapping(actor=analyst_pk, mapping=top[1], comment=DEMO_NOTE)
        done += 2
    return done
