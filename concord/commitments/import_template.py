"""The commitments import template: a CSV, or an XLSX whose second sheet lists the valid values.

The first sheet (the one the import reads) holds the header and one example row; the import page shows the
same codes and names, so nobody has to guess an internal working-group code.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from .importing import AMBITION, COMPLETION, template_rows


def working_groups(dialogue) -> list:
    from .models import WorkingGroup

    return list(WorkingGroup.objects.filter(dialogue=dialogue).order_by("slug"))


def as_csv(dialogue) -> bytes:
    groups = working_groups(dialogue)
    out = io.StringIO()
    csv.writer(out).writerows(template_rows(groups[0].name if groups else ""))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes spreadsheet programs read UTF-8


def as_xlsx(dialogue) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    groups = working_groups(dialogue)
    book = Workbook()
    sheet = book.active
    sheet.title = "commitments"
    for row in template_rows(groups[0].name if groups else ""):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    values = book.create_sheet(_("Valid values")[:31])
    bold = Font(bold=True)

    def section(title: str, header: list[str], rows: list[list[str]]) -> None:
        values.append([title])
        values.cell(row=values.max_row, column=1).font = bold
        values.append(header)
        for row in rows:
            values.append(row)
        values.append([])

    section(
        _("Working groups: write the code or a name in English, Malay or Urdu (column working_group)"),
        [_("Code"), _("Name"), _("Name (Malay)"), _("Name (Urdu)")],
        [[g.slug, g.name, g.name_ms, g.name_ur] for g in groups],
    )
    parties = list(dialogue.parties.order_by("code"))
    section(_("Parties (column party)"), [_("Code"), _("Name")], [[p.code, p.name] for p in parties])
    section(_("Completion (column completion)"), [_("Value")], [[c] for c in COMPLETION])
    section(_("Ambition (column ambition)"), [_("Value")], [[a] for a in AMBITION if a])
    section(_("Joint (column joint)"), [_("Value")], [["yes"], ["no"]])
    section(_("Dates (columns start_date, end_date)"), [_("Format")], [["YYYY-MM-DD"]])
    for sheet_ in (sheet, values):
        for column in sheet_.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet_.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
