"""The demo loads, is idempotent, and holds what the README promises."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from concord.accounts.models import Dialogue, Membership, Organization, Role, User
from concord.audit.models import AuditEntry
from concord.demo.load import DEMO_PASSWORD, demo_logins, load_foundation

DEMO = Path(__file__).resolve().parents[2] / "concord" / "demo"


@pytest.mark.django_db
def test_demo_loads_once_and_again_without_duplicates():
    load_foundation(io.StringIO())
    counts = (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )
    load_foundation(io.StringIO())
    assert (
        User.objects.count(),
        Organization.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_demo_has_both_parties_every_role_and_real_organisations():
    load_foundation(io.StringIO())
    dialogue = Dialogue.objects.get()
    assert sorted(dialogue.parties.values_list("code", flat=True)) == ["MY", "PK"]
    assert "Baku" in dialogue.origin
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for code in ("MY", "PK"):
        assert Organization.objects.filter(country=code).count() >= 10
        assert Organization.objects.filter(country=code, kind="university").exists()
        assert Organization.objects.filter(country=code, kind="regulator").exists()


@pytest.mark.django_db
def test_every_demo_login_works(client, settings):
    settings.CONCORD_REQUIRE_2FA = False
    load_foundation(io.StringIO())
    for email, password, _name in demo_logins():
        assert password == DEMO_PASSWORD
        response = client.post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, email
        client.post("/accounts/logout/")


def test_demo_organisations_are_described_in_three_languages_without_invented_figures():
    orgs = json.loads((DEMO / "organisations.json").read_text())
    names = set()
    for org in orgs:
        assert (org["name"], org["country"]) not in names
        names.add((org["name"], org["country"]))
        assert org["country"] in ("MY", "PK")
        assert org["description_en"] and org["description_ms"] and org["description_ur"]
        assert org["kind"] in {
            "ministry",
            "agency",
            "regulator",
            "university",
            "tech_hub",
            "company",
            "investor",
            "research_institute",
        }


def test_demo_corpus_files_are_labelled_as_summaries():
    import tomllib

    files = sorted((DEMO / "corpus").glob("*.md"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("+++", 2)
        meta = tomllib.loads(front)
        assert meta["summary"] is True, path.name
        assert meta["party"] in ("MY", "PK")
        assert meta["language"] in ("en", "ms", "ur")
        assert path.name.endswith(f".{meta['language']}.md")


@pytest.mark.django_db
def test_secretariat_demo_writes_through_actions_so_each_change_is_audited():
    from concord.commitments.models import Commitment
    from concord.secretariat.demo import load_secretariat
    from concord.secretariat.models import Meeting

    load_foundation(io.StringIO())
    load_secretariat(io.StringIO())
    founding = Meeting.objects.get(title="Founding of the dialogue at WTDC-25")
    assert founding.state == "closed" and founding.starts_at is None
    moves = AuditEntry.objects.for_object(founding).filter(action="meeting.transition")
    assert [e.after["state"] for e in moves.order_by("pk")] == ["open", "in_progress", "closed"]
    blocked = Commitment.objects.filter(is_blocked=True)
    assert blocked.exists()
    for commitment in blocked:
        assert commitment.blocked_reason
        updates = AuditEntry.objects.for_object(commitment).filter(action="commitment.update")
        assert any(e.after.get("is_blocked") is True for e in updates)
