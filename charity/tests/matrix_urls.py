"""The access matrix's tables: who may use each URL of the project, and what its tests send.

ACCESS says, for every URL name of the project, who may use it: "public", "any-staff" (any
signed-in user) or the set of roles whose permissions the view's decorators ask for. RECORDS
says, for every URL that names a record, which record and who is connected to it, and its POST
payload. POSTS gives the payload of each URL without arguments that creates something.
REDIRECTS names the only URLs whose allowed request answers with a redirect; every other
allowed GET must answer 200. The tests: test_access_matrix.py (GET), test_access_matrix_post.py
(POST); the records they act on: matrix_fixtures.py.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from beneficiaries.models import BeneficiaryFile
from charity.roles import Role
from testdata import TODAY, complaint_form_data, head_data, pdf_upload, unique_national_id

from .matrix_fixtures import (
    COMPLAINT_SCOPE,
    FILE_SCOPE,
    RECOMMENDATION_SCOPE,
    REFERRED_SCOPE,
    STARTS,
    SUGGESTION_SCOPE,
)
from .matrix_prepare import (
    accept_the_nomination,
    attach_item_document,
    await_review,
    cancel_the_card,
    end_the_delegation,
    end_the_programme,
    hold_the_session,
    item_document,
    study_to_the_end,
    widen_the_campaign,
)

PUBLIC, ANY = "public", "any-staff"
INTAKE, RESEARCHER, MANAGER, COMMITTEE = Role.INTAKE, Role.RESEARCHER, Role.MANAGER, Role.COMMITTEE
DIRECTOR, INVESTIGATION, ADMIN = Role.DIRECTOR, Role.INVESTIGATION, Role.ADMIN


# --- Who may use each URL ---------------------------------------------------------------

READ_FILES = {INTAKE, RESEARCHER, MANAGER, Role.RESEARCH_OFFICER, COMMITTEE, DIRECTOR, ADMIN}  # view_beneficiaryfile…
# IN-4: the queue and the answers, for the role the profile names alone (the world's general
# profile: the beneficiary-services manager; the social-research officer and the admin get 404).
EXPLAINS = {MANAGER}
STAFF = set(Role)  # charity.view_stafftool: every role (not a signed-in user without one)
WORK_FILES = {INTAKE, RESEARCHER, MANAGER, ADMIN}  # change_beneficiaryfile, add_document, record_change, refer
REGISTER = {INTAKE, MANAGER, ADMIN}  # register_file
MANAGE = {MANAGER, ADMIN}  # assign_researcher, manage_aid, approve_aid, manage_programmes, …
STUDY = {RESEARCHER, MANAGER, COMMITTEE, DIRECTOR, ADMIN}  # eligibility.view_*
VERIFY = {RESEARCHER, MANAGER, ADMIN}  # verify_eligibility
DECIDE = {MANAGER, COMMITTEE, ADMIN}  # decide_application or vote_in_committee
AID_FILE = {RESEARCHER, MANAGER, DIRECTOR, ADMIN}  # view_disbursement, view_recommendation
AID_WORK = {RESEARCHER, MANAGER, ADMIN}  # add_disbursement, *_electroniccard, add/change_recommendation
AID_BOOKS = {MANAGER, DIRECTOR, ADMIN}  # view_fund, view_inkinddonation, view_campaign
DIRECTION = {DIRECTOR, ADMIN}  # manage_complaints, enter_paper_complaint, handle_requests, view_dashboard

PORTAL_SIGN_IN = ("sign_in", "verify", "resend", "sign_out")
PORTAL_PAGES = ("file", "needs", "update", "researcher", "complaints", "surveys", "survey", "certificate")

# CP-8: the complaints list is for the director, the investigation committee and a member of
# staff with a complaint in hand (the world's researcher A); intake staff and the others get 404.
LISTS_COMPLAINTS = {Role.RESEARCHER, Role.DIRECTOR, Role.INVESTIGATION, Role.BOARD_CHAIR}
# CP-8: the workflow actions: the director, or the board chairman for a complaint against a director.
TAKES_COMPLAINTS = {DIRECTOR, Role.BOARD_CHAIR, ADMIN}

# DU-12: every role (STAFF) enters a view or suggestion received by phone or in person; the
# director and the manager handle them.
HANDLES_SUGGESTIONS = {MANAGER, DIRECTOR}

ACCESS: dict[str, object] = {
    # home: the public home for visitors, the role home for staff.
    "home": PUBLIC, "policy": ANY, "charter": PUBLIC, "healthz": PUBLIC, "login": PUBLIC, "logout": PUBLIC,
    "staff_tool": STAFF,
    "password_change": ANY, "password_change_done": ANY, "set_language": PUBLIC, "admin:*": {ADMIN},
    # Password reset by e-mail, for anyone; the second factor, for every signed-in user.
    "password_reset": PUBLIC, "password_reset_done": PUBLIC, "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC, "two_factor_setup": ANY, "two_factor_verify": ANY,
    # Intake and the file (IN-1…IN-6, RT-6, RT-10, DU-1)
    "beneficiaries:intake_start": REGISTER, "beneficiaries:intake_drafts": REGISTER,
    "beneficiaries:intake_step": REGISTER, "beneficiaries:declaration_pdf": READ_FILES,
    "beneficiaries:receipt": READ_FILES, "beneficiaries:receipt_pdf": READ_FILES,
    "beneficiaries:file_list": READ_FILES, "beneficiaries:overdue": {MANAGER, DIRECTOR, ADMIN},
    "beneficiaries:file_detail": READ_FILES, "beneficiaries:document_upload": WORK_FILES,
    "beneficiaries:document_download": READ_FILES, "beneficiaries:researcher_card": READ_FILES,
    # The researcher and the manager (RT-2, IN-4), changes and the annual update (DU-4, DU-5)
    "beneficiaries:assign_researcher": MANAGE, "beneficiaries:researcher_request": WORK_FILES,
    "beneficiaries:participation_request": WORK_FILES,
    "beneficiaries:researcher_requests": MANAGE, "beneficiaries:researcher_request_decide": MANAGE,
    "beneficiaries:refer_to_manager": WORK_FILES, "beneficiaries:referrals": EXPLAINS,
    "beneficiaries:referral_answer": EXPLAINS, "beneficiaries:record_change": WORK_FILES,
    "beneficiaries:annual_updates": MANAGE, "beneficiaries:annual_update_new": MANAGE,
    "beneficiaries:annual_update_detail": WORK_FILES, "beneficiaries:update_request_complete": WORK_FILES,
    "beneficiaries:update_request_notice": WORK_FILES,
    # Aid (TK-1…TK-5, TK-8, DU-7)
    "aid:aid_file": AID_FILE, "aid:aid_propose": AID_WORK,
    "aid:aid_card_issue": AID_WORK, "aid:aid_disbursements": AID_FILE,
    "aid:aid_approve": MANAGE, "aid:aid_pay": MANAGE, "aid:aid_cancel": MANAGE, "aid:aid_refuse": AID_WORK,
    "aid:aid_funds": AID_BOOKS, "aid:aid_fund_new": MANAGE,
    "aid:aid_fund_detail": AID_BOOKS, "aid:aid_donation_new": MANAGE,
    "aid:aid_in_kind": AID_BOOKS, "aid:aid_in_kind_new": MANAGE,
    "aid:aid_safety_check": MANAGE, "aid:aid_campaigns": AID_BOOKS,
    "aid:aid_campaign_new": MANAGE, "aid:aid_campaign_detail": AID_BOOKS,
    "aid:aid_campaign_run": MANAGE, "aid:aid_recommendations": AID_FILE,
    "aid:aid_recommendation_new": AID_WORK, "aid:aid_follow_up": AID_WORK,
    "aid:aid_equality": AID_FILE, "aid:aid_equality_export": AID_FILE,
    "aid:aid_card_replace": AID_WORK, "aid:aid_card_lost": AID_WORK,
    "aid:aid_card_cancel": AID_WORK,
    # Programmes (TK-6, DU-3, DU-6, DU-10, DU-11)
    **{f"programmes:{name}": MANAGE for name in (
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
    "eligibility:review_response": MANAGE,
    "eligibility:record_death": MANAGE, "eligibility:certificate_handover": MANAGE,
    "eligibility:cancellation_form": MANAGE,
    "eligibility:freezes": STUDY, "eligibility:exclusions": STUDY,
    "eligibility:certificate_download": STUDY, "verify:verify_certificate": PUBLIC,
    # Complaints (CP-1…CP-10): the public link, then the staff pages, scoped per complaint (CP-8)
    "complaints_public:file": PUBLIC, "complaints_public:received": PUBLIC, "complaints_public:status": PUBLIC,
    "complaints_public:how_settled": PUBLIC, "complaints:list": LISTS_COMPLAINTS, "complaints:detail": ANY,
    "complaints:attachment": ANY, "complaints:paper": DIRECTION, "complaints:paper_receipt": DIRECTION,
    **{f"complaints:{name}": TAKES_COMPLAINTS for name in (
        "decide_excuse", "assign", "name_staff", "rule", "notify", "close", "refer")},
    "complaints:record_notice": ANY,  # then: the director or the assigned member of staff (403 otherwise)
    "complaints:record_investigation": {INVESTIGATION, ADMIN},
    # DU-12: views and suggestions: the public form; staff enter those received by phone or in
    # person; the director and the manager handle them (404 for anyone else: HANDLES_SUGGESTIONS).
    "complaints_public:suggest": PUBLIC, "complaints_public:suggestion_received": PUBLIC,
    "complaints:suggestion_new": STAFF,
    "complaints:suggestion_list": HANDLES_SUGGESTIONS, "complaints:suggestion_detail": ANY,
    "complaints:suggestion_acknowledge": ANY, "complaints:suggestion_answer": ANY,
    # Satisfaction (SAT-1, SAT-2), the director's dashboard (GO-1…GO-6) and PDPL requests
    "survey:thanks": PUBLIC, "survey:answer": PUBLIC, "satisfaction:results": {MANAGER, DIRECTOR, ADMIN},
    "dashboard:index": DIRECTION, "dashboard:export_start": DIRECTION, "dashboard:export": DIRECTION,
    "dashboard:export_download": DIRECTION, "dashboard:monthly_report": DIRECTION,
    "privacy:request_list": DIRECTION, "privacy:request_create": DIRECTION, "privacy:request_detail": DIRECTION,
    "privacy:prepare_export": {DIRECTOR}, "privacy:export_download": {DIRECTOR},  # + every file and complaint
    "privacy:complete": DIRECTION, "privacy:refuse": DIRECTION, "privacy:retention_log": DIRECTION,
    # «My file»: public sign-in pages, then the family's own pages, opened by the portal session
    # (never a staff login): without one, every user and visitor is sent to the sign-in page.
    **{f"portal:{name}": PUBLIC for name in (*PORTAL_SIGN_IN, *PORTAL_PAGES)},
    "delegates:list": {Role.INTAKE, Role.MANAGER}, "delegates:end": {Role.INTAKE, Role.MANAGER},
}

# The only URLs whose allowed request answers with a redirect, and the URL it goes to. Every
# other allowed GET must answer exactly 200.
REDIRECTS = {
    "logout": "login",  # POST only: signs out whoever asked
    "set_language": "home",  # back to `next`, here the home page
    "dashboard:export_start": "dashboard:export",  # POST only: queues the export, shows its page
    "portal:verify": "portal:sign_in",  # no sign-in waiting for its code
    "portal:resend": "portal:sign_in",  # POST only; no sign-in waiting
    "portal:sign_out": "home",  # POST only: ends the portal session alone
    **{f"portal:{name}": "portal:sign_in" for name in PORTAL_PAGES},  # no portal session
}
SIGNED_IN_REDIRECTS = {"login": "home",  # a signed-in user asking for the login page is sent home
                       # the matrix's sessions are verified by an authenticator already set up
                       "two_factor_setup": "home", "two_factor_verify": "home"}
# Answered on POST only: the matrix asks with POST.
POST_ONLY = {"logout", "dashboard:export_start", "portal:resend", "portal:sign_out"}
QUERIES = {"dashboard:monthly_report": {"month": f"{TODAY:%Y-%m}"}}  # what the page needs to answer


# --- POST payloads -------------------------------------------------------------------------


def empty(world) -> dict:
    return {}


def pk_of(world, key):
    return world.users[key].pk


def day(days=0) -> str:
    return (TODAY + dt.timedelta(days=days)).isoformat()


def change_payload(world) -> dict:
    """DU-4: a household change reported two days ago, on the file's current version."""
    from beneficiaries.forms.updates import _ALL_CHANGE_FIELDS

    file = BeneficiaryFile.objects.get(pk=world.active.pk)
    return {**{n: getattr(file, n) for n in _ALL_CHANGE_FIELDS}, "kind": "household", "reported_on": day(-2),
            "description": "ولد مولود جديد", "version": file.version}


