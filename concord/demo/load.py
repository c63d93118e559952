"""Loading the demo into the configured database. Safe to run again: it adds only what is missing.

Each part of Concord adds its own loader to ``LOADERS``; they run in order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from django.db import transaction

DEMO_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "concord-demo-2026"  # noqa: S105 - printed for the local demo only
DEMO_DOMAIN = "concord.example"
DEMO_OPERATOR_EMAIL = f"admin@{DEMO_DOMAIN}"

# (email local part, full name, role, party code or None, organisation short name or None, position)
DEMO_USERS = [
    ("secretariat", "Demo Secretariat Officer", "secretariat", None, None, "Joint secretariat"),
    ("delegate.my", "Demo Delegate (Malaysia)", "delegate", "MY", None, "Delegation of Malaysia"),
    ("delegate.pk", "Demo Delegate (Pakistan)", "delegate", "PK", None, "Delegation of Pakistan"),
    ("analyst.my", "Demo Policy Analyst (Malaysia)", "analyst", "MY", None, "Policy analyst"),
    ("analyst.pk", "Demo Policy Analyst (Pakistan)", "analyst", "PK", None, "Policy analyst"),
    ("stakeholder", "Demo Stakeholder", "stakeholder", None, "first-university", "Partnerships office"),
    ("observer", "Demo Observer", "observer", None, None, ""),
]


def _read_json(name: str):
    path = DEMO_DIR / name
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def in_three_languages(entry: dict, key: str, *, name: str = "", required: bool = False) -> dict[str, str]:
    """An entry's ``<key>_en``, ``<key>_ms`` and ``<key>_ur`` as an action's ``<name>``, ``<name>_ms`` and
    ``<name>_ur`` arguments (``name``: ``key`` unless given). A missing text is empty, but for English when
    it is ``required``."""
    name = name or key
    english = entry[f"{key}_en"] if required else entry.get(f"{key}_en", "")
    return {name: english, f"{name}_ms": entry.get(f"{key}_ms", ""), f"{name}_ur": entry.get(f"{key}_ur", "")}


def demo_operator():
    """The site administrator who sets the demo up, through the one bootstrap path of
    ``concord/accounts/rules.py``: the site's administrator if there is one, or else the demo's own, created
    from the console. The demo's administrator has no password: nobody signs in as it."""
    from concord.accounts.actions import do_create_administrator
    from concord.accounts.models import User

    administrators = User.objects.filter(is_superuser=True, is_active=True)
    return (
        administrators.filter(email=DEMO_OPERATOR_EMAIL).first()
        or administrators.order_by("pk").first()
        or do_create_administrator(
            actor=None, email=DEMO_OPERATOR_EMAIL, full_name="Demo site administrator", password=None
        )
    )


def demo_user(local: str):
    from concord.accounts.models import User

    return User.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def _seat(*, actor, dialogue, user, role, party, organization, position) -> None:
    from concord.accounts import actions
    from concord.accounts.models import Membership

    if not Membership.objects.filter(user=user, dialogue=dialogue, role=role).exists():
        actions.do_add_membership(
            actor=actor,
            user=user,
            dialogue=dialogue,
            role=role,
            party=party,
            organization=organization,
            position=position,
        )


def load_foundation(out: TextIO) -> None:
    """The parties, the dialogue and its people. The administrator creates the dialogue and appoints its
    secretariat; the secretariat officer registers the organisations and adds everyone else."""
    operator = demo_operator()
    data = _read_json("dialogue.json")
    parties = _load_parties(operator, data["parties"])
    dialogue = _load_dialogue(operator, data, parties=list(parties.values()), out=out)
    users = _load_users(operator)
    local, _name, role, _party, _org, position = DEMO_USERS[0]
    _seat(
        actor=operator,
        dialogue=dialogue,
        user=users[local],
        role=role,
        party=None,
        organization=None,
        position=position,
    )
    secretariat = users[local]
    _load_organisations(secretariat, out)
    _seat_others(secretariat, dialogue=dialogue, users=users, parties=parties)
    _load_notes(dialogue, parties)


def _load_parties(operator, entries: list[dict]) -> dict:
    """The parties by ISO code, created by the administrator where missing."""
    from concord.accounts import actions
    from concord.accounts.models import Party

    parties = {}
    for p in entries:
        party = Party.objects.filter(code=p["code"]).first() or actions.do_create_party(
            actor=operator,
            code=p["code"],
            **in_three_languages(p, "name", required=True),
        )
        parties[party.code] = party
    return parties


def _load_dialogue(operator, data: dict, *, parties: list, out: TextIO):
    from concord.accounts import actions
    from concord.accounts.models import Dialogue

    dialogue = Dialogue.objects.filter(slug=data["slug"]).first()
    if dialogue is None:
        dialogue = actions.do_create_dialogue(
            actor=operator,
            slug=data["slug"],
            origin=data.get("origin_en", ""),
            parties=parties,
            **in_three_languages(data, "name", required=True),
            **in_three_languages(data, "description"),
        )
        out.write(f"  dialogue: {dialogue.name}\n")
    return dialogue


def _load_users(operator) -> dict:
    """The demo's accounts by e-mail local part, created by the administrator where missing."""
    from concord.accounts import actions
    from concord.accounts.models import User

    users = {}
    for local, name, *_ in DEMO_USERS:
        email = f"{local}@{DEMO_DOMAIN}"
        users[local] = User.objects.filter(email=email).first() or actions.do_create_user(
            actor=operator, email=email, full_name=name, password=DEMO_PASSWORD
        )
    return users


