"""The public link's database work per request, pinned so that it cannot grow back (issue 15):
the empty form, and a valid filing with and without an attachment. The counts are those of the
test database (savepoints included); the filing is one complaint row in its final state, one
history row, one outbox insert for the SMS and email receipts."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from charity.models import Notification
from complaints.models import Complaint
from testdata import complaint_form_data, pdf_upload

from .helpers import FORM_URL, post_form

pytestmark = pytest.mark.django_db

# The active profile and its section adoptions (twice: the view and the page's header).
FORM_PAGE_QUERIES = 3
# The profile (2), the tracking number (1), the linked file (1), the calendar (2), the complaint
# and its history row (2 + 2 that simple_history reads back), the outbox (1), the session (2),
# and the savepoints around the filing and the session (4).
FILING_QUERIES = 17
FILING_WITH_ATTACHMENT_QUERIES = FILING_QUERIES + 1


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _complaint_form(page: str) -> str:
    """The complaint form's markup (the page's other forms, such as the language switch, left out)."""
    return page.split('data-testid="complaint-form"', 1)[1].split("</form>", 1)[0]


def _counted(make_request) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        response = make_request()
    return response, [q["sql"] for q in queries.captured_queries]


def test_form_page_queries_are_pinned(profile, client):
    client.get(FORM_URL)  # the rendered form is kept: count a later visit, as a worker serves it
    response, queries = _counted(lambda: client.get(FORM_URL))
    assert response.status_code == 200
    assert len(queries) <= FORM_PAGE_QUERIES, "\n".join(queries)


@pytest.mark.parametrize(("attach", "most"), [(False, FILING_QUERIES), (True, FILING_WITH_ATTACHMENT_QUERIES)])
def test_filing_queries_are_pinned(profile, attach, most):
    post_form(Client(), complaint_form_data())  # the first filing of the year creates its sequence row
    files = [pdf_upload("evidence.pdf")] if attach else []
    response, queries = _counted(lambda: post_form(Client(), complaint_form_data(), files=files))
    assert response.status_code == 302
    assert len(queries) <= most, "\n".join(queries)
    complaint = Complaint.objects.latest("pk")
    assert complaint.history.count() == 1 and complaint.attachments.count() == int(attach)
    assert Notification.objects.filter(object_id=str(complaint.pk)).count() == 2


def test_form_page_is_rendered_once_with_each_visitors_own_csrf_token(profile):
    """The kept form is the form crispy renders; each visitor gets a token of their own that the
    CSRF check accepts."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [_complaint_form(c.get(FORM_URL).content.decode()) for c in (first, second)]
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert tokens[0] != tokens[1]
    assert TOKEN.sub("", pages[0]) == TOKEN.sub("", pages[1])
    assert "csrf-slot" not in pages[0]
    response = post_form(first, {**complaint_form_data(), "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302


def test_kept_form_is_the_html_crispy_renders_per_request(profile, rf):
    from django.template.loader import render_to_string

    from charity import calendar
    from complaints.forms import ComplaintForm

    kept = _complaint_form(Client().get(FORM_URL).content.decode())
    request = rf.get(FORM_URL)
    request.user = AnonymousUser()
    form = ComplaintForm(profile=profile, today=calendar.today())
    per_request = _complaint_form(render_to_string("complaints/public/form.html", {"form": form, "profile": profile},
                                                   request=request))
    assert TOKEN.sub("", kept) == TOKEN.sub("", per_request)
