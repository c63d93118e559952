"""Backups: the whole database and the stored files in one tar, restored exactly, on SQLite or PostgreSQL.

A backup is a tar holding:

- ``db/<table>.jsonl``: one JSON object per row, every concrete column by name, rows in primary-key
  order. Values are written exactly: date-times in ISO 8601 with microseconds and offset, decimals as
  strings, binary columns in base64, JSON columns as JSON, UUIDs as strings.
- ``media/<path>``: every stored file (originals of uploaded documents, evidence, exports), byte for byte.
- ``manifest.json``: the format version, when and from which database vendor it was taken, the applied
  migrations, and for every table its row count and for every member its size and SHA-256.

The database is read in one transaction (REPEATABLE READ on PostgreSQL; a read transaction on SQLite),
so the tables agree with each other. Restore checks every checksum before it writes anything, brings a
new database to the backup's migration state, loads all rows in one transaction, then applies any newer
migrations, so a backup restores on a later Concord too. Files are unpacked beside the media folder and
swapped in only once the database has committed: a failed restore leaves the target as it was.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from concord.audit import append_only

FORMAT = "concord-backup"
FORMAT_VERSION = 1
BATCH = 2000
# Rows that `migrate` itself writes: a freshly migrated database holding only these is empty.
WRITTEN_BY_MIGRATE = {"django_content_type", "auth_permission", "library_theme"}

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- values ----------------------------------------------------------------------------------------------


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind in ("DateTimeField", "DateField", "TimeField"):
        return value.isoformat()
    if kind == "DecimalField":
        return str(value)
    if kind == "BinaryField":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "UUIDField":
        return str(value)
    if kind == "DurationField":
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    return value  # ints, strings, booleans, floats, JSON values


def _decode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "DateTimeField":
        moment = dt.datetime.fromisoformat(value)
        if settings.USE_TZ and timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        return moment
    if kind == "DateField":
        return dt.date.fromisoformat(value)
    if kind == "TimeField":
        return dt.time.fromisoformat(value)
    if kind == "DecimalField":
        return decimal.Decimal(value)
    if kind == "BinaryField":
        return base64.b64decode(value)
    if kind == "UUIDField":
        return uuid.UUID(value)
    if kind == "DurationField":
        return dt.timedelta(microseconds=value)
    return value


def _kind(f: models.Field) -> str:
    """The type of what the column holds (a foreign key holds its target's: an int, a UUID...)."""
    while f.is_relation and f.concrete and getattr(f, "target_field", None) is not None:
        f = f.target_field  # type: ignore[assignment]
    return f.get_internal_type()


# --- what is backed up -----------------------------------------------------------------------------------


def stored_models(app_registry, connection) -> list[type[models.Model]]:
    """Every table-backed model of ``app_registry`` present in the database, in a stable order."""
    present = set(connection.introspection.table_names())
    found = {}
    for model in app_registry.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table not in present:
            continue
        found.setdefault(meta.db_table, model)
    return [found[t] for t in sorted(found)]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(base) / name
            if path.is_symlink() or not path.is_file() or name.endswith(".part"):
                continue
            yield path.relative_to(root).as_posix(), path


def _applied_migrations(connection) -> list[list[str]]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


@contextmanager
def _snapshot(connection):
    """One consistent view of the whole database for the length of the block."""
    outer = connection.in_atomic_block  # inside a caller's transaction, that one is the snapshot
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


# --- backup ----------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    size: int = 0
    missing_files: list[str] = field(default_factory=list)


def _write_table(tar, scratch: Path, model, using: str, manifest: dict[str, Any], referenced: set[str]):
    """Write one model's rows, one JSON object a line, into the archive and the manifest; note the files
    its rows refer to in ``referenced``. Returns the table's name and its row count."""
    table = model._meta.db_table
    fields = list(model._meta.concrete_fields)
    file_fields = [i for i, f in enumerate(fields) if isinstance(f, models.FileField)]
    rows_file = scratch / f"{table}.jsonl"
    count = 0
    with rows_file.open("w", encoding="utf-8") as out:
        qs = model._base_manager.using(using).order_by("pk").values_list(*[f.attname for f in fields])
        for row in qs.iterator(chunk_size=BATCH):
            record = {f.column: _encode(_kind(f), v) for f, v in zip(fields, row, strict=True)}
            referenced.update(str(row[i]) for i in file_fields if row[i])
            # Key order kept as stored: JSON columns come back with the same text.
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    tar.add(rows_file, arcname=f"db/{table}.jsonl")
    manifest["tables"][table] = {
        "rows": count,
        "sha256": _sha256_file(rows_file),
        "columns": [f.column for f in fields],
    }
    return table, count


def write_backup(
    path: Path | str,
    *,
    using: str = "default",
    media_root: Path | str | None = None,
    progress: Progress | None = None,
) -> BackupResult:
    """Write a backup of database ``using`` and of ``media_root`` (default MEDIA_ROOT) to ``path``."""
    from django.apps import apps

    say = progress or (lambda _msg: None)
    path = Path(path)
    media = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    result = BackupResult(path=path)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "vendor": connection.vendor,
        "tables": {},
        "files": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    referenced: set[str] = set()
    try:
        with tarfile.open(partial, "w:gz" if path.name.endswith("gz") else "w") as tar:
            with tempfile.TemporaryDirectory() as scratch, _snapshot(connection):
                manifest["migrations"] = _applied_migrations(connection)
                for model in stored_models(apps, connection):
                    table, count = _write_table(tar, Path(scratch), model, using, manifest, referenced)
                    result.tables += 1
                    result.rows += count
                    say(f"{table}: {count} rows")
                # Files are read while the snapshot is held: a file a row refers to is never purged
                # before its row is gone, so every referenced file is still there.
                for name, file_path in _media_files(media):
                    digest = _sha256_file(file_path)
                    size = file_path.stat().st_size
                    tar.add(file_path, arcname=f"media/{name}", recursive=False)
                    manifest["files"][name] = {"size": size, "sha256": digest}
                    result.files += 1
                    result.file_bytes += size
            result.missing_files = sorted(referenced - set(manifest["files"]))
            manifest["missing_files"] = result.missing_files
            data = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        partial.replace(path)  # the backup appears whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    result.size = path.stat().st_size
    say(f"{result.files} files, {result.file_bytes} bytes")
    return result


# --- restore ---------------------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and bool(p.parts)


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise BackupError("This file is not a Concord backup: it has no manifest.json.") from None
    fh = tar.extractfile(member)
    if fh is None:
        raise BackupError("The backup's manifest.json is not a file.")
    try:
        manifest = json.loads(fh.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"The backup's manifest.json is damaged: {exc}.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This file is not a Concord backup (its manifest names another format).")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('version')}; this Concord reads version "
            f"{FORMAT_VERSION}."
        )
    return manifest


