"""The complaint page: every CP-3 field and the history, the linked file only for those who
may see it (CP-8, RT-10), attachments downloaded and logged (CP-8)."""


import pytest
from django.utils import translation
from django.utils.html import escape

from charity import calendar
from charity.models import AccessLog
from complaints import services
from testdata import NOW, make_submitted, pdf_upload

from .helpers import file_one, page_of, ruled

pytestmark = pytest.mark.django_db


@pytest.mark.rule("CP-3")
def test_page_shows_every_cp3_field_and_the_history(profile, director, client):
    complaint = file_one(steps_taken="راجعت المشرف.", other_info="شاهد حاضر.", attachments=[pdf_upload("a.pdf")])
    client.force_login(director)
    html = page_of(client, complaint)
    for name in ("complainant_name", "national_id", "email", "subject", "facts", "against", "harm", "reasons",
                 "steps_taken", "remedy", "other_info"):
        assert escape(getattr(complaint, name)) in html, name
    assert complaint.phone in html and "a.pdf" in html
    with translation.override("ar"):
        assert calendar.format_dual(complaint.due_on) in html
    assert 'data-testid="history-row"' in html and 'data-testid="days-left"' in html


@pytest.mark.rule("CP-8", "RT-10")
def test_linked_file_shows_as_a_link_only_to_those_who_may_see_it(profile, director, manager, committee, client):
    """CP-8, RT-10: the beneficiary file is linked for a user who may see it; to anyone else
    the page only says that a file exists."""
    file = make_submitted(manager)
    complaint = file_one(national_id=file.head_id_number)
    assert complaint.file == file
    client.force_login(director)
    assert f'href="/files/{file.pk}/"' in page_of(client, complaint)
    ruled(complaint, director)
    services.refer_malicious(complaint=complaint, by=director, reasons="كيدية", now=NOW)
    client.force_login(committee)
    html = page_of(client, complaint)
    assert f'href="/files/{file.pk}/"' not in html
    with translation.override("ar"):
        assert translation.gettext("A beneficiary file exists for this national ID.") in html


@pytest.mark.rule("CP-8")
def test_attachment_download_is_an_attachment_and_logged_cp8(profile, director, manager, client):
    complaint = file_one(attachments=[pdf_upload("evidence.pdf", text="secret")])
    attachment = complaint.attachments.get()
    client.force_login(director)
    response = client.get(f"/staff/complaints/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert complaint.tracking_number in response["Content-Disposition"]
    assert b"secret" in b"".join(response.streaming_content)
    assert AccessLog.objects.filter(user=director, action="download", object_id=str(attachment.pk)).count() == 1
    client.force_login(manager)
    assert client.get(f"/staff/complaints/attachments/{attachment.pk}/").status_code == 404
