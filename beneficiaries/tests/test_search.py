"""The file list: search, filters and pagination (RT-6, RT-10 scope; IN-5 overdue filter)."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries import services
from beneficiaries.policy import Gender, Relationship
from charity.models import Category
from charity.roles import Role
from testdata import NOW, TODAY, add_member, head_data, make_draft, make_submitted

pytestmark = pytest.mark.django_db

LIST = reverse("beneficiaries:file_list")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def listed(response) -> set[str]:
    """The file numbers shown in the list's rows."""
    assert response.status_code == 200
    return set(re.findall(r'data-testid="file-row" data-file-number="([^"]+)"', response.content.decode()))


def search(client, query, **params) -> set[str]:
    return listed(client.post(LIST, {"q": query, **params}, follow=True))


@pytest.mark.rule("RT-10")
def test_search_by_file_number(profile, manager, manager_client):
    """RT-10: staff find a file by its number, with or without the leading zeros."""
    file, other = make_draft(manager), make_draft(manager)
    year, seq = file.number.split("-")
    assert search(manager_client, file.number) == {file.number}
    assert search(manager_client, f"{year}-{int(seq)}") == {file.number}
    assert other.number not in search(manager_client, file.number)


def test_search_by_head_identity_number(profile, manager, manager_client):
    head = head_data()
    file, other = make_draft(manager, head=head), make_draft(manager)
    assert search(manager_client, head["id_number"]) == {file.number}
    assert search(manager_client, f" {head['id_number'][:5]} {head['id_number'][5:]} ") == {file.number}
    assert other.number not in search(manager_client, head["id_number"])


def test_search_by_dependant_identity_number(profile, manager, manager_client):
    file, _other = make_draft(manager), make_draft(manager)
    son = add_member(file)
    assert search(manager_client, son.id_number) == {file.number}


def test_search_by_mobile_as_typed_locally(profile, manager, manager_client):
    file = make_draft(manager, mobile="+966551234567")
    other = make_draft(manager, mobile="+966509999999", mobile_alt="+966551234560")
    assert search(manager_client, "0551234567") == {file.number}
    assert search(manager_client, "055 123 4560") == {other.number}
    assert search(manager_client, "0551111111") == set()


@pytest.mark.parametrize("query", ["فاطمة أحمد", "فاطمه احمد", "فـاطِمة", "فَاطِمَةُ إحمد", "فاطمة أحـــمد"])
def test_search_by_arabic_name_ignores_hamza_ta_marbuta_diacritics_and_tatweel(profile, manager, manager_client,
                                                                               query):
    file = make_draft(manager, head=head_data(first_name="فاطمة", father_name="أحمد"))
    other = make_draft(manager, head=head_data(first_name="نورة", father_name="سعد"))
    found = search(manager_client, query)
    assert file.number in found
    assert other.number not in found


def test_search_finds_a_file_by_a_dependants_name(profile, manager, manager_client):
    file = make_draft(manager)
    add_member(file, relationship=Relationship.DAUGHTER, first_name="آمنة", gender=Gender.FEMALE)
    assert search(manager_client, "امنه") == {file.number}


@pytest.mark.rule("RT-6", "RT-10")
def test_search_stays_inside_the_users_scope(profile, make_user, manager, client):
    """RT-6, RT-10: a researcher's search never returns a file they may not see."""
    researcher = make_user(Role.RESEARCHER)
    mine = make_submitted(manager, head=head_data(first_name="فاطمة"))
    theirs = make_submitted(manager, head=head_data(first_name="فاطمة"))
    services.assign_researcher(file=mine, researcher=researcher, by=manager, now=NOW)
    client.force_login(researcher)
    assert search(client, "فاطمة") == {mine.number}
    assert search(client, theirs.head_id_number) == set()


def test_filter_by_status(profile, manager, manager_client):
    draft, submitted = make_draft(manager), make_submitted(manager)
    assert listed(manager_client.get(LIST, {"status": "applicant"})) == {draft.number}
    assert listed(manager_client.get(LIST, {"status": "under_study"})) == {submitted.number}


def test_filter_by_category_of_the_active_profile(profile, manager, manager_client):
    widow = make_draft(manager, categories=("widow",))
    divorced = make_draft(manager, categories=("divorced",))
    category = Category.objects.get(code="divorced")
    assert listed(manager_client.get(LIST, {"category": category.pk})) == {divorced.number}
    assert widow.number in listed(manager_client.get(LIST))


