"""The researcher's assignment and change requests (RT-2, RT-4, RT-7, RT-8) and questions
referred to the manager (IN-4), through the views."""

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from beneficiaries import errors, services
from beneficiaries.models import ManagerReferral, ResearcherAssignment, ResearcherChangeRequest
from charity.models import AccessLog
from charity.roles import Role
from testdata import NOW, beyond_role, make_active, make_draft

pytestmark = pytest.mark.django_db


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def form_errors(response, field="__all__") -> list[str]:
    with translation.override("ar"):
        return [str(e) for e in response.context["form"].errors.get(field, [])]


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def _an_hour_after_now():
    """Views read the clock: pin it just after the factories' NOW."""
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        yield


@pytest.fixture
def file(staff):
    """An active file served by the researcher."""
    active = make_active(staff["intake"])
    return services.assign_researcher(file=active, researcher=staff["researcher"], by=staff["manager"], now=NOW)


def _url(name, pk=None):
    return reverse(f"beneficiaries:{name}", args=[pk] if pk is not None else [])


# --- Assignment (RT-2, RT-8) ------------------------------------------------------------------


@pytest.mark.rule("RT-2", "RT-8")
def test_assign_researcher_shows_caseload_and_assigns(client, staff, file):
    """RT-2, RT-8: the manager sees each researcher's open caseload and assigns; history keeps both periods."""
    other = staff["researcher2"]  # a second researcher, with no file yet
    client.force_login(staff["manager"])
    page = client.get(_url("assign_researcher", file.pk))
    assert page.status_code == 200
    caseload = {u.username: u.caseload for u in page.context["form"].fields["researcher"].queryset}
    assert caseload == {"researcher": 1, "researcher2": 0}
    assert AccessLog.objects.filter(user=staff["manager"], object_id=str(file.pk)).exists()

    response = client.post(_url("assign_researcher", file.pk), {"researcher": other.pk, "reason": "توزيع الأحمال"})
    assert response.status_code == 302 and response["Location"] == file.get_absolute_url()
    file.refresh_from_db()
    assert file.researcher == other
    periods = list(ResearcherAssignment.objects.filter(file=file).order_by("assigned_at", "pk"))
    assert [p.researcher for p in periods] == [staff["researcher"], other]
    assert periods[0].ended_at is not None and periods[1].ended_at is None


@pytest.mark.rule("RT-2")
def test_assign_researcher_same_researcher_error_on_form(client, staff, file):
    """RT-2: choosing the current researcher is refused on the form and changes nothing."""
    client.force_login(staff["manager"])
    version = file.version
    response = client.post(_url("assign_researcher", file.pk), {"researcher": staff["researcher"].pk})
    assert response.status_code == 200
    assert form_errors(response, "researcher") == [ar(errors.SAME_RESEARCHER)]
    file.refresh_from_db()
    assert file.version == version and file.assignments.count() == 1


@pytest.mark.rule("RT-8")
def test_assign_researcher_refuses_someone_not_a_researcher(client, staff, file):
    """RT-8: only active social researchers can be chosen."""
    client.force_login(staff["manager"])
    response = client.post(_url("assign_researcher", file.pk), {"researcher": staff["intake"].pk})
    assert response.status_code == 200 and form_errors(response, "researcher")
    file.refresh_from_db()
    assert file.researcher == staff["researcher"] and file.assignments.count() == 1


@pytest.mark.rule("RT-2")
def test_assign_researcher_forbidden_to_a_researcher(client, staff, file):
    """RT-2: only the manager assigns researchers; a researcher gets 403 even on their own file."""
    client.force_login(staff["researcher"])
    assert client.get(_url("assign_researcher", file.pk)).status_code == 403
    assert client.post(_url("assign_researcher", file.pk), {"researcher": staff["researcher2"].pk}).status_code == 403
    file.refresh_from_db()
    assert file.researcher == staff["researcher"]


# --- Change requests (RT-2, RT-4) -------------------------------------------------------------