def lift_payload(world) -> dict:
    """SC-12: the frozen family answered with a new mobile."""
    file = BeneficiaryFile.objects.get(pk=world.frozen.pk)
    address = ("city", "district", "street", "building_number", "postal_code")
    return {**{n: getattr(file, n) for n in address}, "note": "اتصلت", "mobile": "0551234567",
            "version": file.version}


REPORT = {"housing_type": "شقة", "housing_state": "poor", "furniture": "قديم", "observations": "رطوبة",
          "present": "الأم", "recommendation": "eligible"}


def intake_payload(world) -> dict:
    """IN-1: a widow's new file, registered at the office."""
    from charity.models import Category

    return {**head_data(), "channel": "office", "categories": [Category.objects.get(code="widow").pk]}


# The POST payload of each URL without arguments that creates something; the others get an
# empty POST. A connected user's POST must change something (test_access_matrix_post.py).
POSTS: dict[str, Callable] = {
    "beneficiaries:intake_start": intake_payload,
    "beneficiaries:annual_update_new": lambda w: {"title": "تحديث 1449", "deadline": day(30), "documents": ["other"],
                                                  "note": ""},
    "aid:aid_fund_new": lambda w: {"name": "صندوق الإيجار", "purposes": ["rent"]},
    "aid:aid_in_kind_new": lambda w: {"item": "حليب أطفال", "unit": "علبة", "quantity": "20", "received_on": day(),
                                      "expires_on": day(300)},
    "aid:aid_campaign_new": lambda w: {"name": "سيول", "reason": "سيول", "fund": w.fund.pk, "purpose": "relief",
                                       "amount_per_member": "100", "file_numbers": w.active.number, "create": "1"},
    "aid:aid_recommendation_new": lambda w: {"family_name": "أسرة أم علي", "city": "جدة", "situation": "بلا دخل",
                                             "recommended_aid": "سلة غذائية"},
    "programmes:programme_new": lambda w: {"title": "نشاط رمضاني", "kind": "activity", "capacity": "30",
                                           "starts_on": STARTS.isoformat(), "ends_on": STARTS.isoformat(),
                                           "response_days": "3", "coordinator": pk_of(w, "manager")},
    "complaints:paper": lambda w: complaint_form_data(received_on=day()),
    "complaints:suggestion_new": lambda w: {"channel": "phone", "text": "اقتراح بالهاتف"},
    "privacy:request_create": lambda w: {"kind": "correction", "national_id": w.active.head_id_number,
                                         "requester_name": "هند علي سالم", "contact": "0551234567",
                                         "details": "تاريخ الميلاد خطأ", "received_on": day()},
    "dashboard:export_start": lambda w: {"kind": "figures"},
}