def test_filter_by_researcher(profile, make_user, manager, manager_client):
    first, second = make_user(Role.RESEARCHER), make_user(Role.RESEARCHER)
    a, b = make_submitted(manager), make_submitted(manager)
    services.assign_researcher(file=a, researcher=first, by=manager, now=NOW)
    services.assign_researcher(file=b, researcher=second, by=manager, now=NOW)
    assert listed(manager_client.get(LIST, {"researcher": first.pk})) == {a.number}
    page = manager_client.get(LIST).content.decode()
    select = re.search(r'<select name="researcher".*?</select>', page, re.S).group(0)
    assert f'value="{first.pk}"' in select and f'value="{second.pk}"' in select  # only researchers are offered
    assert f'value="{manager.pk}"' not in select


@pytest.mark.rule("IN-5")
def test_filter_decision_overdue_in5(profile, manager, manager_client):
    """IN-5: «decision overdue: yes» lists applications past their due date (time pinned)."""
    late = make_submitted(manager, today=TODAY - dt.timedelta(days=20), now=NOW - dt.timedelta(days=20))
    on_time = make_submitted(manager)
    draft = make_draft(manager)
    with time_machine.travel(NOW, tick=False):
        manager_client.force_login(manager)  # a session from the real clock would have expired
        assert listed(manager_client.get(LIST, {"overdue": "yes"})) == {late.number}
        assert listed(manager_client.get(LIST, {"overdue": "no"})) == {on_time.number, draft.number}
        page = manager_client.get(LIST).content.decode()
    assert page.count('data-testid="decision-overdue"') == 1


def test_list_paginates_and_keeps_the_query_in_page_links(profile, manager, manager_client):
    for _ in range(12):
        make_draft(manager, head=head_data(first_name="فاطمة"))
    response = manager_client.get(LIST, {"q": "فاطمة", "status": "applicant", "per_page": 5}, follow=True)
    assert len(listed(response)) == 5
    page = response.content.decode()
    assert "per_page=5" in page and "page=2" in page and "status=applicant" in page
    third = manager_client.get(LIST, {"q": "فاطمة", "status": "applicant", "per_page": 5, "page": 3}, follow=True)
    assert len(listed(third)) == 2


def test_list_default_page_size_is_25_and_per_page_is_capped(profile, manager, manager_client):
    from beneficiaries.views import files

    assert files.PER_PAGE == 25 and files.MAX_PER_PAGE == 100
    for _ in range(27):
        make_draft(manager)
    assert len(listed(manager_client.get(LIST))) == 25
    assert len(listed(manager_client.get(LIST, {"per_page": "1000"}))) == 27
    assert len(listed(manager_client.get(LIST, {"per_page": "abc"}))) == 25


def test_list_query_count_does_not_grow_with_page_size(profile, make_user, manager, manager_client):
    """The list shows researcher and categories with a fixed number of queries."""
    researchers = [make_user(Role.RESEARCHER), make_user(Role.RESEARCHER)]
    for n in range(30):
        file = make_submitted(manager, categories=("widow", "orphan"))
        services.assign_researcher(file=file, researcher=researchers[n % 2], by=manager, now=NOW)
    counts = {}
    for size in (10, 50):
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get(LIST, {"per_page": size, "q": "فاطمة"}, follow=True)
        assert len(listed(response)) == min(size, 30)
        counts[size] = len(queries)
    assert counts[10] == counts[50]


def test_list_is_refused_to_roles_without_file_access(profile, make_user, client):
    client.force_login(make_user(Role.INVESTIGATION))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("beneficiaries:overdue")).status_code == 403


def test_list_needs_a_login(profile, client):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.rule("IN-5")
def test_overdue_list_oldest_first_with_days_overdue_in5(profile, manager, manager_client):
    """IN-5: the manager sees applications past their decision target, oldest due first."""
    older = make_submitted(manager, today=TODAY - dt.timedelta(days=30), now=NOW - dt.timedelta(days=30))
    newer = make_submitted(manager, today=TODAY - dt.timedelta(days=16), now=NOW - dt.timedelta(days=16))
    make_submitted(manager)  # on time
    with time_machine.travel(NOW, tick=False):
        manager_client.force_login(manager)
        response = manager_client.get(reverse("beneficiaries:overdue"))
    page = response.content.decode()
    rows = re.findall(r'data-testid="overdue-row" data-file-number="([^"]+)"', page)
    assert rows == [older.number, newer.number]
    days = re.findall(r'data-testid="days-overdue"><span class="ltr-data">(\d+)</span>', page)
    assert days == ["16", "2"]


@pytest.mark.rule("IN-5")
def test_overdue_list_is_for_the_manager_and_director_only_in5(profile, make_user, client):
    for role, status in [(Role.DIRECTOR, 200), (Role.RESEARCHER, 403), (Role.INTAKE, 403), (Role.COMMITTEE, 403)]:
        client.force_login(make_user(role))
        assert client.get(reverse("beneficiaries:overdue")).status_code == status, role
