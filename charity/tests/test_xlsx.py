"""The one Excel writer every export uses (charity/xlsx.py)."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import translation
from openpyxl import load_workbook

from charity.xlsx import Sheet, sheet_title, write_workbook


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_text_is_never_a_formula_and_bad_characters_do_not_break_the_file():
    rows = [("=HYPERLINK(\"http://x\",\"click\")", "+1", "سارة\x07", None, Decimal("12.50"), dt.date(2026, 11, 24))]
    with translation.override("ar"):
        book = _open(write_workbook([Sheet("قائمة", ["أ", "ب", "ج", "د", "هـ", "و"], rows, 1)]))
    sheet = book["قائمة"]
    cells = list(next(sheet.iter_rows(min_row=2)))
    assert [c.data_type for c in cells[:3]] == ["s", "s", "s"]
    assert cells[0].value.startswith("=HYPERLINK") and cells[2].value == "سارة" and cells[3].value is None
    assert cells[4].number_format == "#,##0.00" and cells[5].number_format == "yyyy-mm-dd"
    assert sheet.sheet_view.rightToLeft and all(c.font.b for c in sheet[1])


def test_sheet_titles_are_valid_unique_and_the_direction_follows_the_language():
    used: set[str] = set()
    long = "x" * 40
    assert sheet_title("a/b:c", used) == "a b c" and sheet_title(long, used) == "x" * 31
    assert sheet_title(long, used) == "x" * 29 + " 2"
    with translation.override("en"):
        book = _open(write_workbook([Sheet("Files", ["A"], [], 0), Sheet("Files", ["A"], [], 0)]))
    assert book.sheetnames == ["Files", "Files 2"] and not book["Files"].sheet_view.rightToLeft
