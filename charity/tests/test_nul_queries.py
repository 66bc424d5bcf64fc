"""A NUL character in a query string is a 400, never a server error: PostgreSQL refuses it in
any string, so an admin filter or search given «%00» crashed with an error mail."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["q=%00", "status__exact=%00", "q=ab%00cd", "purpose=x&e%00=1"])
def test_nul_in_an_admin_search_or_filter_is_a_bad_request(client, staff, query):
    client.force_login(staff["admin"])
    client.raise_request_exception = False
    changelist = reverse("admin:charity_notification_changelist")
    assert client.get(changelist).status_code == 200
    response = client.get(f"{changelist}?{query}")
    assert response.status_code == 400
    assert mail.outbox == []


def test_nul_in_a_public_query_is_a_bad_request_in_arabic(client, profile):
    client.raise_request_exception = False
    response = client.get(reverse("complaints_public:file") + "?x=%00")
    assert response.status_code == 400 and 'lang="ar"' in response.content.decode()