@pytest.mark.rule("RT-2")
def test_rt2_full_cycle_request_accept_with_reasons(client, staff, file):
    """RT-2: request with the beneficiary's reasons → the manager accepts with reasons and a new
    researcher → the assignment history has both periods and the list shows the decision."""
    client.force_login(staff["manager"])
    response = client.post(_url("researcher_request", file.pk), {"reasons": "لا تتوفر مواعيد مناسبة"})
    assert response.status_code == 302
    change = ResearcherChangeRequest.objects.get(file=file)
    assert change.status == "pending" and change.reasons == "لا تتوفر مواعيد مناسبة"
    listing = client.get(_url("researcher_requests"))
    assert list(listing.context["pending"]) == [change]

    response = client.post(_url("researcher_request_decide", change.pk),
                           {"decision": "accept", "new_researcher": staff["researcher2"].pk, "reasons": "أسباب مقبولة"})
    assert response.status_code == 302 and response["Location"] == _url("researcher_requests")
    change.refresh_from_db()
    file.refresh_from_db()
    assert change.status == "accepted" and change.decision_reasons == "أسباب مقبولة"
    assert change.new_researcher == staff["researcher2"] and change.decided_by == staff["manager"]
    assert file.researcher == staff["researcher2"]
    periods = list(file.assignments.order_by("assigned_at", "pk"))
    assert [p.researcher for p in periods] == [staff["researcher"], staff["researcher2"]]
    assert periods[0].ended_at is not None
    assert "أسباب مقبولة" in periods[1].reason
    listing = client.get(_url("researcher_requests"))
    assert list(listing.context["decided"]) == [change]
    assert "أسباب مقبولة" in listing.content.decode()


@pytest.mark.rule("RT-4")
def test_rt4_refusal_needs_reasons_and_keeps_the_researcher(client, staff, file):
    """RT-4: a refusal is never saved without reasons; once given, the researcher stays."""
    change = services.request_researcher_change(file=file, by=staff["manager"], reasons="سبب", now=NOW)
    client.force_login(staff["manager"])
    response = client.post(_url("researcher_request_decide", change.pk), {"decision": "refuse", "reasons": "  "})
    assert response.status_code == 200
    assert form_errors(response, "reasons") == [ar(errors.REASONS_REQUIRED)]
    change.refresh_from_db()
    assert change.status == "pending" and change.decided_at is None

    response = client.post(_url("researcher_request_decide", change.pk),
                           {"decision": "refuse", "reasons": "لا يوجد باحث آخر متاح"})
    assert response.status_code == 302
    change.refresh_from_db()
    file.refresh_from_db()
    assert change.status == "refused" and change.decision_reasons == "لا يوجد باحث آخر متاح"
    assert file.researcher == staff["researcher"] and file.assignments.count() == 1
    page = client.get(_url("researcher_request", file.pk))
    assert "لا يوجد باحث آخر متاح" in page.content.decode()


@pytest.mark.rule("RT-2")
def test_rt2_accept_without_new_researcher_refused(client, staff, file):
    """RT-2: accepting needs the new researcher; nothing changes without one."""
    change = services.request_researcher_change(file=file, by=staff["manager"], reasons="سبب", now=NOW)
    client.force_login(staff["manager"])
    response = client.post(_url("researcher_request_decide", change.pk), {"decision": "accept", "reasons": "مقبول"})
    assert form_errors(response, "new_researcher") == [ar(errors.NEW_RESEARCHER_REQUIRED)]
    change.refresh_from_db()
    file.refresh_from_db()
    assert change.status == "pending" and file.researcher == staff["researcher"]


@pytest.mark.rule("RT-2")
def test_rt2_request_without_reasons_refused(client, staff, file):
    """RT-2: the beneficiary's reasons are required; nothing is saved without them."""
    client.force_login(staff["researcher"])
    response = client.post(_url("researcher_request", file.pk), {"reasons": ""})
    assert response.status_code == 200
    assert form_errors(response, "reasons") == [ar(errors.REASONS_REQUIRED)]
    assert not ResearcherChangeRequest.objects.exists()


