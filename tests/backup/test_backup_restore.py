"""Backup and restore: a round trip gives back every row of every table and every stored file, exactly.

Runs on the suite's database (SQLite, or PostgreSQL when DATABASE_URL says so: PG→PG), and across
vendors through the `concord` command: the suite's database → a new SQLite file → back again.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from concord.audit.models import AuditEntry
from concord.backup import BackupError, read_manifest, restore_backup, stored_models, write_backup
from concord.commitments import actions as commitment_actions
from concord.core import actions as core_actions
from concord.knowledge.models import SearchEntry
from concord.library import actions as library_actions

ROOT = Path(__file__).resolve().parents[2]
ORIGINAL = b"Section 1. Personal data\n\n(1) A controller shall protect personal data.\n" + bytes(range(256))


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table, through the ORM, by primary key: the values as Python sees them."""
    rows = {}
    for model in stored_models(apps, connection):
        names = [f.attname for f in model._meta.concrete_fields]
        values = model._base_manager.order_by("pk").values_list(*names)
        rows[model._meta.db_table] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in values
        ]
    return rows


def every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def content(personas, media):
    """Rows with the values a lossy dump breaks: microseconds, binary blobs, decimals, JSON, files."""
    note = core_actions.do_create_note(
        actor=personas.delegate_my, dialogue=personas.dialogue, title="Nota ✓ ملائیشیا", body="b"
    )
    document = library_actions.do_ingest_document(
        actor=personas.analyst_my,
        dialogue=personas.dialogue,
        upload=SimpleUploadedFile("pdpa.md", ORIGINAL[:70]),
        filename="pdpa.md",
        title="Personal Data Protection Act",
        kind="law",
        party=personas.my,
        country="MY",
        visibility="party",
    )
    commitment = commitment_actions.do_create_commitment(
        actor=personas.secretariat,
        dialogue=personas.dialogue,
        code="C-1",
        title="Data flows",
        budget_amount=decimal.Decimal("98765432.01"),
    )
    SearchEntry.objects.create(
        kind="note",
        object_id=note.pk,
        title="Blob",
        body="",
        visibility="public",
        embedding=np.array([0.1, -2.5e-8, 3.0], dtype=np.float32).tobytes() + b"\x00\xff",
        date=dt.date(2026, 1, 2),
        url="/x",
    )
    (media / "evidence").mkdir()
    (media / "evidence" / "scan.bin").write_bytes(ORIGINAL)
    return note, document, commitment


def test_a_round_trip_gives_back_every_row_and_every_file(content, media, tmp_path):
    note, _document, commitment = content
    assert note.created_at.microsecond or note.updated_at.microsecond  # there are microseconds to keep
    rows, files = every_row(), every_file(media)
    assert files and any(rows[t] for t in ("library_documentversion", "knowledge_searchentry"))

    backup = tmp_path / "b.tar"
    result = write_backup(backup)
    assert result.rows == sum(len(r) for r in rows.values()) and result.files == len(files)

    # Replace everything: the rows, the audit log (append-only, yet replaced on purpose) and the files.
    core_actions.do_create_note(actor=content[0].created_by, dialogue=note.dialogue, title="later", body="b")
    (media / "stray.txt").write_text("not in the backup")
    target = tmp_path / "restored-media"
    with pytest.raises(BackupError, match="not empty"):
        restore_backup(backup, media_root=target)
    restore_backup(backup, media_root=target, force=True)

    assert every_row() == rows
    assert every_file(target) == files
    commitment.refresh_from_db()
    assert commitment.budget_amount == decimal.Decimal("98765432.01")
    assert AuditEntry.objects.count() == len(rows["audit_auditentry"])


def test_the_archive_holds_a_manifest_with_checksums_and_one_jsonl_per_table(content, media, tmp_path):
    backup = tmp_path / "b.tar"
    write_backup(backup)
    with tarfile.open(backup) as tar:
        manifest = read_manifest(tar)
        names = set(tar.getnames())
        for name, meta in manifest["files"].items():
            data = tar.extractfile(f"media/{name}").read()
            assert hashlib.sha256(data).hexdigest() == meta["sha256"] and len(data) == meta["size"]
        notes = [json.loads(line) for line in tar.extractfile("db/core_note.jsonl")]
    assert {f"db/{t}.jsonl" for t in manifest["tables"]} <= names
    assert (
        manifest["vendor"] == connection.vendor
        and ["audit", "0003_scope_and_pseudonymous_actor"] in (manifest["migrations"])
    )
    stamp = notes[0]["created_at"]
    assert dt.datetime.fromisoformat(stamp) == content[0].created_at and "." in stamp  # microseconds kept


