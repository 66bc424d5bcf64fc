"""The decision (PR, IN-5, IN-9, RT-1, RT-4, RT-5) and the applications awaiting one, through the views."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from beneficiaries.policy import FileStatus
from charity.models import Notification
from charity.roles import Role
from eligibility import errors, services
from eligibility.models import Decision
from eligibility.tests.test_services import _ready_for_decision
from eligibility.views.study.decision import DECIDED
from testdata import TODAY, load_set_up, make_submitted

from .helpers import VIEW_NOW, ar, form_errors, page_url, shown_messages

pytestmark = pytest.mark.django_db


def _decide(client, file, **data):
    return client.post(page_url("decide", file.pk), {"outcome": "accept", "reasons": "", "family_participant": "",
                                                 "family_participant_relationship": "", **data})


@pytest.mark.rule("RT-1")
def test_rt1_decide_page_lists_the_problems_when_not_ready(client, staff, file):
    services.ensure_checklist(file)
    client.force_login(staff["manager"])
    response = client.get(page_url("decide", file.pk))
    assert response.status_code == 200 and response.context["problems"]
    assert 'data-testid="decision-problems"' in response.content.decode()
    _decide(client, file)
    file.refresh_from_db()
    assert file.status == FileStatus.UNDER_STUDY and not Decision.objects.exists()


def test_pr_manager_accepts_and_the_applicant_is_notified(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    assert client.get(page_url("study", file.pk)).context["problems"] == []
    response = _decide(client, file)
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE
    decision = Decision.objects.get(file=file)
    assert (decision.decided_by, decision.decided_at, decision.body) == (staff["manager"], VIEW_NOW, "manager")
    with translation.override("ar"):
        outcome = str(decision.get_outcome_display())
    assert shown_messages(response) == [ar(DECIDED % {"outcome": outcome})]


@pytest.mark.rule("RT-4")
def test_rt4_rejection_without_reasons_shows_the_message_and_changes_nothing(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    response = _decide(client, file, outcome="reject", reasons="  ")
    assert response.status_code == 200 and form_errors(response, "reasons") == [ar(errors.REASONS_REQUIRED)]
    file.refresh_from_db()
    assert file.status == FileStatus.UNDER_STUDY and not Decision.objects.exists()
    assert not Notification.objects.filter(purpose__startswith="decision").exists()


@pytest.mark.rule("RT-4")
def test_rt4_rejection_with_reasons_reaches_the_applicant(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    response = _decide(client, file, outcome="reject", reasons="الدخل يتجاوز الحد")
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.status == FileStatus.REJECTED
    sms = Notification.objects.get(channel="sms", object_id=str(file.decision.pk), purpose="decision-reject")
    assert "الدخل يتجاوز الحد" in sms.body and sms.recipient == file.mobile


@pytest.mark.rule("RT-5")
def test_rt5_family_member_taking_part_is_recorded(client, staff, file):
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    _decide(client, file, family_participant="خالد محمد القحطاني", family_participant_relationship="ابن")
    decision = Decision.objects.get(file=file)
    assert (decision.family_participant, decision.family_participant_relationship) == ("خالد محمد القحطاني", "ابن")
    page = client.get(page_url("study", file.pk))
    assert "خالد محمد القحطاني" in page.content.decode()


def test_pr_committee_decides_by_the_votes_of_members_present(client, staff, make_user):
    """PR (kafl): the research committee decides; the manager is told he is not the deciding body."""
    load_set_up("kafl")  # its service area and quorum (3) set, as an admin would
    members = [make_user(Role.COMMITTEE, username=f"c{i}") for i in range(4)]
    file = make_submitted(staff["intake"], categories=("prisoner_family",))
    _ready_for_decision(file, staff)

    client.force_login(staff["manager"])
    response = _decide(client, file)
    assert form_errors(response) == [ar(errors.NOT_THE_DECIDING_BODY)]

    client.force_login(members[0])
    page = client.get(page_url("decide", file.pk))
    assert {f"present_{m.pk}" for m in members} <= set(page.context["form"].fields)
    votes = {f"present_{m.pk}": "on" for m in members[:3]}
    votes.update({f"vote_{members[0].pk}": "accept", f"vote_{members[1].pk}": "accept",
                  f"vote_{members[2].pk}": "reject", f"vote_{members[3].pk}": "reject"})  # absent: ignored
    missing = _decide(client, file, **{**votes, f"vote_{members[2].pk}": ""})
    assert missing.status_code == 200 and form_errors(missing, f"vote_{members[2].pk}")
    response = _decide(client, file, **votes)
    assert response.status_code == 302
    decision = Decision.objects.get(file=file)
    assert decision.body == "committee" and decision.decided_by == members[0]
    assert sorted(decision.votes.values_list("member__username", "vote")) == [
        ("c0", "accept"), ("c1", "accept"), ("c2", "reject")]


def test_the_committee_decides_nothing_while_its_quorum_is_unset(client, staff, make_user):
    """No text gives a quorum (the shipped kafl leaves it unset): the decide page tells the committee
    the admin must set it first, a decision posted anyway is refused and changes nothing; once the
    admin sets it, the committee decides."""
    from charity import errors as setup_errors
    from charity.services import set_setup_values

    kafl = load_set_up("kafl", quorum=None)
    members = [make_user(Role.COMMITTEE, username=f"c{i}") for i in range(3)]
    file = make_submitted(staff["intake"], categories=("prisoner_family",))
    _ready_for_decision(file, staff)
    client.force_login(members[0])
    page = client.get(page_url("decide", file.pk))
    assert ar(setup_errors.QUORUM_NOT_SET) in page.content.decode()
    votes = {**{f"present_{m.pk}": "on" for m in members}, **{f"vote_{m.pk}": "accept" for m in members}}
    _decide(client, file, **votes)
    file.refresh_from_db()
    assert file.status == FileStatus.UNDER_STUDY and not Decision.objects.exists()

    set_setup_values(profile=kafl, service_area_cities=kafl.service_area_cities, committee_quorum=2, by=None)
    assert ar(setup_errors.QUORUM_NOT_SET) not in client.get(page_url("decide", file.pk)).content.decode()
    assert _decide(client, file, **votes).status_code == 302
    assert Decision.objects.get(file=file).body == "committee"


def test_an_unset_quorum_does_not_stop_the_manager_where_he_decides(client, staff, file):
    """The general profile: the manager decides, no quorum is needed (none is asked for)."""
    profile = load_set_up("general", quorum=None)
    assert profile.committee_quorum is None
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    assert _decide(client, file).status_code == 302


@pytest.mark.rule("IN-9")
def test_in9_awaser_records_the_ministry_reference(client, staff):
    """IN-9 (awaser): the association decides and records the reference of its reply to the Ministry."""
    load_set_up("awaser")
    file = make_submitted(staff["intake"], categories=("family_abroad",))
    _ready_for_decision(file, staff)
    client.force_login(staff["manager"])
    assert "ministry_reference" in client.get(page_url("decide", file.pk)).context["form"].fields
    _decide(client, file, ministry_reference="MOFA-1447-77")
    assert Decision.objects.get(file=file).ministry_reference == "MOFA-1447-77"


# --- IN-5: applications awaiting a decision -------------------------------------------------


@pytest.mark.rule("IN-5")
def test_in5_awaiting_list_shows_readiness_in_one_query(client, staff, file):
    ready = make_submitted(staff["intake"])
    _ready_for_decision(ready, staff)
    services.ensure_checklist(file)
    client.force_login(staff["manager"])
    response = client.get(page_url("awaiting_decision"))
    rows = {f.pk: f.is_ready for f in response.context["page"]}
    assert rows == {file.pk: False, ready.pk: True}
    # RT-1: the list and the decision page apply the same rule.
    assert rows == {f.pk: not services.decision_problems(f) for f in response.context["page"]}
    assert f'data-file="{ready.pk}" data-ready="yes"' in response.content.decode()
    with CaptureQueriesContext(connection) as two:
        client.get(page_url("awaiting_decision"))
    make_submitted(staff["intake"])
    with CaptureQueriesContext(connection) as three:
        client.get(page_url("awaiting_decision"))
    assert len(three) == len(two)


@pytest.mark.rule("IN-5")
def test_in5_awaiting_list_highlights_overdue_applications(client, staff, file):
    with time_machine.travel(file.decision_due_on + dt.timedelta(days=1), tick=False):
        client.force_login(staff["manager"])
        response = client.get(page_url("awaiting_decision"))
    assert [f.is_overdue for f in response.context["page"]] == [True]
    assert "table-danger" in response.content.decode()


def test_awaiting_list_is_403_for_a_researcher(client, staff):
    client.force_login(staff["researcher"])
    assert client.get(page_url("awaiting_decision")).status_code == 403
    assert client.get(page_url("decide", 1)).status_code == 403


@pytest.mark.rule("RT-5")
def test_rt5_decision_offers_the_requested_member_and_warns_without_their_part(client, staff, file):
    """RT-5: the family member the beneficiary asked for is offered on the decision form; a
    decision recorded without their part noted is recorded with a warning."""
    from beneficiaries import services as file_services
    from eligibility.views.study.decision import PARTICIPANT_NOT_NOTED

    _ready_for_decision(file, staff)
    file_services.record_participation_request(file=file, by=staff["researcher"], now=VIEW_NOW,
                                               today=TODAY, name="سارة عبدالله", relationship="أخت")
    client.force_login(staff["manager"])
    page = client.get(page_url("decide", file.pk))
    form = page.context["form"]
    assert form["family_participant"].value() == "سارة عبدالله"
    assert form["family_participant_relationship"].value() == "أخت"
    assert 'data-testid="requested-participant"' in page.content.decode()
    response = _decide(client, file)
    warning = ar(PARTICIPANT_NOT_NOTED) % {"name": "سارة عبدالله", "relationship": "أخت"}
    assert Decision.objects.filter(file=file).exists() and warning in shown_messages(response)
