"""Search words never travel in a URL (RT-6, RT-10): the file search and the programme's
nominee search post their words, which are sealed in the session (charity.searches)."""

import pytest
from django.test import Client
from django.urls import reverse

from charity import searches
from charity.roles import Role
from testdata import make_submitted

pytestmark = pytest.mark.django_db
LIST = reverse("beneficiaries:file_list")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


def _rows(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.rule("RT-10")
def test_rt10_a_search_by_identity_number_leaves_no_trace_in_any_url(profile, manager, client):
    """RT-10: the posted search redirects to a URL holding only an opaque token; the page lists
    the file, and neither the redirect nor any link of the page carries the number."""
    wanted, other = make_submitted(manager), make_submitted(manager)
    national_id = wanted.head_id_number
    client.force_login(manager)
    response = client.post(LIST, {"q": national_id, "status": "", "search": "Search"})
    assert response.status_code == 302
    location = response["Location"]
    assert national_id not in location and "q=" not in location and f"{searches.PARAM}=" in location
    page = _rows(client.get(location))
    assert f'data-file-number="{wanted.number}"' in page and f'data-file-number="{other.number}"' not in page
    # The box shows the words again, but no link or form action on the page holds them.
    assert f'value="{national_id}"' in page
    assert f"q={national_id}" not in page and f"={national_id}&" not in page


@pytest.mark.rule("RT-10")
def test_rt10_filters_and_page_size_go_along_and_a_new_search_starts_at_page_one(profile, manager, client):
    client.force_login(manager)
    response = client.post(f"{LIST}?per_page=50&page=3", {"q": "فاطمة", "status": "applicant"})
    location = response["Location"]
    assert "per_page=50" in location and "status=applicant" in location and "page=" not in location.replace(
        "per_page=", "")
    assert "فاطمة" not in location and "%D9" not in location


@pytest.mark.rule("RT-10")
def test_rt10_a_hand_typed_q_link_is_sealed_on_its_first_request(profile, manager, client):
    file = make_submitted(manager)
    client.force_login(manager)
    response = client.get(LIST, {"q": file.number, "per_page": 10})
    assert response.status_code == 302 and file.number not in response["Location"]
    assert f'data-file-number="{file.number}"' in _rows(client.get(response["Location"]))


@pytest.mark.rule("RT-6", "RT-10")
def test_rt6_a_token_is_worth_nothing_in_another_session(profile, manager, make_user, client):
    """RT-6: the words live in the searcher's session; a colleague given the URL gets the plain
    list of their own scope and a note, never the search."""
    make_submitted(manager)
    client.force_login(manager)
    location = client.post(LIST, {"q": "سرّي جداً"})["Location"]
    colleague = Client()
    colleague.force_login(make_user(Role.MANAGER, username="colleague"))
    page = _rows(colleague.get(location))
    assert "سرّي جداً" not in page
    assert "no longer kept" in page or "لم يعد هذا البحث محفوظاً" in page


def test_the_session_keeps_only_the_latest_searches(profile, manager, client):
    client.force_login(manager)
    tokens = [client.post(LIST, {"q": f"بحث {n}"})["Location"] for n in range(searches.KEEP + 3)]
    assert "بحث 0" not in _rows(client.get(tokens[0]))
    assert 'value="بحث 22"' in _rows(client.get(tokens[-1]))