def test_a_damaged_backup_is_refused_before_anything_is_written(content, media, tmp_path):
    backup = tmp_path / "b.tar"
    write_backup(backup)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(backup) as src, tarfile.open(damaged, "w") as out:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "db/core_note.jsonl":
                data = data.replace(b"Nota", b"Note")
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    rows = every_row()
    with pytest.raises(BackupError, match="core_note.jsonl does not match its checksum"):
        restore_backup(damaged, media_root=tmp_path / "m2", force=True)
    assert every_row() == rows and not (tmp_path / "m2").exists()
    (tmp_path / "junk.tar").write_bytes(b"not a tar")
    with pytest.raises(BackupError, match="not a readable tar"):
        restore_backup(tmp_path / "junk.tar", force=True)


def _concord(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MEDIA_ROOT": str(media_root)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # the command's own option chooses the database
    return subprocess.run(
        [sys.executable, "-m", "concord.cli", *args, "--database-url", database_url, "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=500,
        check=False,
    )


def _contents(backup: Path) -> tuple[dict[str, list], dict[str, bytes]]:
    """The rows (decoded JSON, in order) and files of a backup."""
    with tarfile.open(backup) as tar:
        manifest = read_manifest(tar)
        rows = {
            t: [json.loads(line) for line in tar.extractfile(f"db/{t}.jsonl")] for t in manifest["tables"]
        }
        files = {n: tar.extractfile(f"media/{n}").read() for n in manifest["files"]}
    return rows, files


@pytest.mark.django_db(transaction=True)
def test_across_databases_through_the_command_line(content, media, tmp_path):
    """The suite's database → a new SQLite file (`concord restore`) → its backup (`concord backup`) holds
    the same rows and files; then that SQLite backup restores into the suite's database, exactly."""
    rows = every_row()
    first = tmp_path / "first.tar"
    write_backup(first)
    sqlite_url = f"sqlite:///{tmp_path / 'copy.sqlite3'}"
    done = _concord("restore", str(first), database_url=sqlite_url, media_root=tmp_path / "copy-media")
    assert done.returncode == 0, done.stderr
    again = _concord("restore", str(first), database_url=sqlite_url, media_root=tmp_path / "copy-media")
    assert again.returncode == 1 and "not empty" in again.stderr
    second = tmp_path / "second.tar"
    done = _concord("backup", str(second), database_url=sqlite_url, media_root=tmp_path / "copy-media")
    assert done.returncode == 0, done.stderr
    assert _contents(second) == _contents(first)

    restore_backup(second, media_root=tmp_path / "back", force=True)  # and into this vendor again
    assert every_row() == rows
    assert every_file(tmp_path / "back") == every_file(media)


def test_bad_arguments_get_a_clear_message(tmp_path):
    missing = _concord("restore", str(tmp_path / "none.tar"), database_url="sqlite:///x", media_root=tmp_path)
    assert missing.returncode == 1 and "No backup at" in missing.stderr
    empty = _concord("backup", str(tmp_path / "b.tar"), database_url=" ", media_root=tmp_path)
    assert empty.returncode != 0 and "--database-url is empty" in empty.stderr
    wrong = _concord("backup", str(tmp_path / "b.tar"), database_url="mongodb://x/y", media_root=tmp_path)
    assert wrong.returncode != 0 and "is not a database URL" in wrong.stderr
    assert not (tmp_path / "b.tar").exists()


def test_backup_refuses_to_overwrite(tmp_path):
    (tmp_path / "b.tar").write_bytes(b"keep me")
    out = _concord(
        "backup", str(tmp_path / "b.tar"), database_url=f"sqlite:///{tmp_path / 'x'}", media_root=tmp_path
    )
    assert out.returncode == 2 and "exists" in out.stderr
    assert (tmp_path / "b.tar").read_bytes() == b"keep me"
