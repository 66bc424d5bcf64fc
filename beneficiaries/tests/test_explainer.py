"""IN-4 per profile: an applicant to whom the procedure is unclear is referred to the person the
profile names — the beneficiary-services manager (general, awaser) or the social-research officer
«مسئول البحث الاجتماعي» (amass 002:77, kafl 003:47, banan 004:76). The question is routed to that
role; only its members see the queue, answer and have the menu entry; anyone else gets 404."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from beneficiaries import errors, services
from beneficiaries.models import ManagerReferral
from charity.models import PolicyProfile
from charity.navigation import items_for
from charity.roles import Role
from testdata import NOW, load_set_up, make_draft

pytestmark = pytest.mark.django_db
OFFICER_AR = "مسئول البحث الاجتماعي"
MANAGER_AR = "مدير خدمات المستفيدين"


@pytest.fixture(autouse=True)
def _an_hour_after_now():
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        yield


def _url(name, pk=None):
    return reverse(f"beneficiaries:{name}", args=[pk] if pk is not None else [])


def _refer(client, staff, **draft):
    """Intake staff refer a question on a draft they registered, through the page."""
    file = make_draft(staff["intake"], **draft)
    client.force_login(staff["intake"])
    page = client.get(_url("refer_to_manager", file.pk)).content.decode()
    response = client.post(_url("refer_to_manager", file.pk), {"question": "ما المستندات المطلوبة؟"})
    assert response.status_code == 302
    return file, ManagerReferral.objects.get(file=file), page


def _menu(user) -> list[str]:
    return [item.url_name for item in items_for(type(user).objects.get(pk=user.pk))]


@pytest.mark.parametrize(("code", "role"), [("general", Role.MANAGER), ("awaser", Role.MANAGER),
                                            ("amass", Role.RESEARCH_OFFICER), ("kafl", Role.RESEARCH_OFFICER),
                                            ("banan", Role.RESEARCH_OFFICER)])
@pytest.mark.rule("IN-4")
def test_in4_each_shipped_profile_names_who_explains(db, code, role):
    """IN-4: the manager in 000 and 001, the social-research officer «مسئول البحث الاجتماعي» in 002–004."""
    profile = load_set_up(code)
    assert profile.procedure_explained_by == role.value
    with translation.override("ar"):
        assert profile.procedure_explainer == (OFFICER_AR if role == Role.RESEARCH_OFFICER else MANAGER_AR)


@pytest.mark.rule("IN-4")
def test_in4_general_the_manager_answers_and_the_officer_gets_404(client, staff):
    """IN-4 under general (000): the question goes to the manager, who answers; the social-research
    officer has no menu entry and gets 404 on the queue and the answer page, and changes nothing."""
    file, referral, page = _refer(client, staff)
    assert referral.referred_to == Role.MANAGER.value
    assert MANAGER_AR in page and OFFICER_AR not in page

    officer, manager = staff["research_officer"], staff["manager"]
    assert "beneficiaries:referrals" not in _menu(officer) and "beneficiaries:referrals" in _menu(manager)
    client.force_login(officer)
    assert client.get(_url("referrals")).status_code == 404
    assert client.get(_url("referral_answer", referral.pk)).status_code == 404
    assert client.post(_url("referral_answer", referral.pk), {"answer": "جواب"}).status_code == 404
    assert client.get(_url("file_detail", file.pk)).status_code == 404  # not referred to his role: not his file
    referral.refresh_from_db()
    assert referral.answered_at is None

    client.force_login(manager)
    assert list(client.get(_url("referrals")).context["unanswered"]) == [referral]
    assert client.post(_url("referral_answer", referral.pk), {"answer": "الهوية وسجل الأسرة"}).status_code == 302
    referral.refresh_from_db()
    assert (referral.answer, referral.answered_by) == ("الهوية وسجل الأسرة", manager)


@pytest.mark.rule("IN-4")
def test_in4_kafl_the_officer_answers_and_the_manager_gets_404(client, staff):
    """IN-4 under kafl (003:47): the question goes to the social-research officer, who sees its file,
    the queue and answers; the manager has no menu entry and gets 404, and changes nothing."""
    load_set_up("kafl")
    file, referral, page = _refer(client, staff, categories=("prisoner_family",))
    assert referral.referred_to == Role.RESEARCH_OFFICER.value
    assert OFFICER_AR in page and MANAGER_AR not in page

    officer, manager = staff["research_officer"], staff["manager"]
    assert "beneficiaries:referrals" in _menu(officer) and "beneficiaries:referrals" not in _menu(manager)
    client.force_login(manager)
    assert client.get(_url("referrals")).status_code == 404
    assert client.get(_url("referral_answer", referral.pk)).status_code == 404
    assert client.post(_url("referral_answer", referral.pk), {"answer": "جواب"}).status_code == 404
    referral.refresh_from_db()
    assert referral.answered_at is None

    client.force_login(officer)
    assert client.get(_url("file_detail", file.pk)).status_code == 200  # the file of the question referred to him
    other = make_draft(staff["intake"], categories=("prisoner_family",))
    assert client.get(_url("file_detail", other.pk)).status_code == 404  # and no other (RT-6, RT-10)
    assert list(client.get(_url("referrals")).context["unanswered"]) == [referral]
    response = client.post(_url("referral_answer", referral.pk), {"answer": "صورة الحكم وسجل الأسرة"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.answer, referral.answered_by) == ("صورة الحكم وسجل الأسرة", officer)


@pytest.mark.rule("IN-4")
def test_in4_the_answer_service_refuses_anyone_the_profile_does_not_name(staff):
    """IN-4: the rule holds in the service too: under kafl the manager's answer is refused, clearly."""
    kafl = load_set_up("kafl")
    referral = services.refer_to_manager(file=make_draft(staff["intake"], categories=("prisoner_family",)),
                                         by=staff["intake"], question="سؤال", now=NOW, profile=kafl)
    with pytest.raises(ValidationError) as refused:
        services.answer_referral(referral=referral, by=staff["manager"], answer="جواب", now=NOW, profile=kafl)
    with translation.override("ar"):
        assert refused.value.messages == [str(errors.NOT_THE_EXPLAINER % {"role": OFFICER_AR})]
    referral.refresh_from_db()
    assert referral.answered_at is None
    services.answer_referral(referral=referral, by=staff["research_officer"], answer="جواب", now=NOW, profile=kafl)


@pytest.mark.rule("IN-4")
def test_in4_the_file_page_and_the_queue_name_the_profiles_role(client, staff):
    """IN-4: the texts that said «the manager explains» name the profile's role."""
    load_set_up("banan")
    file = make_draft(staff["intake"], categories=("disability_special",))
    services.refer_to_manager(file=file, by=staff["intake"], question="سؤال", now=NOW)
    client.force_login(staff["intake"])
    page = client.get(_url("file_detail", file.pk)).content.decode()
    assert f"أحِل سؤالاً إلى: {OFFICER_AR}" in page
    client.force_login(staff["research_officer"])
    queue = client.get(_url("referrals")).content.decode()
    assert OFFICER_AR in queue and MANAGER_AR not in queue
    assert PolicyProfile.objects.active().code == "banan"
