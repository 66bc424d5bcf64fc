"""«My file» through its pages: the sign-in answers alike for every number, bad input says so
in Arabic and changes nothing, and each page shows the signed-in family's own file only."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from beneficiaries.models import BeneficiaryFile, ResearcherChangeRequest
from charity.models import AccessLog, PolicyProfile
from eligibility.models import Certificate, Decision, Exclusion
from portal import errors, policy
from portal.models import SignInCode
from testdata import NOW, file_complaint, national_id

from .helpers import last_code, portal_sign_in

pytestmark = pytest.mark.django_db
PAGES = ["file", "needs", "researcher", "complaints", "surveys"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def page(response) -> str:
    return response.content.decode()


def ar(message, **params) -> str:
    """The message as the Arabic page shows it."""
    with translation.override("ar"):
        return escape(str(message % params if params else message))


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def file_views(file_id, outcome=AccessLog.Outcome.GRANTED) -> int:
    return AccessLog.objects.filter(object_id=str(file_id), content_type__model="beneficiaryfile",
                                    outcome=outcome).count()


# --- Sign-in --------------------------------------------------------------------------------


def test_unknown_and_known_numbers_get_the_very_same_page(client, family):
    unknown = national_id("1", seed=5150)
    answers = []
    for identity in (family.identity, unknown):
        client.cookies.clear()
        response = client.post(reverse("portal:sign_in"), {"identity": identity}, follow=True)
        answers.append(without_tokens(page(response)))
        assert response.redirect_chain[-1][0] == reverse("portal:verify")
    assert answers[0] == answers[1]
    assert ar(errors.CODE_SENT) in answers[0]


def test_badly_formed_number_is_refused_in_arabic_and_nothing_is_sent(client, family):
    response = client.post(reverse("portal:sign_in"), {"identity": "١٢٣"})
    assert response.status_code == 200 and ar(errors.IDENTITY_FORMAT) in page(response)
    assert SignInCode.objects.count() == 0


def test_number_in_arabic_indic_digits_signs_in(client, family):
    arabic = family.identity.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = portal_sign_in(client, arabic)
    assert response["Location"] == reverse("portal:file", args=[family.file.pk])


@pytest.mark.parametrize("case", ["wrong", "expired", "too_many"])
def test_bad_code_says_why_reveals_nothing_and_changes_nothing(client, family, case):
    client.post(reverse("portal:sign_in"), {"identity": family.identity})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    before = BeneficiaryFile.objects.get(pk=family.file.pk)
    if case == "wrong":
        response, expected = client.post(reverse("portal:verify"), {"code": wrong}), ar(errors.CODE_WRONG, left=4)
    elif case == "expired":
        with time_machine.travel(NOW + policy.CODE_TTL, tick=False):
            response = client.post(reverse("portal:verify"), {"code": code})
        expected = ar(errors.CODE_EXPIRED)
    else:
        for _ in range(policy.MAX_CODE_TRIES):
            client.post(reverse("portal:verify"), {"code": wrong})
        response, expected = client.post(reverse("portal:verify"), {"code": code}), ar(errors.CODE_EXHAUSTED)
    assert response.status_code == 200 and expected in page(response)
    assert family.file.number not in page(response) and family.head.first_name not in page(response)
    after = BeneficiaryFile.objects.get(pk=family.file.pk)
    assert (after.status, after.version) == (before.status, before.version) and file_views(family.file.pk) == 0
    assert client.get(reverse("portal:file", args=[family.file.pk]))["Location"] == reverse("portal:sign_in")


def test_too_many_requests_from_one_address_get_a_clear_message(client, family):
    for n in range(policy.REQUESTS_PER_ADDRESS[0]):
        client.post(reverse("portal:sign_in"), {"identity": national_id("2", seed=n)})
    response = client.post(reverse("portal:sign_in"), {"identity": family.identity})
    assert response.status_code == 429 and "حاول" in page(response)
    assert SignInCode.objects.count() == 0


def test_resend_too_soon_is_refused_then_allowed_after_a_minute(client, family):
    client.post(reverse("portal:sign_in"), {"identity": family.identity})
    response = client.post(reverse("portal:resend"), follow=True)
    assert ar(errors.RESEND_NOT_YET) in page(response) and SignInCode.objects.count() == 1
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        client.post(reverse("portal:resend"))
        assert SignInCode.objects.count() == 2
        assert client.post(reverse("portal:verify"), {"code": last_code()}).status_code == 302


def test_idle_session_ends_and_asks_to_sign_in_again(client, signed_in):
    url = reverse("portal:file", args=[signed_in.file.pk])
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(NOW + dt.timedelta(minutes=26), tick=False):
        response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:sign_in") and ar(errors.SESSION_ENDED) in page(response)


def test_sign_out_ends_the_portal_session_but_not_a_staff_login(client, signed_in, staff):
    client.force_login(staff["manager"])
    client.post(reverse("portal:sign_out"))
    assert client.get(reverse("portal:file", args=[signed_in.file.pk]))["Location"] == reverse("portal:sign_in")
    assert client.get(reverse("policy")).status_code == 200


def test_a_portal_session_is_never_a_staff_login(client, signed_in):
    assert client.get(reverse("policy"))["Location"].startswith(reverse("login"))


# --- The family's pages: their own file, another family's is 404 ----------------------------


@pytest.mark.rule("RT-6", "RT-10")
@pytest.mark.parametrize("name", PAGES)
def test_each_page_shows_the_own_file_logged_and_another_familys_is_404(client, signed_in, other_family, name):
    own = client.get(reverse(f"portal:{name}", args=[signed_in.file.pk]))
    assert own.status_code == 200 and file_views(signed_in.file.pk) == 1
    assert client.get(reverse(f"portal:{name}", args=[other_family.file.pk])).status_code == 404
    assert client.post(reverse(f"portal:{name}", args=[other_family.file.pk]), {"reasons": "x"}).status_code in (
        404, 405)
    assert file_views(other_family.file.pk) == 0
    # The refusals are logged as such; no staff user: the row names the family member who asked.
    assert file_views(other_family.file.pk, AccessLog.Outcome.DENIED) >= 1
    head = signed_in.head.full_name
    rows = AccessLog.objects.filter(object_id__in=[str(signed_in.file.pk), str(other_family.file.pk)])
    assert {row.actor for row in rows} == {f"«ملفي»: عائل الأسرة {head}"} and {row.user for row in rows} == {None}


@pytest.mark.rule("RT-4", "IN-5")
def test_file_page_shows_number_status_body_period_and_the_decision_with_its_reasons(client, staff, family):
    Decision.objects.create(file=family.file, body="manager", outcome="accept", reasons="الأسرة بلا دخل ثابت",
                            decided_by=staff["manager"], decided_at=NOW)
    BeneficiaryFile.objects.filter(pk=family.file.pk).update(status="under_study")
    portal_sign_in(client, family.identity)
    html = page(client.get(reverse("portal:file", args=[family.file.pk])))
    assert family.file.number in html and "قيد الدراسة" in html
    assert "مدير خدمات المستفيدين" in html and "لا تقل عن أسبوعين" in html
    assert "الأسرة بلا دخل ثابت" in html and "مقبول" in html
    due = BeneficiaryFile.objects.get(pk=family.file.pk).decision_due_on
    assert f"{due:%Y-%m-%d}" not in html  # IN-5: no latest date is promised


@pytest.mark.rule("RT-2")
def test_researcher_request_is_recorded_and_its_answer_shown_with_reasons(client, signed_in, staff):
    from beneficiaries.services import decide_researcher_change

    url = reverse("portal:researcher", args=[signed_in.file.pk])
    client.post(url, {"reasons": "لا يرد على الاتصالات"})
    request = ResearcherChangeRequest.objects.get(file=signed_in.file)
    assert request.recorded_by is None and request.reasons == "لا يرد على الاتصالات"
    decide_researcher_change(request=request, by=staff["manager"], accept=False, reasons="الباحث متاح يومياً",
                             now=NOW)
    html = page(client.get(url))
    assert "الباحث متاح يومياً" in html and "مرفوض" in html


def test_researcher_page_names_the_researcher_rt8(client, staff, family):
    from beneficiaries.services import assign_researcher

    researcher = staff["researcher"]
    assign_researcher(file=family.file, researcher=researcher, by=staff["manager"], now=NOW)
    portal_sign_in(client, family.identity)
    assert researcher.get_full_name() in page(client.get(reverse("portal:researcher", args=[family.file.pk])))


def test_needs_page_shows_the_freeze_and_what_lifts_it(client, staff, family):
    from eligibility.controls import freeze_file

    freeze_file(file=family.file, rule="SC-12", by=staff["manager"], today=NOW.date(), now=NOW,
                profile=PolicyProfile.objects.active())
    portal_sign_in(client, family.identity)
    html = page(client.get(reverse("portal:needs", args=[family.file.pk])))
    assert "العنوان" in html and 'data-testid="freeze-lifts"' in html


def test_complaints_page_lists_the_familys_complaints_only(client, signed_in, other_family):
    mine = file_complaint(national_id=signed_in.identity, subject="تأخر صرف المساعدة")
    theirs = file_complaint(national_id=other_family.identity, subject="شكوى أسرة أخرى")
    assert (mine.file_id, theirs.file_id) == (signed_in.file.pk, other_family.file.pk)
    html = page(client.get(reverse("portal:complaints", args=[signed_in.file.pk])))
    assert "تأخر صرف المساعدة" in html and "شكوى أسرة أخرى" not in html and mine.tracking_number in html


def test_surveys_page_lists_the_waiting_survey(client, signed_in):
    from satisfaction.services import send_survey

    send_survey(event=signed_in.file, service="aid", file=signed_in.file, staff=None, now=NOW)
    assert 'data-testid="survey"' in page(client.get(reverse("portal:surveys", args=[signed_in.file.pk])))


def _certificate(file, staff):
    exclusion = Exclusion.objects.create(file=file, rule="SC-3", proof_note="طلب خطي", decided_by=staff["manager"],
                                         decided_at=NOW, decided_on=NOW.date())
    certificate = Certificate.objects.create(exclusion=exclusion, kind="decision", serial=f"EX-1448-{file.pk:06d}",
                                             verification_code=f"{file.pk:020d}", issued_at=NOW,
                                             signatory_name="م", signatory_title="م")
    certificate.pdf.save("c.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return certificate


def test_certificate_download_is_the_familys_own_and_logged(client, staff, signed_in, other_family):
    _certificate(other_family.file, staff)
    assert client.get(reverse("portal:certificate", args=[other_family.file.pk])).status_code == 404
    assert client.get(reverse("portal:certificate", args=[signed_in.file.pk])).status_code == 404
    own = _certificate(signed_in.file, staff)
    response = client.get(reverse("portal:certificate", args=[signed_in.file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(action="download", object_id=str(own.pk)).count() == 1


# --- The public home ------------------------------------------------------------------------


@pytest.mark.rule("RT-9")
def test_public_home_names_the_association_and_links_every_door(client, profile):
    html = page(client.get(reverse("home")))
    assert 'lang="ar" dir="rtl"' in html and profile.name_ar in html
    for name in ("complaints_public:file", "complaints_public:status", "charter", "verify:verify_certificate",
                 "portal:sign_in", "login"):
        assert f'href="{reverse(name)}"' in html, name


def test_staff_keep_their_home_when_signed_in(client, staff):
    client.force_login(staff["manager"])
    assert 'data-testid="public-home"' not in page(client.get(reverse("home")))


@pytest.mark.rule("SAT-1")
def test_a_waiting_survey_is_answered_in_my_file_once_and_another_familys_is_404(client, signed_in, other_family):
    """SAT-1: signed in, the family answers without the text message's link; the answer is saved
    once; another family's survey is a 404 and records nothing."""
    from satisfaction.models import Survey
    from satisfaction.services import send_survey

    mine = send_survey(event=signed_in.file, service="aid", file=signed_in.file, staff=None, now=NOW)
    theirs = send_survey(event=other_family.file, service="aid", file=other_family.file, staff=None, now=NOW)
    listing = page(client.get(reverse("portal:surveys", args=[signed_in.file.pk])))
    url = reverse("portal:survey", args=[signed_in.file.pk, mine.pk])
    assert url in listing
    form = client.get(url)
    assert form.status_code == 200 and 'data-testid="survey-form"' in page(form)
    with translation.override("ar"):
        refused = client.post(url, {"comment": "بلا تقييم"})
    assert refused.status_code == 200 and Survey.objects.get(pk=mine.pk).answered_at is None
    done = client.post(url, {"overall": "5", "comment": "شكراً"}, follow=True)
    assert ar(errors.SURVEY_THANKS) in page(done)
    answered = Survey.objects.get(pk=mine.pk)
    assert answered.answered_at is not None and answered.comment == "شكراً"
    again = client.get(url, follow=True)  # answered: back to the list, which no longer offers it
    assert url not in page(again)
    for other in (reverse("portal:survey", args=[signed_in.file.pk, theirs.pk]),
                  reverse("portal:survey", args=[other_family.file.pk, theirs.pk])):
        assert client.get(other).status_code == 404
        assert client.post(other, {"overall": "1"}).status_code == 404
    assert Survey.objects.get(pk=theirs.pk).answered_at is None


@pytest.mark.rule("RT-5")
def test_rt5_my_file_shows_the_family_member_asked_to_take_part(client, signed_in, staff):
    """RT-5: the family sees in «my file» whom they asked to take part in decisions."""
    from beneficiaries import services as file_services
    from testdata import TODAY

    url = reverse("portal:file", args=[signed_in.file.pk])
    assert 'data-testid="portal-participation"' not in page(client.get(url))
    file_services.record_participation_request(file=signed_in.file, by=staff["researcher"], now=NOW,
                                               today=TODAY, name="سارة عبدالله", relationship="أخت")
    shown = page(client.get(url))
    assert 'data-testid="portal-participation"' in shown and "سارة عبدالله" in shown and "أخت" in shown
