"""Excel workbooks: one writer for every export (the dashboard's lists and figures, the TK-8
equality report, the PDPL copy of a person's data).

What every workbook gets: sheets right to left when the active language is; a text cell is
always text, so a name a beneficiary typed starting with «=» never becomes a formula (CSV/Excel
injection); characters Excel refuses are dropped rather than breaking the file; dates and
amounts get their number formats; sheet titles are made valid and unique. Rows are streamed
(openpyxl's write-only mode), so a list of 100,000 files does not sit in memory."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import translation
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

TITLE_LENGTH = 31  # Excel's limit
PROGRESS_EVERY = 2000  # rows between two progress reports
_UNSAFE_TITLE_CHARS = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass
class Sheet:
    """One worksheet: a title, the column headers, the rows and how many there are (for progress)."""

    title: str
    headers: list
    rows: Iterable
    size: int = 0


def _cell(ws, value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, Promise):
        value = str(value)
    if value is None:
        value = ""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.number_format = "#,##0.00"
    if bold:
        cell.font = Font(bold=True)
    return cell


def sheet_title(title, used: set[str]) -> str:
    """A valid sheet title (no []:*?/\\, at most 31 characters), different from those in `used`."""
    clean = " ".join(str(title).translate(_UNSAFE_TITLE_CHARS).split())[:TITLE_LENGTH] or "sheet"
    candidate, n = clean, 1
    while candidate in used:
        n += 1
        suffix = f" {n}"
        candidate = clean[:TITLE_LENGTH - len(suffix)] + suffix
    used.add(candidate)
    return candidate


def write_workbook(sheets: list[Sheet], progress: Callable[[int, int], None] | None = None) -> bytes:
    """The workbook's bytes; progress(done, total) is called as rows are written."""
    workbook = Workbook(write_only=True)
    rtl = translation.get_language_bidi()
    total, done, used = sum(s.size for s in sheets) or 1, 0, set()
    for sheet in sheets:
        ws = workbook.create_sheet(sheet_title(sheet.title, used))
        ws.sheet_view.rightToLeft = rtl
        ws.append([_cell(ws, header, bold=True) for header in sheet.headers])
        for row in sheet.rows:
            ws.append([_cell(ws, value) for value in row])
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
    if not sheets:
        workbook.create_sheet("sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
