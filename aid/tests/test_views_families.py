"""Aid through the pages: families too proud to ask (TK-2) and the equality report of aid per
household member (TK-8)."""

import io

import pytest
from openpyxl import load_workbook

from aid import policy
from aid.models import Recommendation
from charity.models import AccessLog

from .builders import D, ar, form_errors, seed_equality, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("view_clock")]


# --- TK-2: recommendations -------------------------------------------------------------------------------------


@pytest.mark.rule("TK-2")
def test_tk2_recommendation_pages(client, staff, file):
    """TK-2: a researcher recommends a family; the manager sees all, another researcher none; follow-up
    to «applied» links the file opened."""
    client.force_login(staff["researcher"])
    response = client.post(url("aid_recommendation_new"), {
        "family_name": "أسرة أم سعد", "city": "الرياض", "situation": "مطلقة بلا دخل", "recommended_aid": "إيجار"})
    assert response.status_code == 302
    rec = Recommendation.objects.get()
    client.force_login(staff["researcher2"])
    assert list(client.get(url("aid_recommendations")).context["recommendations"]) == []
    assert client.get(url("aid_follow_up", rec.pk)).status_code == 404
    client.force_login(staff["manager"])
    assert list(client.get(url("aid_recommendations")).context["recommendations"]) == [rec]
    response = client.post(url("aid_follow_up", rec.pk), {"status": "applied", "file_number": "", "note": ""})
    assert form_errors(response, "file_number") == [ar(policy.FILE_REQUIRED)]
    response = client.post(url("aid_follow_up", rec.pk), {"status": "applied", "file_number": file.number})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.status, rec.file) == ("applied", file)


# --- TK-8: the equality report --------------------------------------------------------------------------------


@pytest.mark.rule("TK-8")
def test_tk8_equality_page_and_excel_export(client, staff, fund):
    """TK-8: the page shows the distribution; the Excel export has the same figures and is logged."""
    (a, b, c, d), start, end = seed_equality(staff, fund)
    client.force_login(staff["manager"])
    params = {"start": start.isoformat(), "end": end.isoformat()}
    page = client.get(url("aid_equality"), params)
    stats = page.context["report"]["stats"]
    assert (stats["count"], stats["median"], stats["max"]) == (4, D("200.00"), D("900.00"))
    assert 'data-position="above"' in page.content.decode()
    export = client.get(url("aid_equality_export"), params)
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(export.content))
    files = {row[0]: row[4] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert files == {a.number: 900, b.number: 300, c.number: 100, d.number: 100}
    summary = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert summary[3:9] == [4, 100, 200, 900, 350, 2550]  # files, min, median, max, mean, total
    assert AccessLog.objects.filter(action="export", user=staff["manager"]).count() == 4
    reversed_period = client.get(url("aid_equality"), {"start": end.isoformat(), "end": start.isoformat()})
    assert reversed_period.context["form"].errors["end"]