def _load_organisations(secretariat, out: TextIO) -> None:
    from concord.accounts import actions
    from concord.accounts.models import Organization

    created = 0
    for o in _read_json("organisations.json"):
        if Organization.objects.filter(name=o["name"], country=o["country"]).exists():
            continue
        actions.do_create_organization(
            actor=secretariat,
            name=o["name"],
            short_name=o.get("short_name", ""),
            country=o["country"],
            kind=o["kind"],
            website=o.get("website", ""),
            **in_three_languages(o, "description"),
        )
        created += 1
    out.write(f"  organisations: {created} added, {Organization.objects.count()} in all\n")


def _seat_others(secretariat, *, dialogue, users: dict, parties: dict) -> None:
    """The secretariat officer seats everyone but itself: delegates and analysts with their party, the
    stakeholder with the first university."""
    from concord.accounts.models import Organization

    first_university = Organization.objects.filter(kind="university").order_by("country", "name").first()
    for local, _name, role, party_code, org_key, position in DEMO_USERS[1:]:
        _seat(
            actor=secretariat,
            dialogue=dialogue,
            user=users[local],
            role=role,
            party=parties.get(party_code) if party_code else None,
            organization=first_university if org_key == "first-university" else None,
            position=position,
        )


def _load_notes(dialogue, parties: dict) -> None:
    """The dialogue's notes, each written by its author, once."""
    from concord.core import actions as core_actions
    from concord.core.models import Note

    if Note.objects.filter(dialogue=dialogue).exists():
        return
    authors = {
        "secretariat": demo_user("secretariat"),
        "MY": demo_user("delegate.my"),
        "PK": demo_user("delegate.pk"),
    }
    for note in _read_json("notes.json"):
        core_actions.do_create_note(
            actor=authors[note["author"]],
            dialogue=dialogue,
            title=note["title"],
            body=note["body"],
            kind=note["kind"],
            visibility=note["visibility"],
            party=parties.get(note.get("party")) if note.get("party") else None,
        )


def load_library(out: TextIO) -> None:
    """Ingest the demo corpus (summaries we wrote) into the library, public; skips files already there."""
    import hashlib
    import tomllib

    from concord.accounts.models import Dialogue, Party
    from concord.library.actions import do_ingest_document
    from concord.library.models import DocumentVersion, PolicyDocument

    dialogue = Dialogue.objects.filter(slug=_read_json("dialogue.json")["slug"]).first()
    if dialogue is None:
        return
    secretariat = demo_user("secretariat")  # the joint secretariat keeps the dialogue's public library
    entries = []
    for path in sorted((DEMO_DIR / "corpus").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("+++", 2)
        entries.append((path, tomllib.loads(front), body.lstrip("\n").encode("utf-8")))
    entries.sort(key=lambda e: (bool(e[1].get("amends")), e[0].name))  # amended documents first
    added = 0
    for path, meta, body in entries:
        if DocumentVersion.objects.filter(sha256=hashlib.sha256(body).hexdigest()).exists():
            continue
        amends = None
        if meta.get("amends"):
            candidates = PolicyDocument.objects.filter(dialogue=dialogue, short_title=meta["amends"])
            amends = candidates.filter(language=meta.get("language", "")).first() or candidates.first()
        result = do_ingest_document(
            actor=secretariat,
            dialogue=dialogue,
            upload=body,
            filename=path.name,
            title=meta["title"],
            short_title=meta.get("short_title", ""),
            kind=meta["kind"],
            party=Party.objects.filter(code=meta.get("party", "")).first(),
            issuer=meta.get("issuer", ""),
            status=meta.get("status", "in_force"),
            year=meta.get("year"),
            language=meta.get("language", ""),
            is_summary=bool(meta.get("summary")),
            themes=meta.get("themes", []),
            amends=amends,
            visibility="public",
            run="inline",
            embed="queue",
        )
        version = result.version
        state = f"FAILED: {version.error}" if result.failed else f"{version.provisions.count()} provisions"
        out.write(f"  library: {path.name}: {state}\n")
        added += 1
    out.write(
        f"  library: {added} documents added, {PolicyDocument.objects.count()} in all "
        "(embeddings are queued for the worker)\n"
    )


def load_ecosystem(out: TextIO) -> None:
    from concord.directory.demo import load_ecosystem as load

    load(out)


def load_secretariat(out: TextIO) -> None:
    from concord.secretariat.demo import load_secretariat as load

    load(out)


def load_harmonize(out: TextIO) -> None:
    """The Malaysia–Pakistan demo comparison (see concord/harmonize/demo.py), run and reviewed."""
    from concord.harmonize.demo import load

    load(out)


def load_talent(out: TextIO) -> None:
    """Talent mobility: sample taxonomy, demo opportunities and professionals, a finished round."""
    from concord.talent.demo import load_talent as load

    load(out)


def load_programmes(out: TextIO) -> None:
    """National programmes (summaries of real public programmes) and demo joint projects."""
    from concord.programmes.demo import load_programmes as load

    load(out)


LOADERS: list[tuple[str, Callable[[TextIO], None]]] = [
    ("foundation", load_foundation),
    ("library", load_library),
    ("ecosystem", load_ecosystem),
    ("secretariat", load_secretariat),
    ("harmonize", load_harmonize),
    ("talent", load_talent),
    ("programmes", load_programmes),
]


def load_demo(out: TextIO) -> None:
    for name, loader in LOADERS:
        out.write(f"Loading demo: {name}\n")
        with transaction.atomic():
            loader(out)


def demo_logins() -> list[tuple[str, str, str]]:
    return [(f"{local}@{DEMO_DOMAIN}", DEMO_PASSWORD, name) for local, name, *_ in DEMO_USERS]
