"""RT-5: the beneficiary's request that a family member take part in decisions about their care
and in solving problems, recorded on the file (who, when), shown on the file page and in «my
file», and offered on every later decision."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from beneficiaries import errors, services
from beneficiaries.models import ParticipationRequest
from beneficiaries.policy import FileStatus, Relationship
from charity.roles import Role
from testdata import NOW, TODAY, add_member, make_active

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def _record(file, staff, **kw):
    return services.record_participation_request(file=file, by=staff["researcher"], now=NOW, today=TODAY, **kw)


@pytest.mark.rule("RT-5")
def test_rt5_request_names_a_household_member_or_a_relative_with_who_and_when(staff):
    """RT-5: a member of the household is named with their relationship; someone outside it by a
    free name and relationship; the latest request is the one in force, the earlier kept."""
    file = make_active(staff["intake"])
    son = add_member(file, relationship=Relationship.SON, first_name="خالد")
    first = _record(file, staff, member=son)
    with translation.override("ar"):
        son_label = str(Relationship.SON.label)
    assert (first.member, first.name, first.relationship) == (son, son.full_name, son_label)
    assert (first.recorded_by, first.recorded_at, first.requested_on) == (staff["researcher"], NOW, TODAY)
    second = _record(file, staff, name="سارة عبدالله", relationship="أخت", requested_on=TODAY - dt.timedelta(days=2))
    assert services.participation_in_force(file) == second
    assert ParticipationRequest.objects.filter(file=file).count() == 2
    assert second.history.first().history_change_reason == "RT-5 requested"


@pytest.mark.rule("RT-5")
@pytest.mark.parametrize("data, code", [
    ({"name": "سارة", "relationship": " "}, "participant_required"),
    ({"name": "", "relationship": "أخت"}, "participant_required"),
    ({"name": "سارة", "relationship": "أخت", "requested_on": TODAY + dt.timedelta(days=1)}, "asked_in_future"),
])
def test_rt5_bad_request_is_refused_and_changes_nothing(staff, data, code):
    file = make_active(staff["intake"])
    with pytest.raises(ValidationError) as refused:
        _record(file, staff, **data)
    assert refused.value.code == code and not ParticipationRequest.objects.exists()


@pytest.mark.rule("RT-5")
def test_rt5_member_of_another_household_or_a_closed_file_is_refused(staff):
    file, other = make_active(staff["intake"]), make_active(staff["intake"])
    stranger = add_member(other)
    with pytest.raises(ValidationError) as refused:
        _record(file, staff, member=stranger)
    assert refused.value.messages == [str(errors.PARTICIPANT_NOT_IN_HOUSEHOLD)]
    closed = services.change_status(file=file, to=FileStatus.CLOSED, now=NOW, reason="test")
    with pytest.raises(ValidationError) as refused:
        _record(closed, staff, name="سارة", relationship="أخت")
    assert refused.value.code == "participation_on_final_file" and not ParticipationRequest.objects.exists()


@pytest.mark.rule("RT-5", "RT-6")
def test_rt5_recorded_through_the_page_and_shown_on_the_file(client, staff, make_user):
    file = make_active(staff["intake"])
    services.assign_researcher(file=file, researcher=staff["researcher"], by=staff["manager"], now=NOW)
    url = reverse("beneficiaries:participation_request", args=[file.pk])
    client.force_login(make_user(Role.RESEARCHER, username="outsider"))
    assert client.get(url).status_code == 404
    client.force_login(staff["researcher"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"member": "", "name": "سارة عبدالله", "relationship": "أخت",
                                 "requested_on": TODAY.isoformat()})
    assert response.status_code == 302
    recorded = ParticipationRequest.objects.get(file=file)
    assert (recorded.name, recorded.relationship, recorded.recorded_by) == ("سارة عبدالله", "أخت", staff["researcher"])
    page = client.get(reverse("beneficiaries:file_detail", args=[file.pk])).content.decode()
    assert 'data-testid="file-participation"' in page and "سارة عبدالله" in page and "أخت" in page