def verify(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Every member listed, present, unaltered, and nothing else: before anything is written."""
    expected = {f"db/{t}.jsonl": m["sha256"] for t, m in manifest["tables"].items()}
    expected |= {f"media/{n}": m["sha256"] for n, m in manifest["files"].items()}
    seen = set()
    for member in tar.getmembers():
        if member.name == "manifest.json":
            continue
        if not _safe_member(member.name) or not member.isfile():
            raise BackupError(f"The backup holds an unsafe or unexpected entry: {member.name!r}.")
        if member.name not in expected:
            raise BackupError(f"The backup holds a file its manifest does not list: {member.name}.")
        digest = hashlib.sha256()
        fh = tar.extractfile(member)
        assert fh is not None
        for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
            digest.update(chunk)
        if digest.hexdigest() != expected[member.name]:
            raise BackupError(f"The backup is damaged: {member.name} does not match its checksum.")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"The backup is incomplete: {', '.join(missing[:5])} missing.")


def _leaf_targets(connection, applied: set[tuple[str, str]]) -> list[tuple[str, str]]:
    graph = MigrationExecutor(connection).loader.graph
    unknown = sorted(k for k in applied if k not in graph.nodes)
    if unknown:
        names = ", ".join(f"{a}.{n}" for a, n in unknown[:5])
        raise BackupError(
            f"The backup comes from a newer Concord: this one does not know the migrations {names}. "
            "Upgrade Concord, then restore."
        )
    targets = []
    for app in sorted({a for a, _ in applied}):
        mine = {k for k in applied if k[0] == app}
        leaves = [k for k in mine if not any(c in mine for c in graph.node_map[k].children)]
        targets.extend(sorted(leaves))
    return targets


def nonempty_tables(connection, model_list) -> dict[str, int]:
    counts = {}
    for model in model_list:
        table = model._meta.db_table
        if table in WRITTEN_BY_MIGRATE:
            continue
        n = model._base_manager.using(connection.alias).count()
        if n:
            counts[table] = n
    return counts


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    replaced_media: Path | None = None


def restore_backup(
    path: Path | str,
    *,
    using: str = "default",
    media_root: Path | str | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> RestoreResult:
    """Restore the backup at ``path`` into database ``using`` and ``media_root`` (default MEDIA_ROOT).

    The database must be empty (new, or holding only what ``migrate`` writes) and the media folder empty,
    unless ``force``: then their contents are replaced (the old media folder is kept beside the new one).
    """
    say = progress or (lambda _msg: None)
    path = Path(path)
    media = Path(media_root or settings.MEDIA_ROOT)
    connection = connections[using]
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by the with block below
    except tarfile.TarError as exc:
        raise BackupError(f"{path} is not a readable tar file ({exc}).") from None
    with tar:
        manifest = read_manifest(tar)
        verify(tar, manifest)
        say(f"checked: {len(manifest['tables'])} tables, {len(manifest['files'])} files")
        applied = {(a, n) for a, n in manifest["migrations"]}
        current = set()
        if _has_migration_table(connection):
            current = {(a, n) for a, n in _applied_migrations(connection)}
        newer = sorted(current - applied)
        if newer:
            names = ", ".join(f"{a}.{n}" for a, n in newer[:5])
            raise BackupError(
                f"The target database has migrations the backup does not ({names}): restore into a new, "
                "empty database (the restore applies newer migrations itself, after loading)."
            )
        executor = MigrationExecutor(connection)
        targets = _leaf_targets(connection, applied)
        state = executor.loader.project_state(targets, at_end=True)
        historical = state.apps
        if current:
            model_list = stored_models(historical, connection)
            busy = nonempty_tables(connection, model_list)
            if busy and not force:
                listed = ", ".join(f"{t} ({n} rows)" for t, n in sorted(busy.items())[:6])
                raise BackupError(
                    f"The target database is not empty: {listed}. Restore into an empty database, or pass "
                    "--force to replace its contents."
                )
        if any(True for _ in _media_files(media)) and not force:
            raise BackupError(
                f"The media folder {media} is not empty. Restore into an empty one, or pass --force to "
                "replace it (the old folder is kept beside it)."
            )
        media.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{media.name}-restore-", dir=media.parent))
        try:
            files = _unpack_media(tar, manifest, staging)
            executor.migrate(targets)  # a new database: up to the backup's state, no further
            executor = MigrationExecutor(connection)
            historical = executor.loader.project_state(targets, at_end=True).apps
            result = _load_rows(tar, manifest, connection, historical, say)
            result.files = files
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    result.replaced_media = _swap_media(staging, media)
    # Newer migrations of this Concord, applied to the restored data.
    from django.core.management import call_command

    call_command("migrate", database=using, interactive=False, verbosity=0)
    say(f"restored {result.rows} rows in {result.tables} tables and {result.files} files")
    return result


def _has_migration_table(connection) -> bool:
    return "django_migrations" in connection.introspection.table_names()


def _unpack_media(tar: tarfile.TarFile, manifest: dict[str, Any], staging: Path) -> int:
    count = 0
    for name in sorted(manifest["files"]):
        fh = tar.extractfile(f"media/{name}")
        assert fh is not None
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as out:
            shutil.copyfileobj(fh, out, 1 << 20)
        count += 1
    return count


def _load_rows(tar, manifest, connection, historical, say: Progress) -> RestoreResult:
    result = RestoreResult()
    by_table = {m._meta.db_table: m for m in stored_models(historical, connection)}
    unknown = sorted(set(manifest["tables"]) - set(by_table))
    if unknown:
        raise BackupError(f"The backup has tables this database lacks: {', '.join(unknown[:5])}.")
    with transaction.atomic(using=connection.alias), append_only.lifted(connection):
        # Empty every table first: what migrate wrote (content types, permissions, themes) is replaced by
        # the backup's own rows, so every id that points at them stays right.
        tables = [m._meta.db_table for m in by_table.values()]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending FK checks
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True)
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in sorted(manifest["tables"]):
            model = by_table[table]
            fields = list(model._meta.concrete_fields)
            by_column = {f.column: f for f in fields}
            columns = manifest["tables"][table]["columns"]
            absent = sorted(set(columns) - set(by_column))
            if absent:
                raise BackupError(f"Table {table} lacks the backup's columns {', '.join(absent)}.")
            fh = tar.extractfile(f"db/{table}.jsonl")
            batch: list[models.Model] = []
            count = 0
            for line in io.TextIOWrapper(fh, encoding="utf-8"):
                record = json.loads(line)
                values = {by_column[c].attname: _decode(_kind(by_column[c]), v) for c, v in record.items()}
                batch.append(model(**values))
                if len(batch) >= BATCH:
                    _insert(model, batch, connection)
                    count += len(batch)
                    batch = []
            if batch:
                _insert(model, batch, connection)
                count += len(batch)
            if count != manifest["tables"][table]["rows"]:
                expected = manifest["tables"][table]["rows"]
                raise BackupError(f"Table {table}: read {count} rows, the manifest says {expected}.")
            result.tables += 1
            result.rows += count
            say(f"{table}: {count} rows")
        reset = connection.ops.sequence_reset_sql(no_style(), list(by_table.values()))
        if reset:
            with connection.cursor() as cursor:
                for sql in reset:
                    cursor.execute(sql)
    return result


def _insert(model, batch, connection) -> None:
    # raw=True: the values go in as they are (no auto_now, no defaults), and the model's save() is skipped.
    fields = list(model._meta.concrete_fields)
    model._base_manager.using(connection.alias)._insert(
        batch, fields=fields, raw=True, using=connection.alias
    )


def _swap_media(staging: Path, media: Path) -> Path | None:
    """Put the restored files in place; a non-empty media folder is kept beside, renamed."""
    replaced = None
    if media.exists():
        if any(media.iterdir()):
            replaced = media.with_name(f"{media.name}.replaced-{timezone.now():%Y%m%d-%H%M%S}")
            media.rename(replaced)
        else:
            media.rmdir()
    media.parent.mkdir(parents=True, exist_ok=True)
    staging.rename(media)
    return replaced
