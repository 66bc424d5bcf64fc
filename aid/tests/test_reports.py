"""TK-8: the equality report, checked against an independent computation."""

import pytest

from aid import reports
from charity.models import Category

from .builders import D, seed_equality

pytestmark = pytest.mark.django_db


# --- TK-8: the equality report ----------------------------------------------------------------------------


@pytest.mark.rule("TK-8")
def test_tk8_equality_report_matches_an_independent_computation(staff, fund, django_assert_num_queries):
    """TK-8: per file Σ(paid amount / household size when proposed); count, min, median, max, mean;
    files far from the median; totals by purpose and fund. Approved-only and out-of-period aid excluded.
    Three aggregate queries whatever the number of files (per file, by purpose, by fund)."""
    (a, b, c, d), start, end = seed_equality(staff, fund)
    staff["manager"].has_perm("beneficiaries.view_all_files")  # load the permission cache first
    with django_assert_num_queries(3):
        report = reports.equality_report(user=staff["manager"], start=start, end=end)
    expected = {a.number: D("900.00"), b.number: D("300") / 2 + D("450") / 3, c.number: D("100.00"),
                d.number: D("100.00")}
    assert {r["file__number"]: r["per_member"] for r in report["rows"]} == expected
    values = sorted(expected.values())  # 100, 100, 300, 900
    assert report["stats"] == {"count": 4, "min": values[0], "median": (values[1] + values[2]) / 2,
                               "max": values[-1], "mean": sum(values) / 4}
    assert [r["file__number"] for r in report["far_above"]] == [a.number]  # 900 > 2 × 200
    assert report["far_below"] == []  # 100 is exactly half the median: not below it
    assert report["total"] == D("2550.00")
    assert {r["purpose"]: (r["total"], r["files"]) for r in report["by_purpose"]} == {
        "relief": (D("2150.00"), 3), "food": (D("400.00"), 1)}
    assert {r["fund__name"]: (r["total"], r["files"]) for r in report["by_fund"]} == {
        fund.name: (D("2150.00"), 3), "صندوق الغذاء": (D("400.00"), 1)}


@pytest.mark.rule("TK-8")
def test_tk8_equality_report_by_category_and_scope(staff, fund):
    """TK-8: the optional category narrows the files; a researcher sees only the files they may see."""
    (a, b, c, d), start, end = seed_equality(staff, fund)
    orphan = Category.objects.get(code="orphan")
    report = reports.equality_report(user=staff["manager"], start=start, end=end, category=orphan)
    assert [r["file__number"] for r in report["rows"]] == [d.number]
    assert report["stats"]["median"] == D("100.00")
    assert reports.equality_report(user=staff["researcher2"], start=start, end=end)["rows"] == []
