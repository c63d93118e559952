"""Every write path leaves an audit entry (web, API, CLI, task); the CLI and the demo loader."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from concord.audit.models import AuditEntry
from concord.cli import main
from concord.library.models import DocumentVersion, PolicyDocument, Provision, Theme

from .conftest import FRENCH, STATUTE, STATUTE_AMENDED

pytestmark = pytest.mark.django_db


def _actions(via: str) -> set[str]:
    return set(
        AuditEntry.objects.filter(via=via, action__startswith="library.").values_list("action", flat=True)
    )


def test_web_writes_are_audited(client, as_user, personas):
    client = as_user(personas.delegate_my)
    client.post(
        reverse("library:upload"),
        {
            "title": "Act",
            "kind": "law",
            "status": "in_force",
            "visibility": "dialogue",
            "party": personas.my.pk,
            "file": SimpleUploadedFile("act.md", STATUTE.encode()),
        },
    )
    document = PolicyDocument.objects.get()
    provision = Provision.objects.get(key="s4")
    client.post(reverse("library:provision_themes", args=[provision.pk]), {"theme": "ai", "action": "add"})
    client.post(
        reverse("library:edit", args=[document.pk]),
        {
            "title": "Act 2",
            "kind": "law",
            "status": "draft",
            "visibility": "dialogue",
            "party": personas.my.pk,
        },
    )
    client.post(
        reverse("library:version_upload", args=[document.pk]),
        {"file": SimpleUploadedFile("v2.md", STATUTE_AMENDED.encode())},
    )
    client.post(reverse("library:delete", args=[document.pk]))
    assert {
        "library.document.create",
        "library.version.upload",
        "library.provision.theme_add",
        "library.document.update",
        "library.document.delete",
    } <= _actions("web")
    entry = AuditEntry.objects.get(action="library.provision.theme_add")
    assert entry.actor == personas.delegate_my and entry.party_code == "MY"


def test_the_tasks_writes_are_audited(ingest):
    ingest()
    assert {"library.version.ingest", "library.version.embed"} <= _actions("task")
    ingest(FRENCH, filename="loi.md", title="Loi")  # read, then refused: French is not supported
    assert "library.version.fail" in _actions("task")


def test_api_writes_are_audited(api_as, personas):
    api = api_as(personas.delegate_my)
    body = api.post(
        "/api/library/documents",
        {
            "title": "Act",
            "kind": "law",
            "party": "MY",
            "file": SimpleUploadedFile("act.md", STATUTE.encode()),
        },
    ).json()
    provision = Provision.objects.get(key="s4")
    api.post(
        f"/api/library/provisions/{provision.pk}/themes",
        {"theme": "ai", "action": "remove"},
        content_type="application/json",
    )
    api.patch(
        f"/api/library/documents/{body['document']}", {"title": "Renamed"}, content_type="application/json"
    )
    api.delete(f"/api/library/documents/{body['document']}")
    assert {
        "library.document.create",
        "library.version.upload",
        "library.provision.theme_remove",
        "library.document.update",
        "library.document.delete",
    } <= _actions("api")


def test_cli_ingest_reads_the_file_and_is_audited(personas, tmp_path, capsys):
    path = tmp_path / "dpa.md"
    path.write_text(STATUTE, encoding="utf-8")
    assert (
        main(
            ["ingest", str(path), "--party", "MY", "--kind", "law", "--title", "DPA 2030", "--language", "en"]
            + ["--as", personas.analyst_my.email]
        )
        == 0
    )
    out = capsys.readouterr()
    assert "10 provisions, language en" in out.out and "100%" in out.err  # the progress bar
    document = PolicyDocument.objects.get()
    assert document.party == personas.my and document.current_version.declared_language == "en"
    assert document.created_by == personas.analyst_my
    assert {"library.document.create", "library.version.upload"} <= _actions("cli")
    assert AuditEntry.objects.filter(action="library.document.create", actor=personas.analyst_my).exists()

    assert (
        main(["ingest", str(path), "--party", "MY", "--title", "Again", "--as", "ANALYST_MY@test.example"])
        == 0
    )
    assert "Already in the library" in capsys.readouterr().out

    amendment = tmp_path / "dpa-2031.md"
    amendment.write_text(STATUTE_AMENDED, encoding="utf-8")
    assert (
        main(
            [
                "ingest",
                str(amendment),
                "--party",
                "MY",
                "--title",
                "DPA (Amendment) 2031",
                "--amends",
                str(document.pk),
                "--as",
                personas.analyst_my.email,
            ]
        )
        == 0
    )
    assert (
        DocumentVersion.objects.get(document__title="DPA (Amendment) 2031").amends == document.current_version
    )
    new_version = ["ingest", str(amendment), "--new-version-of", str(document.pk)]
    assert main([*new_version, "--as", personas.analyst_my.email]) == 0
    assert "Changes against version" in capsys.readouterr().out


def test_cli_ingest_refuses_a_bad_file_and_stores_nothing(personas, tmp_path, capsys):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
    assert (
        main(["ingest", str(path), "--party", "MY", "--title", "Scan", "--as", personas.analyst_my.email])
        == 2
    )
    err = capsys.readouterr().err
    assert "[E104]" in err and "PNG image" in err and "Nothing was stored" in err
    assert not DocumentVersion.objects.exists()


def test_cli_ingest_reports_a_file_that_fails_later_and_keeps_it(personas, tmp_path, capsys):
    path = tmp_path / "loi.md"
    path.write_bytes(FRENCH)
    assert (
        main(["ingest", str(path), "--party", "MY", "--title", "Loi", "--as", personas.analyst_my.email]) == 2
    )
    err = capsys.readouterr().err
    assert "[E302]" in err and "the original is kept" in err
    assert DocumentVersion.objects.get().status == "failed"
    assert main(["ingest", str(tmp_path / "missing.pdf"), "--title", "x"]) == 2


def test_cli_ingest_acts_through_the_library_rules(personas, tmp_path, capsys):
    path = tmp_path / "dpa.md"
    path.write_text(STATUTE, encoding="utf-8")
    ingest = ["ingest", str(path), "--party", "MY", "--title", "DPA 2030", "--visibility", "party"]
    # The default actor is the site's only administrator, who sits in no delegation: refused, and told how.
    assert main(ingest) == 2
    err = capsys.readouterr().err
    assert "site-admin@test.example: You may not add documents" in err and "--as EMAIL" in err
    assert main([*ingest, "--as", personas.analyst_pk.email]) == 2  # the other party's analyst
    assert "analyst_pk@test.example: You may not add documents" in capsys.readouterr().err
    assert main([*ingest, "--as", "nobody@test.example"]) == 2
    assert (
        "--as nobody@test.example: there is no account with this e-mail address." in capsys.readouterr().err
    )
    assert not PolicyDocument.objects.exists() and not DocumentVersion.objects.exists()
    assert main([*ingest, "--as", personas.delegate_my.email]) == 0
    assert PolicyDocument.objects.get().created_by == personas.delegate_my


def test_cli_commands_need_an_actor_when_the_site_has_no_single_administrator(db, tmp_path, capsys):
    from concord.accounts.actions import do_create_administrator

    assert main(["themes", "import"]) == 2
    assert "say who acts with --as EMAIL: the site has no administrator" in capsys.readouterr().err
    first = do_create_administrator(actor=None, email="one@test.example", full_name="One", password=None)
    do_create_administrator(actor=first, email="two@test.example", full_name="Two", password=None)
    assert main(["themes", "import"]) == 2
    assert "the site has several administrators" in capsys.readouterr().err
    assert main(["themes", "import", "--as", "two@test.example"]) == 0
    assert AuditEntry.objects.filter(action="library.themes.import", actor__email="two@test.example").exists()


def test_themes_import_refuses_who_the_rules_refuse(personas, capsys):
    assert main(["themes", "import", "--as", personas.delegate_my.email]) == 2
    assert (
        "delegate_my@test.example: Only the secretariat can import a theme taxonomy."
        in capsys.readouterr().err
    )
    assert not AuditEntry.objects.filter(action="library.themes.import").exists()
    assert main(["themes", "import", "--as", personas.secretariat.email]) == 0


def test_themes_import_updates_the_taxonomy(db, tmp_path, capsys):
    from concord.accounts.actions import do_create_administrator

    do_create_administrator(actor=None, email="admin@test.example", full_name="Admin", password=None)
    data = {
        "id": "test",
        "version": 2,
        "themes": [
            {
                "id": "quantum",
                "parent": None,
                "labels": {"en": "Quantum", "ms": "Kuantum", "ur": "کوانٹم"},
                "descriptions": {
                    "en": "Quantum computing.",
                    "ms": "Pengkomputeran kuantum.",
                    "ur": "کوانٹم کمپیوٹنگ۔",
                },
                "keywords": {"en": ["quantum"]},
            }
        ],
    }
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["themes", "import", str(path)]) == 0
    assert Theme.objects.get(slug="quantum").label_ms == "Kuantum"
    assert AuditEntry.objects.filter(action="library.themes.import").exists()
    path.write_text("{not json", encoding="utf-8")
    assert main(["themes", "import", str(path)]) == 2
    assert "E602" in capsys.readouterr().err


def test_the_default_taxonomy_is_loaded_by_migration(db):
    slugs = set(Theme.objects.values_list("slug", flat=True))
    assert {"ai", "cybersecurity", "personal-data-protection", "digital-trade"} <= slugs
    assert len(slugs) >= 15


def test_demo_loader_ingests_the_corpus_once(db, capsys):
    import io

    from concord.demo.load import load_foundation, load_library

    out = io.StringIO()
    load_foundation(out)
    load_library(out)
    assert "FAILED" not in out.getvalue()
    documents = PolicyDocument.objects.all()
    assert documents.count() == 17 and set(documents.values_list("visibility", flat=True)) == {"public"}
    assert all(d.current_version.status == "ready" for d in documents)
    amendment = PolicyDocument.objects.get(short_title="PDPA (Amendment) 2024")
    assert amendment.current_version.amends.document.short_title == "PDPA 2010"
    assert amendment.current_version.amends.document.language == "en"
    assert PolicyDocument.objects.get(short_title="PECA 2016", language="ur").is_summary
    load_library(out)  # idempotent
    assert PolicyDocument.objects.count() == 17