@pytest.mark.rule("RT-2")
def test_rt2_second_pending_request_refused(client, staff, file):
    """RT-2: one pending request at a time."""
    services.request_researcher_change(file=file, by=staff["manager"], reasons="الأول", now=NOW)
    client.force_login(staff["researcher"])
    page = client.get(_url("researcher_request", file.pk))
    assert page.context["pending"] is not None and not page.context["show_form"]
    response = client.post(_url("researcher_request", file.pk), {"reasons": "الثاني"})
    assert response.status_code == 200
    assert form_errors(response) == [ar(errors.REQUEST_ALREADY_PENDING)]
    assert ResearcherChangeRequest.objects.filter(file=file).count() == 1


@pytest.mark.rule("RT-6", "RT-10")
def test_rt6_intake_gets_404_on_a_file_registered_by_someone_else(client, staff, make_user):
    """RT-6, RT-10: a user who cannot see the file gets 404, not 403; only the refusals are logged."""
    draft = make_draft(staff["intake"])
    other = make_user(Role.INTAKE, username="intake2")
    client.force_login(other)
    assert client.get(_url("researcher_request", draft.pk)).status_code == 404
    assert client.post(_url("researcher_request", draft.pk), {"reasons": "x"}).status_code == 404
    assert client.get(_url("refer_to_manager", draft.pk)).status_code == 404
    assert not ResearcherChangeRequest.objects.exists()
    logged = AccessLog.objects.filter(user=other)
    assert set(logged.values_list("outcome", flat=True)) == {AccessLog.Outcome.DENIED}
    assert logged.count() == 3 and {e.object_id for e in logged} == {str(draft.pk)}


@pytest.mark.rule("RT-6")
def test_decide_looks_up_the_request_through_visible_files(client, staff, file, make_user):
    """RT-6: a user allowed to decide but not to see the file gets 404 on its request."""
    change = services.request_researcher_change(file=file, by=staff["manager"], reasons="سبب", now=NOW)
    deputy = beyond_role(make_user(username="deputy"), "beneficiaries.assign_researcher")  # no role: no file scope
    client.force_login(deputy)
    assert client.get(_url("researcher_requests")).context["pending"].count() == 0
    response = client.post(_url("researcher_request_decide", change.pk),
                           {"decision": "refuse", "reasons": "سبب"})
    assert response.status_code == 404
    change.refresh_from_db()
    assert change.status == "pending"


@pytest.mark.rule("RT-7", "RT-8")
def test_rt8_request_page_shows_the_researcher_and_logs_access(client, staff, file):
    """RT-7, RT-8: the page names the current researcher with title and phone; the view is logged."""
    client.force_login(staff["researcher"])
    page = client.get(_url("researcher_request", file.pk)).content.decode()
    assert "باحثة اجتماعية" in page and "0112345678" in page
    assert AccessLog.objects.filter(user=staff["researcher"], object_id=str(file.pk), action="view").count() == 1


# --- Questions referred to the manager (IN-4) -------------------------------------------------


@pytest.mark.rule("IN-4")
def test_in4_refer_and_answer(client, staff):
    """IN-4: staff refer the applicant's question; the manager sees it unanswered, answers, and
    the answer shows to the staff on the file's page."""
    draft = make_draft(staff["intake"])
    client.force_login(staff["intake"])
    response = client.post(_url("refer_to_manager", draft.pk), {"question": "متى يصدر القرار؟"})
    assert response.status_code == 302
    referral = ManagerReferral.objects.get(file=draft)
    assert referral.asked_by == staff["intake"] and referral.answered_at is None

    client.force_login(staff["manager"])
    listing = client.get(_url("referrals"))
    assert list(listing.context["unanswered"]) == [referral]
    response = client.post(_url("referral_answer", referral.pk), {"answer": "خلال أسبوعين من اكتمال الطلب"})
    assert response.status_code == 302 and response["Location"] == _url("referrals")
    referral.refresh_from_db()
    assert referral.answer == "خلال أسبوعين من اكتمال الطلب" and referral.answered_by == staff["manager"]
    listing = client.get(_url("referrals"))
    assert not listing.context["unanswered"] and list(listing.context["answered"]) == [referral]

    client.force_login(staff["intake"])
    assert "خلال أسبوعين من اكتمال الطلب" in client.get(_url("refer_to_manager", draft.pk)).content.decode()


