"""Checking what an upload brings in: size, content, claimed type, file name and document metadata.

Each check raises a ``ValidationError`` naming the field and saying what to do. :func:`check_content`
runs the engine's upload-time checks (``concord.engine.intake``), so a file Concord cannot read is refused
while its sender waits, and nothing of it is stored.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from concord.core.text import clean_text
from concord.engine.errors import EngineError
from concord.engine.intake import check_upload

from .models import DocumentKind, DocumentStatus
from .refusals import refusal

LANGUAGE_CODES = ("en", "ms", "ur")


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def check_upload_size(size: int) -> None:
    limit = settings.CONCORD_MAX_UPLOAD_BYTES
    if size > limit:
        message = _(
            "The file is %(size)s, over the %(limit)s upload limit. Split the document into smaller "
            "files, or ask an administrator to raise the limit."
        ) % {"size": _size_text(size), "limit": _size_text(limit)}
        raise ValidationError({"file": ValidationError(message, code="too_large")})


def read_upload(upload) -> bytes:
    """The bytes of an upload (``UploadedFile``, a path or bytes), refusing oversized ones early."""
    if isinstance(upload, bytes | bytearray):
        check_upload_size(len(upload))
        return bytes(upload)
    if isinstance(upload, str | Path):
        path = Path(upload)
        check_upload_size(path.stat().st_size)
        return path.read_bytes()
    size = getattr(upload, "size", None)
    if size is not None:
        check_upload_size(size)
    upload.seek(0)
    data = upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1)
    check_upload_size(len(data))
    return data


_DECLARABLE = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/html",
    "application/xhtml+xml",
    "text/markdown",
    "text/x-markdown",
    "text/plain",
}


def declared_type_of(content_type: str | None) -> str:
    """The media type an upload claims, when it is one Concord reads; browsers send vaguer ones too
    (``application/octet-stream``, ``application/x-zip-compressed``), and then the file name speaks."""
    key = (content_type or "").split(";")[0].strip().lower()
    return key if key in _DECLARABLE else ""


# The name shown and kept for a file (the full name, up to the column's size), and the name it is stored
# under (short and plain, as file systems and URLs like).
FILENAME_MAX = 255
STORED_FILENAME_MAX = 100


def middle_truncate(name: str, limit: int) -> str:
    """``name`` cut to ``limit`` characters in its middle: its start, its extension and the end of its stem
    stay (``Personal Data Prot…2025 final.md``), since both ends of a file name tend to carry meaning."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10 or not stem:
        stem, extension = name, ""
    tail_ext = f".{extension}" if extension else ""
    room = limit - len(tail_ext) - 1  # one character for the ellipsis
    head = (room + 1) // 2
    return f"{stem[:head]}…{stem[len(stem) - (room - head) :] if room - head else ''}{tail_ext}"


def display_filename(name: str) -> str:
    """The uploaded file's name as the uploader gave it, minus any folders, control characters and
    bidirectional overrides (which can make ``exe.md`` display as ``dm.exe``)."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = clean_text(name, max_length=100_000, field="file", required=False).strip(" .")
    return middle_truncate(name or "upload", FILENAME_MAX)


def _safe_filename(name: str) -> str:
    """The name the original is stored under: letters, digits, ``._-`` and spaces only, cut in the middle."""
    keep = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in display_filename(name)).strip(" .")
    return middle_truncate(keep or "upload", STORED_FILENAME_MAX).replace("…", "_")


def check_content(data: bytes, *, filename: str, declared_type: str) -> str:
    """The media type the upload will be read as, or a ValidationError on ``file`` (coded ``E1xx``) for a
    file that can be refused now: empty, of a type Concord does not read, damaged, a zip bomb..."""
    try:
        return check_upload(
            data,
            filename=filename,
            declared_type=declared_type or None,
            max_bytes=settings.CONCORD_MAX_UPLOAD_BYTES,
            max_chars=settings.CONCORD_MAX_DOCUMENT_CHARS,
        )
    except EngineError as exc:
        raise refusal(exc) from None


def _clean_metadata(data: dict) -> dict:
    out = {}
    if "title" in data:
        out["title"] = clean_text(data["title"], max_length=300, field="title")
    if "short_title" in data:
        out["short_title"] = clean_text(
            data["short_title"] or "", max_length=120, field="short_title", required=False
        )
    if "issuer" in data:
        out["issuer"] = clean_text(data["issuer"] or "", max_length=200, field="issuer", required=False)
    if "kind" in data and data["kind"] not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown kind of document “%(value)s”.") % {"value": data["kind"]}})
    if "status" in data and data["status"] not in DocumentStatus.values:
        raise ValidationError({"status": _("Unknown status “%(value)s”.") % {"value": data["status"]}})
    if data.get("language") and data["language"] not in LANGUAGE_CODES:
        raise ValidationError(
            {
                "language": _(
                    "Concord reads English (en), Malay (ms) and Urdu (ur) documents, not “%(value)s”."
                )
                % {"value": data["language"]}
            }
        )
    year = data.get("year")
    if year is not None and not (1900 <= int(year) <= 2100):
        raise ValidationError({"year": _("Give a year between 1900 and 2100.")})
    for name in ("issued_on", "in_force_on"):
        value = data.get(name)
        if value is not None and not isinstance(value, date):
            raise ValidationError({name: _("Give a date.")})
    if data.get("source_url"):
        try:
            URLValidator(schemes=["http", "https"])(data["source_url"])
        except ValidationError:
            raise ValidationError(
                {"source_url": _("Give a web address starting with http:// or https://.")}
            ) from None
    country = data.get("country") or ""
    if country and not (len(country) == 2 and country.isalpha()):
        raise ValidationError({"country": _("Use a two-letter ISO country code, such as MY or PK.")})
    for name in ("kind", "status", "year", "issued_on", "in_force_on"):
        if name in data:
            out[name] = data[name]
    for name in ("language", "source_url"):
        if name in data:
            out[name] = data[name] or ""
    if "is_summary" in data:
        out["is_summary"] = bool(data["is_summary"])
    if "country" in data:
        out["country"] = country.upper()
    return out
