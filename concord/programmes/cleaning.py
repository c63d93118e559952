"""Checking input for the programmes' actions (no writes here). Each check raises a ``ValidationError``
naming the field and saying what to do."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from concord.accounts.models import Dialogue, Party
from concord.core.models import Visibility
from concord.core.text import clean_text
from concord.directory.cleaning import clean_list
from concord.engine.extract import sniff
from concord.library.uploads import check_content, display_filename, read_upload

from .currencies import is_currency
from .models import Instrument, ProgrammeStatus

MAX_AMOUNT = Decimal("9999999999999999.99")


def clean_visibility(visibility: str, party: Party | None, dialogue: Dialogue) -> None:
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility “%(value)s”.") % {"value": visibility}})
    party_in_dialogue(dialogue, party, "party", missing=_("Say which party's programme this is."))


def party_in_dialogue(dialogue: Dialogue, party: Party | None, field: str, *, missing: str = "") -> Party:
    """``party``, which must be given (``missing`` says so, in the caller's words) and take part in
    ``dialogue``; else an error on ``field``."""
    if party is None:
        raise ValidationError({field: missing or _("Say which party.")})
    if not dialogue.parties.filter(pk=party.pk).exists():
        raise ValidationError(
            {field: _("%(party)s does not take part in this dialogue.") % {"party": party.code}}
        )
    return party


def clean_instruments(values) -> list[str]:
    chosen = clean_list(values or [], field="instruments", max_items=len(Instrument.values), max_length=40)
    unknown = [v for v in chosen if v not in Instrument.values]
    if unknown:
        raise ValidationError(
            {
                "instruments": _("Unknown instrument: %(names)s. Choose from: %(valid)s.")
                % {"names": ", ".join(unknown), "valid": ", ".join(Instrument.values)}
            }
        )
    return chosen


def clean_status(value: str) -> str:
    if value not in ProgrammeStatus.values:
        raise ValidationError(
            {
                "status": _("Unknown status “%(value)s”. Choose from: %(valid)s.")
                % {"value": value, "valid": ", ".join(ProgrammeStatus.values)}
            }
        )
    return value


def clean_budget(amount, currency: str) -> tuple[Decimal | None, str]:
    currency = (currency or "").strip().upper()
    if amount in (None, ""):
        if currency and not is_currency(currency):
            raise ValidationError({"budget_currency": _unknown_currency(currency)})
        return None, currency
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(
            {"budget_amount": _("“%(value)s” is not an amount.") % {"value": amount}}
        ) from None
    if not value.is_finite():
        raise ValidationError({"budget_amount": _("“%(value)s” is not an amount.") % {"value": amount}})
    if value < 0:
        raise ValidationError({"budget_amount": _("A budget cannot be negative.")})
    if value > MAX_AMOUNT:
        raise ValidationError({"budget_amount": _("This budget is larger than Concord can store.")})
    if not currency:
        raise ValidationError(
            {"budget_currency": _("Say which currency the budget is in (such as MYR or PKR).")}
        )
    if not is_currency(currency):
        raise ValidationError({"budget_currency": _unknown_currency(currency)})
    return value.quantize(Decimal("0.01")), currency


def _unknown_currency(code: str) -> str:
    return _("“%(code)s” is not an ISO 4217 currency code; use one such as MYR, PKR or USD.") % {"code": code}


def clean_dates(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date comes before the start date.")})


def clean_url(value: str | None, field: str = "source_url") -> str:
    value = (value or "").strip()
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError(
                {field: _("Give a web address starting with http:// or https://.")}
            ) from None
        if len(value) > 500:
            raise ValidationError({field: _("This address is longer than 500 characters.")})
    return value


def clean_decimal(value, *, field: str, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Give a value.")})
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("“%(value)s” is not a number.") % {"value": value}}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e16"):
        raise ValidationError({field: _("“%(value)s” is not a number Concord can store.") % {"value": value}})
    return number.quantize(Decimal("0.0001"))


def clean_name(value, *, field: str, max_length: int, required: bool = True) -> str:
    return clean_text(value or "", max_length=max_length, field=field, required=required)


def clean_prose(value, *, field: str, max_length: int = 10000) -> str:
    return clean_text(value or "", max_length=max_length, field=field, multiline=True, required=False)


# --- lesson files ----------------------------------------------------------------------------------------
IMAGES = {
    "a PNG image": ("image/png", "png"),
    "a JPEG image": ("image/jpeg", "jpg"),
    "a GIF image": ("image/gif", "gif"),
}
IMAGE_EXTENSIONS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "gif": "gif"}


def check_attachment(upload) -> tuple[bytes, str, str]:
    """The bytes, shown name and media type of a lesson's file: a document Concord reads (the library's
    check by content: PDF, Word, HTML, Markdown, text) or a PNG, JPEG or GIF image that opens. Anything
    else (programs, archives, SVG, damaged files) is refused with a message naming the file."""
    name = display_filename(getattr(upload, "name", "") or "upload")
    try:
        data = read_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"files": f"{name}: " + "; ".join(exc.messages)}) from None
    sniffed = sniff(data)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if sniffed.description in IMAGES:
        media_type, kind = IMAGES[sniffed.description]
        if extension and IMAGE_EXTENSIONS.get(extension, kind) != kind:
            raise ValidationError(
                {
                    "files": _("“%(name)s” is named as another kind of file than the image it holds.")
                    % {"name": name}
                }
            )
        from PIL import Image

        try:
            Image.open(io.BytesIO(data)).verify()
        except Exception:
            raise ValidationError({"files": _("“%(name)s” is a damaged image.") % {"name": name}}) from None
        return data, name, media_type
    if extension in IMAGE_EXTENSIONS:
        raise ValidationError(
            {"files": _("“%(name)s” is named as an image, but its content is not one.") % {"name": name}}
        )
    try:
        media_type = check_content(data, filename=name, declared_type="")
    except ValidationError as exc:
        raise ValidationError({"files": f"{name}: " + "; ".join(exc.messages)}) from None
    return data, name, media_type