@pytest.mark.rule("IN-4")
def test_in4_unanswered_questions_come_first(client, staff):
    """IN-4: the manager's list puts questions awaiting an answer first, oldest first."""
    draft = make_draft(staff["intake"])
    first = services.refer_to_manager(file=draft, by=staff["intake"], question="أولاً", now=NOW)
    second = services.refer_to_manager(file=draft, by=staff["intake"], question="ثانياً", now=NOW.replace(hour=11))
    services.answer_referral(referral=first, by=staff["manager"], answer="جواب", now=NOW.replace(hour=12))
    third = services.refer_to_manager(file=draft, by=staff["intake"], question="ثالثاً", now=NOW.replace(hour=13))
    client.force_login(staff["manager"])
    listing = client.get(_url("referrals"))
    assert list(listing.context["unanswered"]) == [second, third]
    assert list(listing.context["answered"]) == [first]


@pytest.mark.rule("IN-4")
def test_in4_empty_question_or_answer_refused(client, staff):
    """IN-4: an empty question or answer is refused and nothing is saved."""
    draft = make_draft(staff["intake"])
    client.force_login(staff["intake"])
    response = client.post(_url("refer_to_manager", draft.pk), {"question": " "})
    assert response.status_code == 200 and form_errors(response, "question") == [ar(errors.QUESTION_REQUIRED)]
    assert not ManagerReferral.objects.exists()

    referral = services.refer_to_manager(file=draft, by=staff["intake"], question="سؤال", now=NOW)
    client.force_login(staff["manager"])
    response = client.post(_url("referral_answer", referral.pk), {"answer": ""})
    assert response.status_code == 200 and form_errors(response, "answer") == [ar(errors.ANSWER_REQUIRED)]
    referral.refresh_from_db()
    assert referral.answered_at is None


@pytest.mark.rule("IN-4")
def test_in4_only_the_manager_answers(client, staff):
    """IN-4: staff may refer but not answer: 403 on the list and the answer page."""
    draft = make_draft(staff["intake"])
    referral = services.refer_to_manager(file=draft, by=staff["intake"], question="سؤال", now=NOW)
    client.force_login(staff["intake"])
    assert client.get(_url("referrals")).status_code == 403
    assert client.post(_url("referral_answer", referral.pk), {"answer": "x"}).status_code == 403
    referral.refresh_from_db()
    assert referral.answered_at is None


@pytest.mark.rule("RT-8")
def test_success_message_names_the_new_researcher(client, staff, file):
    """RT-8: the manager is told who now serves the file."""
    client.force_login(staff["manager"])
    response = client.post(_url("assign_researcher", file.pk), {"researcher": staff["researcher2"].pk})
    assert any(str(staff["researcher2"]) in m for m in shown_messages(response))


@pytest.mark.rule("IN-4", "RT-2", "RT-10")
def test_decide_and_answer_pages_show_the_case_and_log_access(client, staff, file):
    """RT-2, IN-4, RT-10: the decision and answer pages show the request and log the file's view."""
    change = services.request_researcher_change(file=file, by=staff["researcher"], reasons="أسباب المستفيدة", now=NOW)
    referral = services.refer_to_manager(file=file, by=staff["researcher"], question="سؤال المستفيدة", now=NOW)
    client.force_login(staff["manager"])
    decide = client.get(_url("researcher_request_decide", change.pk))
    answer = client.get(_url("referral_answer", referral.pk))
    assert decide.status_code == answer.status_code == 200
    assert "أسباب المستفيدة" in decide.content.decode() and "سؤال المستفيدة" in answer.content.decode()
    assert AccessLog.objects.filter(user=staff["manager"], object_id=str(file.pk)).count() == 2
