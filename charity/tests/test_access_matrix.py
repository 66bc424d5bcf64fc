"""Proof under attack: who may use each URL of the project (RT-6, RT-10, CP-8, SAT-1, PDPL).

ACCESS says, for every URL name of the project, who may use it: "public", "any-staff" (any
signed-in user) or the set of roles whose permissions the view's decorators ask for. RECORDS
says, for every URL that names a record, which record and who is connected to it. The tests
walk both tables: a URL missing from them fails; anonymous visitors are sent to the login page;
a role without the permission gets 403 (or 404); a user of an allowed role who is not connected
to the record gets 404 — on GET and on POST, and a refused POST changes nothing.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from beneficiaries.tests.factories import NOW, pdf_upload, unique_national_id
from charity.roles import Role

from .matrix_fixtures import (
    COMPLAINT_SCOPE,
    FILE_SCOPE,
    RECOMMENDATION_SCOPE,
    REFERRED_SCOPE,
    REPORT,
    ROLE_USERS,
    WORLD_USERS,
    accept_the_nomination,
    attach_item_document,
    cancel_the_card,
    change_payload,
    day,
    diff,
    empty,
    end_the_programme,
    hold_the_session,
    item_document,
    lift_payload,
    open_world,
    pk_of,
    snapshot,
    study_to_the_end,
    url_names,
    widen_the_campaign,
)

pytestmark = pytest.mark.django_db
VIEW_NOW = NOW + dt.timedelta(hours=1)
PUBLIC, ANY = "public", "any-staff"
INTAKE, RESEARCHER, MANAGER, COMMITTEE = Role.INTAKE, Role.RESEARCHER, Role.MANAGER, Role.COMMITTEE
DIRECTOR, INVESTIGATION, ADMIN = Role.DIRECTOR, Role.INVESTIGATION, Role.ADMIN

READ_FILES = {INTAKE, RESEARCHER, MANAGER, COMMITTEE, DIRECTOR, ADMIN}  # view_beneficiaryfile / view_document
WORK_FILES = {INTAKE, RESEARCHER, MANAGER, ADMIN}  # change_beneficiaryfile, add_document, record_change, refer
REGISTER = {INTAKE, MANAGER, ADMIN}  # register_file
MANAGE = {MANAGER, ADMIN}  # assign_researcher, answer_referral, manage_aid, approve_aid, manage_programmes, …
STUDY = {RESEARCHER, MANAGER, COMMITTEE, DIRECTOR, ADMIN}  # eligibility.view_*
VERIFY = {RESEARCHER, MANAGER, ADMIN}  # verify_eligibility
DECIDE = {MANAGER, COMMITTEE, ADMIN}  # decide_application or vote_in_committee
AID_FILE = {RESEARCHER, MANAGER, DIRECTOR, ADMIN}  # view_disbursement, view_recommendation
AID_WORK = {RESEARCHER, MANAGER, ADMIN}  # add_disbursement, *_electroniccard, add/change_recommendation
AID_BOOKS = {MANAGER, DIRECTOR, ADMIN}  # view_fund, view_inkinddonation, view_campaign
DIRECTION = {DIRECTOR, ADMIN}  # manage_complaints, enter_paper_complaint, handle_requests, view_dashboard

ACCESS: dict[str, object] = {
    "home": ANY, "policy": ANY, "charter": PUBLIC, "healthz": PUBLIC, "login": PUBLIC, "logout": PUBLIC,
    "password_change": ANY, "password_change_done": ANY, "set_language": PUBLIC, "admin:*": {ADMIN},
    # Intake and the file (IN-1…IN-6, RT-6, RT-10, DU-1)
    "beneficiaries:intake_start": REGISTER, "beneficiaries:intake_drafts": REGISTER,
    "beneficiaries:intake_step": REGISTER, "beneficiaries:declaration_pdf": READ_FILES,
    "beneficiaries:receipt": READ_FILES, "beneficiaries:receipt_pdf": READ_FILES,
    "beneficiaries:file_list": READ_FILES, "beneficiaries:overdue": {MANAGER, DIRECTOR, ADMIN},
    "beneficiaries:file_detail": READ_FILES, "beneficiaries:document_upload": WORK_FILES,
    "beneficiaries:document_download": READ_FILES, "beneficiaries:researcher_card": READ_FILES,
    # The researcher and the manager (RT-2, IN-4), changes and the annual update (DU-4, DU-5)
    "beneficiaries:assign_researcher": MANAGE, "beneficiaries:researcher_request": WORK_FILES,
    "beneficiaries:researcher_requests": MANAGE, "beneficiaries:researcher_request_decide": MANAGE,
    "beneficiaries:refer_to_manager": WORK_FILES, "beneficiaries:referrals": MANAGE,
    "beneficiaries:referral_answer": MANAGE, "beneficiaries:record_change": WORK_FILES,
    "beneficiaries:annual_updates": MANAGE, "beneficiaries:annual_update_new": MANAGE,
    "beneficiaries:annual_update_detail": WORK_FILES, "beneficiaries:update_request_complete": WORK_FILES,
    # Aid (TK-1…TK-5, TK-8, DU-7)
    "beneficiaries:aid_file": AID_FILE, "beneficiaries:aid_propose": AID_WORK,
    "beneficiaries:aid_card_issue": AID_WORK, "beneficiaries:aid_disbursements": AID_FILE,
    "beneficiaries:aid_approve": MANAGE, "beneficiaries:aid_pay": MANAGE, "beneficiaries:aid_cancel": MANAGE,
    "beneficiaries:aid_funds": AID_BOOKS, "beneficiaries:aid_fund_new": MANAGE,
    "beneficiaries:aid_fund_detail": AID_BOOKS, "beneficiaries:aid_donation_new": MANAGE,
    "beneficiaries:aid_in_kind": AID_BOOKS, "beneficiaries:aid_in_kind_new": MANAGE,
    "beneficiaries:aid_safety_check": MANAGE, "beneficiaries:aid_campaigns": AID_BOOKS,
    "beneficiaries:aid_campaign_new": MANAGE, "beneficiaries:aid_campaign_detail": AID_BOOKS,
    "beneficiaries:aid_campaign_run": MANAGE, "beneficiaries:aid_recommendations": AID_FILE,
    "beneficiaries:aid_recommendation_new": AID_WORK, "beneficiaries:aid_follow_up": AID_WORK,
    "beneficiaries:aid_equality": AID_FILE, "beneficiaries:aid_equality_export": AID_FILE,
    "beneficiaries:aid_card_replace": AID_WORK, "beneficiaries:aid_card_lost": AID_WORK,
    "beneficiaries:aid_card_cancel": AID_WORK,
    # Programmes (TK-6, DU-3, DU-6, DU-10, DU-11)
    **{f"beneficiaries:{name}": MANAGE for name in (
        "programme_list", "programme_new", "programme_detail", "programme_nominate", "session_new",
        "programme_complete", "nomination_answer", "nomination_dropout", "session_sheet", "session_apology")},
    # Eligibility (EL-1…EL-9, RT-1) and the service controls (SC-1…SC-12)
    "eligibility:study": STUDY, "eligibility:item_attach": VERIFY, "eligibility:item_verify": VERIFY,
    "eligibility:item_not_applicable": VERIFY, "eligibility:witness_add": VERIFY,
    "eligibility:visit_schedule": VERIFY, "eligibility:visit_report": VERIFY, "eligibility:visit_nobody_home": VERIFY,
    "eligibility:visits": STUDY,
    "eligibility:my_visits": VERIFY, "eligibility:assess": VERIFY, "eligibility:assessment_detail": STUDY,
    "eligibility:decide": DECIDE, "eligibility:awaiting_decision": DECIDE, "eligibility:controls": STUDY,
    "eligibility:exclude": MANAGE, "eligibility:freeze": MANAGE, "eligibility:lift_freeze": MANAGE,
    "eligibility:record_death": MANAGE, "eligibility:freezes": STUDY, "eligibility:exclusions": STUDY,
    "eligibility:certificate_download": STUDY, "verify:verify_certificate": PUBLIC,
    # Complaints (CP-1…CP-10): the public link, then the staff pages, scoped per complaint (CP-8)
    "complaints_public:file": PUBLIC, "complaints_public:received": PUBLIC, "complaints_public:status": PUBLIC,
    "complaints_public:how_settled": PUBLIC, "complaints:list": set(Role), "complaints:detail": ANY,
    "complaints:attachment": ANY, "complaints:paper": DIRECTION, "complaints:paper_receipt": DIRECTION,
    **{f"complaints:{name}": DIRECTION for name in (
        "decide_excuse", "assign", "name_staff", "rule", "notify", "close", "refer")},
    "complaints:record_notice": ANY,  # then: the director or the assigned member of staff (403 otherwise)
    "complaints:record_investigation": {INVESTIGATION, ADMIN},
    # Satisfaction (SAT-1, SAT-2), the director's dashboard (GO-1…GO-6) and PDPL requests
    "survey:thanks": PUBLIC, "survey:answer": PUBLIC, "satisfaction:results": {MANAGER, DIRECTOR, ADMIN},
    "dashboard:index": DIRECTION, "dashboard:export_start": DIRECTION, "dashboard:export": DIRECTION,
    "dashboard:export_download": DIRECTION, "dashboard:monthly_report": DIRECTION,
    "privacy:request_list": DIRECTION, "privacy:request_create": DIRECTION, "privacy:request_detail": DIRECTION,
    "privacy:prepare_export": {DIRECTOR}, "privacy:export_download": {DIRECTOR},  # + every file and complaint
    "privacy:complete": DIRECTION, "privacy:refuse": DIRECTION, "privacy:retention_log": DIRECTION,
}
ARGLESS_POST_ONLY = {"logout", "dashboard:export_start"}
PUBLIC_REDIRECTS = {"logout", "set_language"}  # public, and they answer with a redirect


@dataclass(frozen=True)
class Rec:
    """A URL that names a record: the record (key of the world's records), who is connected to it
    (None: every user of an allowed role), the POST payload (None: GET only), whether GET is
    answered, and what puts the record in the state where the connected user's POST acts
    (`prepare`, run inside that test only): that POST must change something, proof that the
    payload is one a leak would act on."""

    record: str
    scope: frozenset | None
    post: Callable | None = None
    get: bool = True
    prepare: Callable | None = None
    kwargs: Callable | None = None
    hidden: str = ""  # a file that must not show on the page to users outside its scope

    def url(self, world, name):
        kwargs = self.kwargs(world) if self.kwargs else {"pk": world.records[self.record].pk}
        return reverse(name, kwargs=kwargs)


DRAFT, STUDY_FILE, ACTIVE = FILE_SCOPE["draft"], FILE_SCOPE["study"], FILE_SCOPE["active"]

RECORDS: dict[str, Rec] = {
    "beneficiaries:intake_step": Rec("draft", DRAFT, kwargs=lambda w: {"pk": w.draft.pk, "step": "income"},
                                     post=lambda w: {"action": "income", "income-kind": "social_security",
                                                     "income-member": "", "income-monthly_amount": "1500"}),
    "beneficiaries:declaration_pdf": Rec("draft", DRAFT),
    "beneficiaries:receipt": Rec("study", STUDY_FILE),
    "beneficiaries:receipt_pdf": Rec("study", STUDY_FILE),
    "beneficiaries:file_detail": Rec("active", ACTIVE),
    "beneficiaries:document_upload": Rec("active", ACTIVE, post=lambda w: {"doc_type": "other",
                                                                           "uploaded": pdf_upload("x.pdf")}),
    "beneficiaries:document_download": Rec("document", ACTIVE),
    "beneficiaries:researcher_card": Rec("active", ACTIVE),
    "beneficiaries:assign_researcher": Rec("active", ACTIVE, post=lambda w: {"researcher": pk_of(w, "researcher_b")}),
    "beneficiaries:researcher_request": Rec("study", STUDY_FILE, post=lambda w: {"reasons": "لا تتوفر مواعيد"}),
    "beneficiaries:researcher_request_decide": Rec("change_request", ACTIVE,
                                                   post=lambda w: {"decision": "refuse", "reasons": "لا مبرر"}),
    "beneficiaries:refer_to_manager": Rec("active", ACTIVE, post=lambda w: {"question": "متى يصدر القرار؟"}),
    "beneficiaries:referral_answer": Rec("referral", ACTIVE, post=lambda w: {"answer": "خلال أسبوعين"}),
    "beneficiaries:record_change": Rec("active", ACTIVE, post=change_payload),
    "beneficiaries:annual_update_detail": Rec("annual_update", None, hidden="active"),
    "beneficiaries:update_request_complete": Rec("update_request", ACTIVE, post=empty, get=False),
    "beneficiaries:aid_file": Rec("active", ACTIVE),
    "beneficiaries:aid_propose": Rec("active", ACTIVE, post=lambda w: {
        "kind": "cash", "purpose": "relief", "fund": w.fund.pk, "amount": "300", "note": "",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"}),
    "beneficiaries:aid_card_issue": Rec("active", ACTIVE, post=lambda w: {"number": "C-200"}, prepare=cancel_the_card),
    "beneficiaries:aid_approve": Rec("disbursement", ACTIVE, post=empty, get=False),
    "beneficiaries:aid_pay": Rec("approved_disbursement", ACTIVE, post=lambda w: {"transfer_reference": "TRX-1"}),
    "beneficiaries:aid_cancel": Rec("disbursement", ACTIVE, post=lambda w: {"reason": "مكرر"}),
    "beneficiaries:aid_fund_detail": Rec("fund", None),
    "beneficiaries:aid_donation_new": Rec("fund", None, post=lambda w: {"amount": "250", "received_on": day()}),
    "beneficiaries:aid_safety_check": Rec("donation", None, post=lambda w: {"result": "passed", "notes": ""}),
    "beneficiaries:aid_campaign_detail": Rec("campaign", None, hidden="active"),
    "beneficiaries:aid_campaign_run": Rec("campaign", None, post=empty, get=False, prepare=widen_the_campaign),
    "beneficiaries:aid_follow_up": Rec("recommendation", RECOMMENDATION_SCOPE,
                                       post=lambda w: {"status": "contacted", "note": "اتصلت بالأسرة"}),
    "beneficiaries:aid_card_replace": Rec("card", ACTIVE, post=lambda w: {"number": "C-300"}),
    "beneficiaries:aid_card_lost": Rec("card", ACTIVE, post=empty, get=False),
    "beneficiaries:aid_card_cancel": Rec("card", ACTIVE, post=empty, get=False),
    "beneficiaries:programme_detail": Rec("programme", None, hidden="active"),
    "beneficiaries:programme_nominate": Rec("programme", None, post=lambda w: {"members": [w.son.pk]}),
    "beneficiaries:session_new": Rec("programme", None, post=lambda w: {"held_on": day(20), "topic": "الثانية"}),
    "beneficiaries:programme_complete": Rec("programme", None, post=empty, get=False, prepare=end_the_programme),
    "beneficiaries:nomination_answer": Rec("nomination", ACTIVE, post=lambda w: {"answer": "accepted",
                                                                                 "written_answer": "موافقة"}),
    "beneficiaries:nomination_dropout": Rec("nomination", ACTIVE, prepare=accept_the_nomination, post=lambda w: {
        "dropout_reasons": "انتقلنا", "dropout_discussed": "no", "dropped_out_on": day()}),
    "beneficiaries:session_sheet": Rec("session", None, hidden="active", prepare=hold_the_session,
                                       post=lambda w: {"present": [w.nomination.pk]}),
    "beneficiaries:session_apology": Rec("session", None, hidden="active", prepare=accept_the_nomination,
                                         post=lambda w: {"nomination": w.nomination.pk, "apology": "سفر",
                                                         "apologised_on": day()}),
    "eligibility:study": Rec("study", STUDY_FILE),
    "eligibility:item_attach": Rec("item", STUDY_FILE, get=False, post=lambda w: {"document": item_document(w).pk}),
    "eligibility:item_verify": Rec("item", STUDY_FILE, post=lambda w: {"note": "مطابق"}, get=False,
                                   prepare=attach_item_document),
    "eligibility:item_not_applicable": Rec("item", STUDY_FILE, post=lambda w: {"note": "لا ينطبق"}, get=False),
    "eligibility:witness_add": Rec("study", STUDY_FILE, post=lambda w: {
        "name": "سعد العنزي", "national_id": unique_national_id(), "phone": "0501111111", "statement": "أعرفها"}),
    "eligibility:visit_schedule": Rec("study", STUDY_FILE, post=lambda w: {"researcher": pk_of(w, "researcher_a"),
                                                                           "on": day(2)}),
    "eligibility:visit_report": Rec("visit", STUDY_FILE, post=lambda w: dict(REPORT)),
    "eligibility:visit_nobody_home": Rec("visit", STUDY_FILE, post=lambda w: {"new_date": day(5), "note": "مغلق"}),
    "eligibility:assess": Rec("study", STUDY_FILE, post=lambda w: {"housing_poor": "on", "notes": "حاجة ماسة"}),
    "eligibility:assessment_detail": Rec("assessment", STUDY_FILE),
    "eligibility:decide": Rec("study", STUDY_FILE, prepare=study_to_the_end, post=lambda w: {
        "outcome": "accept", "reasons": "", "family_participant": "", "family_participant_relationship": ""}),
    "eligibility:controls": Rec("active", ACTIVE),
    "eligibility:exclude": Rec("active", ACTIVE, post=lambda w: {"rule": "SC-3", "proof_note": "طلب خطي",
                                                                 "confirm": "on"}),
    "eligibility:freeze": Rec("active", ACTIVE, post=lambda w: {"rule": "SC-12", "reason": "الجوال مغلق"}),
    "eligibility:lift_freeze": Rec("freeze", FILE_SCOPE["frozen"], post=lift_payload),
    "eligibility:record_death": Rec("active", ACTIVE, post=lambda w: {"died_on": day(-4), "confirm": "on",
                                                                      "new_head": w.son.pk}),
    "eligibility:certificate_download": Rec("certificate", FILE_SCOPE["excluded"]),
    "complaints:detail": Rec("complaint", COMPLAINT_SCOPE),
    "complaints:attachment": Rec("attachment", COMPLAINT_SCOPE),
    "complaints:decide_excuse": Rec("late_complaint", COMPLAINT_SCOPE, get=False,
                                    post=lambda w: {"accept": "yes", "reason": "العذر مقبول"}),
    "complaints:assign": Rec("complaint", COMPLAINT_SCOPE, get=False, post=lambda w: {"to": pk_of(w, "researcher_b")}),
    "complaints:name_staff": Rec("complaint", COMPLAINT_SCOPE, get=False,
                                 post=lambda w: {"staff": [pk_of(w, "director_b"), pk_of(w, "intake_b")]}),
    "complaints:rule": Rec("complaint", COMPLAINT_SCOPE, get=False, post=lambda w: {"ruling": "upheld", "text": "ثبت"}),
    "complaints:notify": Rec("ruled_complaint", COMPLAINT_SCOPE, get=False, post=empty),
    "complaints:close": Rec("notified_complaint", COMPLAINT_SCOPE, get=False, post=lambda w: {"reason": "انتهى"}),
    "complaints:refer": Rec("ruled_complaint", COMPLAINT_SCOPE, get=False, post=lambda w: {"reasons": "كيدية"}),
    "complaints:record_notice": Rec("ruled_complaint", COMPLAINT_SCOPE, get=False,
                                    post=lambda w: {"channel": "phone_call", "success": "yes", "note": ""}),
    "complaints:record_investigation": Rec("referred_complaint", REFERRED_SCOPE, get=False,
                                           post=lambda w: {"outcome": "إنذار كتابي"}),
    "survey:answer": Rec("survey", None, kwargs=lambda w: {"token": w.survey_token}, post=lambda w: {
        "overall": "4", "courtesy": "5", "speed": "3", "clarity": "2", "comment": "جيدة"}),
    "dashboard:export": Rec("export_job", frozenset({"director_a"})),
    "dashboard:export_download": Rec("export_job", frozenset({"director_a"})),
    "privacy:request_detail": Rec("dsr", None),
    "privacy:prepare_export": Rec("dsr", None, post=empty, get=False),
    "privacy:export_download": Rec("dsr", None),
    "privacy:complete": Rec("dsr", None, get=False, post=lambda w: {"outcome": "أرسلت النسخة"}),
    "privacy:refuse": Rec("dsr", None, get=False, post=lambda w: {"reasons": "هوية غير مطابقة"}),
}
ARGLESS = sorted(name for name in ACCESS if name not in RECORDS)


# --- The world and the clock ----------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with open_world(django_db_blocker, tmp_path_factory.mktemp("matrix-media"), sessions_at=VIEW_NOW) as built:
        yield built


@pytest.fixture(scope="module")
def _shared_client():
    return Client()


@pytest.fixture
def client(_shared_client):
    """One test client for the module, signed out before each test: a new client loads the
    middleware again, and WhiteNoise then scans every static file (40 ms a test with DEBUG on)."""
    _shared_client.cookies.clear()
    return _shared_client


@pytest.fixture(autouse=True)
def _view_clock():
    """Views read the clock: just after the world was built (TODAY)."""
    with time_machine.travel(VIEW_NOW, tick=False):
        yield


# --- Expectations ---------------------------------------------------------------------------


def role_allows(name, user) -> bool:
    allowed = ACCESS[name]
    return allowed in (PUBLIC, ANY) or (user is not None and WORLD_USERS[user] in allowed)


def login_url(name) -> str:
    return reverse("admin:login") if name == "admin:*" else reverse("login")


def sent_to_login(response, name) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_url(name))


def assert_allowed(response, name, user):
    assert response.status_code == 200 or (response.status_code == 302 and not sent_to_login(response, name)), (
        f"{user} may use {name}: got {response.status_code} {response.get('Location', '')}")


def assert_refused(response, name, user, *, scoped=False):
    """A role without the permission: 403 (or 404); the admin site sends it to its login page."""
    if user is None:
        assert sent_to_login(response, name), f"anonymous on {name}: {response.status_code}"
    elif scoped:
        assert response.status_code == 404, f"{user} is not connected to {name}: got {response.status_code}"
    elif name == "admin:*":
        assert sent_to_login(response, name), f"{user} on the admin site: {response.status_code}"
    else:
        assert response.status_code in (403, 404), f"{user} may not use {name}: got {response.status_code}"


def sign_in(client, world, user):
    """Use the user's session opened with the world (a force_login per test would cost more)."""
    if user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[user]


# --- Every URL is in the matrix -------------------------------------------------------------


def test_every_url_is_in_the_access_matrix():
    """A URL added without a row here, or a row whose URL is gone, fails; so does a record URL
    without its record (RECORDS) or a URL without arguments listed as one."""
    names = url_names()
    assert sorted(set(names) - set(ACCESS)) == [], "URLs missing from ACCESS"
    assert sorted(set(ACCESS) - set(names)) == [], "ACCESS rows whose URL no longer exists"
    assert sorted(n for n, takes in names.items() if takes and n not in RECORDS) == [], "record URLs without RECORDS"
    assert sorted(n for n in RECORDS if not names.get(n)) == [], "RECORDS rows for URLs without arguments"


# --- URLs without arguments: anonymous, then one user of each role --------------------------


def _argless_request(client, name):
    url = reverse("admin:index") if name == "admin:*" else reverse(name)
    return client.post(url) if name in ARGLESS_POST_ONLY else client.get(url)


@pytest.mark.parametrize("name", ARGLESS)
def test_url_without_arguments_anonymous(client, world, name):
    """Public pages answer anyone; every other page sends an anonymous visitor to sign in."""
    response = _argless_request(client, name)
    if ACCESS[name] == PUBLIC:
        expected = 302 if name in PUBLIC_REDIRECTS else 200
        assert response.status_code == expected, response.get("Location")
    else:
        assert sent_to_login(response, name), response.status_code


@pytest.mark.parametrize(("name", "user"), [pytest.param(n, u, id=f"{n}-{u}") for n in ARGLESS for u in ROLE_USERS])
def test_url_without_arguments_per_role(client, world, name, user):
    """Allowed: 200 or a redirect elsewhere than the login page; not allowed: 403/404, never 200."""
    sign_in(client, world, user)
    response = _argless_request(client, name)
    if name == "logout":
        assert sent_to_login(response, name)  # signed out, whoever asked
    elif role_allows(name, user):
        assert_allowed(response, name, user)
    else:
        assert_refused(response, name, user)


# --- Record URLs: GET -----------------------------------------------------------------------


def _connected(name, user) -> bool:
    scope = RECORDS[name].scope
    return role_allows(name, user) and (scope is None or user in scope)


GET_CASES = [pytest.param(n, u, id=f"{n}-{u}") for n, rec in RECORDS.items() if rec.get
             for u in [None, *WORLD_USERS]]


def _hidden_markers(world, key) -> list[str]:
    file = world.records[key]
    return [file.number, file.head_id_number, file.head_name]


@pytest.mark.parametrize(("name", "user"), GET_CASES)
def test_record_url_get(client, world, name, user):
    """RT-6, RT-10, CP-8: connected users see the record; an allowed role not connected to it gets
    404; a role without the permission 403 (or 404); anonymous visitors sign in first."""
    rec = RECORDS[name]
    sign_in(client, world, user)
    response = client.get(rec.url(world, name))
    if user is None and ACCESS[name] != PUBLIC:
        assert_refused(response, name, None)
    elif _connected(name, user) or (user is None and ACCESS[name] == PUBLIC):
        assert_allowed(response, name, user)
        if rec.hidden and user not in FILE_SCOPE[rec.hidden] and response.status_code == 200:
            page = response.content.decode()
            leaked = [m for m in _hidden_markers(world, rec.hidden) if m in page]
            assert leaked == [], f"{name} shows {user} a file outside their scope"
    else:
        assert_refused(response, name, user, scoped=role_allows(name, user))


# --- Record URLs: POST ----------------------------------------------------------------------


POST_CASES = [pytest.param(n, u, id=f"{n}-{u}") for n, rec in RECORDS.items() if rec.post
              for u in [None, *WORLD_USERS] if ACCESS[n] != PUBLIC and not _connected(n, u)]


def _watched(world, name):
    record = world.records[RECORDS[name].record]
    file = getattr(record, "file", None) if not hasattr(record, "head_id_number") else None
    return [r for r in (record, file) if r is not None]


@pytest.mark.parametrize(("name", "user"), POST_CASES)
def test_record_url_unauthorised_post_changes_nothing(client, world, django_capture_on_commit_callbacks, name,
                                                     user):
    """A POST by anyone not allowed (wrong role: 403; allowed role, not connected: 404;
    anonymous: to the login page) changes no row, no record field and no stored file, and
    queues nothing to run after the commit (a task, a message)."""
    rec = RECORDS[name]
    sign_in(client, world, user)
    before = snapshot(*_watched(world, name))
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(rec.url(world, name), rec.post(world))
    assert_refused(response, name, user, scoped=user is not None and role_allows(name, user))
    assert diff(before, snapshot(*_watched(world, name))) == {}
    assert queued == []


PREFERRED = ["researcher_a", "intake_a", "manager", "director_a", "committee", "investigation", "admin"]
PROOF_CASES = [pytest.param(n, next(u for u in PREFERRED if _connected(n, u)), id=n)
               for n, rec in RECORDS.items() if rec.post and ACCESS[n] != PUBLIC]


@pytest.mark.parametrize(("name", "user"), PROOF_CASES)
def test_record_url_connected_post_is_accepted(client, world, name, user):
    """The same payload from a connected user is let through — and, where the record's state
    allows it, acts — so the refusals above are refusals of a real change."""
    rec = RECORDS[name]
    sign_in(client, world, user)
    if rec.prepare:
        rec.prepare(world)
    before = snapshot(*_watched(world, name))
    response = client.post(rec.url(world, name), rec.post(world))
    assert_allowed(response, name, user)
    assert diff(before, snapshot(*_watched(world, name))) != {}, f"{name}: the payload changed nothing"


def test_survey_link_with_a_forged_token_is_404_and_changes_nothing(client, world):
    """SAT-1: the token is the credential: a forged one shows nothing and records nothing."""
    forged = reverse("survey:answer", kwargs={"token": "x" * len(world.survey_token)})
    before = snapshot(world.survey)
    assert client.get(forged).status_code == 404
    assert client.post(forged, RECORDS["survey:answer"].post(world)).status_code == 404
    assert diff(before, snapshot(world.survey)) == {}