# --- URLs that name a record ---------------------------------------------------------------


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
    "beneficiaries:participation_request": Rec("active", ACTIVE, post=lambda w: {
        "name": "خالد محمد القحطاني", "relationship": "أخ", "requested_on": day()}),
    "beneficiaries:annual_update_detail": Rec("annual_update", None, hidden="active"),
    "beneficiaries:update_request_complete": Rec("update_request", ACTIVE, post=empty, get=False),
    "beneficiaries:update_request_notice": Rec("update_request", ACTIVE, post=lambda w: {
        "method": "letter", "told_on": day(), "told_by": "الباحثة الاجتماعية", "note": ""}),
    "aid:aid_file": Rec("active", ACTIVE),
    "aid:aid_propose": Rec("active", ACTIVE, post=lambda w: {
        "kind": "cash", "purpose": "relief", "fund": w.fund.pk, "amount": "300", "note": "",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0"}),
    "aid:aid_card_issue": Rec("active", ACTIVE, post=lambda w: {"number": "C-200"}, prepare=cancel_the_card),
    "aid:aid_approve": Rec("disbursement", ACTIVE, post=empty, get=False),
    "aid:aid_pay": Rec("approved_disbursement", ACTIVE, post=lambda w: {"transfer_reference": "TRX-1"}),
    "aid:aid_cancel": Rec("disbursement", ACTIVE, post=lambda w: {"reason": "مكرر"}),
    "aid:aid_refuse": Rec("disbursement", ACTIVE, post=lambda w: {"written_refusal": "لا نحتاج هذه المساعدة"}),
    "aid:aid_fund_detail": Rec("fund", None),
    "aid:aid_donation_new": Rec("fund", None, post=lambda w: {"amount": "250", "received_on": day()}),
    "aid:aid_safety_check": Rec("donation", None, post=lambda w: {"result": "passed", "notes": ""}),
    "aid:aid_campaign_detail": Rec("campaign", None, hidden="active"),
    "aid:aid_campaign_run": Rec("campaign", None, post=empty, get=False, prepare=widen_the_campaign),
    "aid:aid_follow_up": Rec("recommendation", RECOMMENDATION_SCOPE,
                                       post=lambda w: {"status": "contacted", "note": "اتصلت بالأسرة"}),
    "aid:aid_card_replace": Rec("card", ACTIVE, post=lambda w: {"number": "C-300"}),
    "aid:aid_card_lost": Rec("card", ACTIVE, post=empty, get=False),
    "aid:aid_card_cancel": Rec("card", ACTIVE, post=empty, get=False),
    "programmes:programme_detail": Rec("programme", None, hidden="active"),
    "programmes:programme_nominate": Rec("programme", None, post=lambda w: {"members": [w.son.pk]}),
    "programmes:session_new": Rec("programme", None, post=lambda w: {"held_on": day(20), "topic": "الثانية"}),
    "programmes:programme_complete": Rec("programme", None, post=empty, get=False, prepare=end_the_programme),
    "programmes:nomination_answer": Rec("nomination", ACTIVE, post=lambda w: {"answer": "accepted",
                                                                                 "written_answer": "موافقة"}),
    "programmes:nomination_dropout": Rec("nomination", ACTIVE, prepare=accept_the_nomination, post=lambda w: {
        "dropout_reasons": "انتقلنا", "dropout_discussed": "no", "dropped_out_on": day()}),
    "programmes:session_sheet": Rec("session", None, hidden="active", prepare=hold_the_session,
                                       post=lambda w: {"present": [w.nomination.pk]}),
    "programmes:session_apology": Rec("session", None, hidden="active", prepare=accept_the_nomination,
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
    "eligibility:exclude": Rec("active", ACTIVE, post=lambda w: {"rule": "SC-5", "proof_note": "محضر رفض التعاون",
                                                                 "confirm": "on"}),
    "eligibility:cancellation_form": Rec("active", ACTIVE),
    "eligibility:freeze": Rec("active", ACTIVE, post=lambda w: {"rule": "SC-12", "reason": "الجوال مغلق"}),
    "eligibility:lift_freeze": Rec("freeze", FILE_SCOPE["frozen"], post=lift_payload),
    "eligibility:review_response": Rec("freeze", FILE_SCOPE["frozen"], prepare=await_review,
                                       post=lambda w: {"outcome": "incomplete", "reasons": "ينقص صك الإعالة"}),
    "eligibility:record_death": Rec("active", ACTIVE, post=lambda w: {"died_on": day(-4), "confirm": "on",
                                                                      "new_head": w.son.pk}),
    "eligibility:certificate_download": Rec("certificate", FILE_SCOPE["excluded"]),
    "eligibility:certificate_handover": Rec("certificate", FILE_SCOPE["excluded"], post=lambda w: {
        "method": "in_person", "received_by": "أم محمد", "handed_on": day()}),
    "complaints:detail": Rec("complaint", COMPLAINT_SCOPE),
    "complaints:suggestion_detail": Rec("suggestion", SUGGESTION_SCOPE),
    "complaints:suggestion_acknowledge": Rec("suggestion", SUGGESTION_SCOPE, get=False, post=empty),
    "complaints:suggestion_answer": Rec("suggestion", SUGGESTION_SCOPE, get=False,
                                        post=lambda w: {"answer": "شكراً لاقتراحك"}),
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
    # Public: a family's pages need the portal session of that family (portal/tests prove the 404s).
    **{f"portal:{name}": Rec("active", None) for name in PORTAL_PAGES},
    "portal:update": Rec("active", None, kwargs=lambda w: {"pk": w.records["active"].pk,
                                                          "request_pk": w.records["update_request"].pk}),
    "delegates:list": Rec("active", ACTIVE, prepare=end_the_delegation,
                          post=lambda w: {"member": w.son.pk, "reason": "الأم مريضة"}),
    "delegates:end": Rec("delegate", ACTIVE, get=False, post=lambda w: {"reason": "عاد الأب"}),
    "staff_tool": Rec("staff_tool", None),
    # A link whose token is no good: the page says so, to anyone.
    "password_reset_confirm": Rec("active", None, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "portal:survey": Rec("active", None, kwargs=lambda w: {"pk": w.records["active"].pk,
                                                          "survey_pk": w.records["survey"].pk}),
}
ARGLESS = sorted(name for name in ACCESS if name not in RECORDS)
