"""One set of records of every kind, connected to named users, for the access matrix.

Built once per test module through the services (never by setting status), inside a
transaction that is rolled back when the module ends; each test runs in its own savepoint.
`WORLD_USERS` names who is connected to what: researcher A studies the files, intake A
registered them, staff A (researcher A) examines the complaints, director B is named in them.
"""

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import time_machine
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings

from aid import services as aid_services
from aid.models import AidPurpose, Disbursement
from beneficiaries import services as file_services
from beneficiaries.policy import Relationship
from charity.message_catalog import default_text
from charity.models import CalendarException, MessageWording, PolicyProfile, StaffTool, User
from charity.roles import Role
from charity.services import load_policy_profile, upload_staff_tool
from complaints import services as complaint_services
from complaints.policy import Ruling
from dashboard import exports
from dashboard.queries import Period
from eligibility import controls
from eligibility import services as eligibility_services
from portal import services as portal_services
from privacy import services as privacy_services
from privacy.policy import RequestKind
from programmes import services as programme_services
from programmes.models import Programme
from satisfaction import services as survey_services
from satisfaction.models import Service
from testdata import (
    NOW,
    TODAY,
    add_member,
    file_complaint,
    make_active,
    make_draft,
    make_submitted,
    pdf_upload,
    set_up,
    unique_national_id,
)

IBAN = "SA0380000000608010167519"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STARTS, ENDS = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=40)

# Who the matrix signs in as: one role each (None: signed in, no role at all).
WORLD_USERS: dict[str, Role | None] = {
    "intake_a": Role.INTAKE, "intake_b": Role.INTAKE,
    "researcher_a": Role.RESEARCHER, "researcher_b": Role.RESEARCHER,
    "manager": Role.MANAGER, "officer": Role.RESEARCH_OFFICER, "committee": Role.COMMITTEE,
    "director_a": Role.DIRECTOR, "director_b": Role.DIRECTOR,
    "investigation": Role.INVESTIGATION, "board_chair": Role.BOARD_CHAIR, "admin": Role.ADMIN, "norole": None,
}
# One user per role, for the matrix of the URLs without arguments.
ROLE_USERS = {"intake_a": Role.INTAKE, "researcher_a": Role.RESEARCHER, "manager": Role.MANAGER,
              "officer": Role.RESEARCH_OFFICER, "committee": Role.COMMITTEE, "director_a": Role.DIRECTOR,
              "investigation": Role.INVESTIGATION, "board_chair": Role.BOARD_CHAIR, "admin": Role.ADMIN, "norole": None}

# RT-6, RT-10: who may see each file. CP-8: who may see each complaint.
DIRECTORS_AND_MANAGER = frozenset({"manager", "director_a", "director_b"})
FILE_SCOPE = {
    "draft": DIRECTORS_AND_MANAGER | {"intake_a"},  # registered by intake A, no researcher yet
    "study": DIRECTORS_AND_MANAGER | {"researcher_a", "committee"},  # under study: the committee too
    "active": DIRECTORS_AND_MANAGER | {"researcher_a"},
    "frozen": DIRECTORS_AND_MANAGER | {"researcher_a"},
    "excluded": DIRECTORS_AND_MANAGER | {"researcher_a"},
}
# Director B is named in every complaint: each is a complaint against an executive director,
# which the board chairman takes (the profile's default) and no executive director sees.
COMPLAINT_SCOPE = frozenset({"board_chair", "researcher_a"})
REFERRED_SCOPE = COMPLAINT_SCOPE | {"investigation"}
# DU-12: the director and the manager handle every view and suggestion.
SUGGESTION_SCOPE = DIRECTORS_AND_MANAGER
# TK-2: who sees all files sees every recommendation; a researcher their own (researcher A's here).
RECOMMENDATION_SCOPE = DIRECTORS_AND_MANAGER | {"researcher_a"}


@dataclass
class World:
    users: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    survey_token: str = ""
    sessions: dict = field(default_factory=dict)
    media_root: Path | None = None

    def __getattr__(self, name):
        try:
            return self.__dict__["records"][name]
        except KeyError:
            raise AttributeError(name) from None


def _make_users() -> dict:
    users = {}
    groups = {g.name: g for g in Group.objects.all()}
    for n, (key, role) in enumerate(WORLD_USERS.items(), start=1):
        user = User.objects.create_user(username=f"m-{key}", password=None, first_name="موظف",
                                        last_name=f"{key} {n}", is_staff=role == Role.ADMIN)
        if role is not None:
            user.groups.add(groups[role.value])
        users[key] = user
    return users


def _adult_son(file):
    return add_member(file, birth_date=dt.date(2000, 3, 1))


def _files(u) -> dict:
    assign = file_services.assign_researcher
    profile = PolicyProfile.objects.active()
    study = assign(file=make_submitted(u["intake_a"]), researcher=u["researcher_a"], by=u["manager"], now=NOW)
    active = make_active(u["intake_a"], iban=IBAN)
    son = _adult_son(active)
    file_services.save_income(file=active, data={"kind": "salary", "monthly_amount": Decimal("1500"), "member": son,
                                                 "note": "عمل جزئي"})
    active = assign(file=active, researcher=u["researcher_a"], by=u["manager"], now=NOW)
    frozen = assign(file=make_active(u["intake_a"]), researcher=u["researcher_a"], by=u["manager"], now=NOW)
    freeze = controls.freeze_file(file=frozen, rule="SC-12", by=u["manager"], today=TODAY, now=NOW, profile=profile,
                                  reason="الجوال مغلق")
    excluded = assign(file=make_active(u["intake_a"]), researcher=u["researcher_a"], by=u["manager"], now=NOW)
    exclusion = controls.exclude_file(file=excluded, rule="SC-2", by=u["manager"], today=TODAY, now=NOW,
                                      profile=profile, proof_note="محضر موقع من الباحثة")
    return {"draft": make_draft(u["intake_a"]), "study": study, "active": active, "son": son, "frozen": frozen,
            "freeze": freeze, "excluded": excluded, "certificate": exclusion.certificate,
            "document": active.documents.order_by("pk").first()}


def _file_records(u, r) -> dict:
    active = r["active"]
    update = file_services.announce_annual_update(by=u["manager"], title="التحديث السنوي", today=TODAY,
                                                  deadline=TODAY + dt.timedelta(days=30), documents=["other"])
    # The family renewed what the update asks for: its request can be completed (DU-5).
    file_services.upload_document(file=active, by=u["researcher_a"], uploaded=pdf_upload("renewed.pdf"),
                                  doc_type="other", today=TODAY)
    return {
        "reported_change": file_services.record_change(file=active, by=u["researcher_a"], kind="household",
                                                       reported_on=TODAY, description="مولود جديد", today=TODAY),
        "change_request": file_services.request_researcher_change(file=active, by=u["researcher_a"],
                                                                  reasons="لا تتوفر مواعيد", now=NOW),
        "referral": file_services.refer_to_manager(file=active, by=u["researcher_a"], question="متى القرار؟", now=NOW),
        "annual_update": update, "update_request": update.requests.get(file=active),
    }


def _aid(u, r) -> dict:
    active = r["active"]
    fund = aid_services.save_fund(by=u["manager"], name="صندوق الإغاثة", purposes=[AidPurpose.RELIEF])
    aid_services.record_cash_donation(fund=fund, by=u["manager"], amount=Decimal("5000"), received_on=TODAY,
                                      today=TODAY)
    return {
        "fund": fund,
        "disbursement": aid_services.propose_disbursement(
            file=active, by=u["researcher_a"], kind=Disbursement.Kind.CASH, purpose=AidPurpose.RELIEF, fund=fund,
            amount=Decimal("100"), now=NOW),
        "approved_disbursement": aid_services.approve_disbursement(disbursement=aid_services.propose_disbursement(
            file=active, by=u["researcher_a"], kind=Disbursement.Kind.CASH, purpose=AidPurpose.RELIEF, fund=fund,
            amount=Decimal("50"), now=NOW), by=u["manager"], now=NOW),
        "card": aid_services.issue_card(file=active, by=u["researcher_a"], number="C-100", today=TODAY),
        "donation": aid_services.record_in_kind_donation(by=u["manager"], item="حليب", quantity=10, today=TODAY,
                                                         received_on=TODAY, expires_on=TODAY + dt.timedelta(days=300)),
        "campaign": aid_services.create_campaign(by=u["manager"], name="حملة الشتاء", reason="البرد", fund=fund,
                                                 amount_per_member=Decimal("50"), purpose=AidPurpose.RELIEF,
                                                 criteria={"files": [active.pk]}, now=NOW).campaign,
        "recommendation": aid_services.recommend_family(by=u["researcher_a"], now=NOW, family_name="أسرة أم سعد",
                                                        city="الرياض", situation="بلا دخل", recommended_aid="إيجار"),
    }


def _programmes(u, r) -> dict:
    programme = programme_services.create_programme(by=u["manager"], data={
        "title": "دورة الخياطة", "kind": Programme.Kind.TRAINING, "capacity": 5, "starts_on": STARTS,
        "ends_on": ENDS, "response_days": 5})
    head = r["active"].members.get(relationship=Relationship.HEAD)
    nomination = programme_services.nominate(programme=programme, members=[head], by=u["manager"], today=TODAY)[0]
    # A second programme where the son accepted and apologised for a session (DU-3, DU-11).
    course = programme_services.create_programme(by=u["manager"], data={
        "title": "دورة الحاسب", "kind": Programme.Kind.TRAINING, "capacity": 5, "starts_on": STARTS,
        "ends_on": ENDS, "response_days": 5})
    son = programme_services.nominate(programme=course, members=[r["son"]], by=u["manager"], today=TODAY)[0]
    son = programme_services.record_answer(nomination=son, by=u["manager"], accepted=True, today=TODAY,
                                           written_answer="موافق")
    lesson = programme_services.record_session(programme=course, held_on=STARTS, topic="المقدمة")
    return {"programme": programme, "nomination": nomination,
            "session": programme_services.record_session(programme=programme, held_on=STARTS, topic="الأولى"),
            "apology": programme_services.record_apology(session=lesson, nomination=son, by=u["manager"],
                                                         apology="موعد في المستشفى", apologised_on=TODAY, today=TODAY)}


def _eligibility(u, r) -> dict:
    from eligibility.policy import ITEM_DOCUMENT

    study, profile = r["study"], PolicyProfile.objects.active()
    items = eligibility_services.ensure_checklist(study)
    # The document the first item asks for, uploaded but not yet attached (EL-1…EL-8).
    file_services.upload_document(file=study, by=u["researcher_a"], uploaded=pdf_upload("item.pdf"),
                                  doc_type=ITEM_DOCUMENT[items[0].kind], today=TODAY)
    return {
        "item": items[0],
        "visit": eligibility_services.schedule_visit(file=study, by=u["researcher_a"], researcher=u["researcher_a"],
                                                     on=TODAY, today=TODAY),
        "assessment": eligibility_services.assess_needs(file=study, by=u["researcher_a"], now=NOW, today=TODAY,
                                                        profile=profile),
        "witness": eligibility_services.add_witness(file=study, by=u["researcher_a"], now=NOW, name="هيا سعد الشمري",
                                                    national_id=unique_national_id(), phone="0551112233",
                                                    statement="أعرف الأسرة منذ سنوات."),
        "decision": _rejected(u, profile),
        "death": _death(u),
    }


def close_checklist(u, file, profile) -> None:
    """Study the file to the end: a completed visit, the needs study, the rest not applicable."""
    from eligibility.models import FieldVisit
    from eligibility.policy import ItemKind

    for item in eligibility_services.ensure_checklist(file):
        item.refresh_from_db()
        if not item.is_open:
            continue
        if item.kind == ItemKind.FIELD_VISIT:
            visit = file.field_visits.filter(status=FieldVisit.Status.SCHEDULED).first() or \
                eligibility_services.schedule_visit(file=file, by=u["researcher_a"], researcher=u["researcher_a"],
                                                    on=TODAY, today=TODAY)
            eligibility_services.record_visit(visit=visit, by=u["researcher_a"], now=NOW, report={
                "housing_state": "good", "observations": "-", "present": "الأم", "recommendation": "not_eligible"})
        elif item.kind == ItemKind.NEEDS_ASSESSMENT and not file.needs_assessments.exists():
            eligibility_services.assess_needs(file=file, by=u["researcher_a"], now=NOW, today=TODAY, profile=profile)
        else:
            item.refresh_from_db()
            if item.is_open:
                eligibility_services.mark_not_applicable(item=item, by=u["researcher_a"], now=NOW, note="لا ينطبق")


def _rejected(u, profile):
    """A file studied to the end and rejected, with the reasons (RT-4)."""
    from eligibility.policy import Outcome

    file = file_services.assign_researcher(file=make_submitted(u["intake_a"]), researcher=u["researcher_a"],
                                           by=u["manager"], now=NOW)
    close_checklist(u, file, profile)
    return eligibility_services.decide_application(file=file, by=u["manager"], profile=profile,
                                                   outcome=Outcome.REJECT, reasons="الدخل يزيد على الحد", now=NOW)


def _death(u):
    """SC-7: the head of a one-person household died; the file closed."""
    file = file_services.assign_researcher(file=make_active(u["intake_a"]), researcher=u["researcher_a"],
                                           by=u["manager"], now=NOW)
    head = file.members.get(relationship=Relationship.HEAD)
    return controls.record_death(file=file, deceased=head, died_on=TODAY, by=u["manager"], now=NOW)


def _complaint(u, *, attachments=(), assign=True, **overrides):
    complaint = file_complaint(attachments=attachments, **overrides)
    complaint_services.name_staff(complaint=complaint, by=u["director_a"], staff=[u["director_b"]])
    if assign:
        complaint_services.assign(complaint=complaint, by=u["director_a"], to=u["researcher_a"])
    return complaint


def _complaints(u) -> dict:
    director = u["director_a"]
    open_one = _complaint(u, attachments=[pdf_upload("evidence.pdf")])
    late = _complaint(u, incident_on=TODAY - dt.timedelta(days=400), excuse="كنت مريضة")
    ruled, notified, referred = _complaint(u), _complaint(u), _complaint(u)
    for complaint in (ruled, notified, referred):
        complaint_services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text="ثبت", now=NOW,
                                today=TODAY)
    complaint_services.notify_result(complaint=notified, by=director, now=NOW)
    complaint_services.refer_malicious(complaint=referred, by=director, reasons="ادعاءات كاذبة", now=NOW)
    return {"complaint": open_one, "attachment": open_one.attachments.get(), "late_complaint": late,
            "ruled_complaint": ruled, "notified_complaint": notified, "referred_complaint": referred}


def _director_records(u, r) -> dict:
    job = exports.queue_export(user=u["director_a"], kind="files", period=Period(TODAY - dt.timedelta(days=30), TODAY),
                               today=TODAY, language="ar")
    exports.run_job(job.pk)
    dsr = privacy_services.record_request(
        by=u["director_a"], kind=RequestKind.ACCESS, national_id=r["active"].head_id_number,
        requester_name="نورة", contact="0551234567", details="نسخة من بياناتي", received_on=TODAY, today=TODAY, now=NOW)
    privacy_services.prepare_export(request=dsr, by=u["director_a"], now=NOW)
    job.refresh_from_db()
    dsr.refresh_from_db()
    return {"export_job": job, "dsr": dsr}


def build_world(media_root: Path) -> World:
    """Create the users and one record of every kind (see the module docstring)."""
    # With the seven sections its text adopts (SectionAdoption), and the values no text gives set
    # as an admin would: the service area and the committee quorum (charity.setup).
    set_up(load_policy_profile("general")[0])
    world = World(users=_make_users(), media_root=media_root)
    u, r = world.users, world.records
    r.update(_files(u))
    r["delegate"] = portal_services.designate_delegate(file=r["active"], member=r["son"], by=u["manager"],
                                                       reason="الأب مسافر", now=NOW)
    r.update(_file_records(u, r))
    r.update(_aid(u, r))
    r.update(_programmes(u, r))
    r.update(_eligibility(u, r))
    r.update(_complaints(u))
    r["suggestion"] = complaint_services.submit_suggestion(
        data={"text": "أقترح فتح المكتب مساءً", "phone": "0551234567"}, profile=PolicyProfile.objects.active(),
        channel="in_person", now=NOW, today=TODAY, entered_by=u["intake_a"])
    r.update(_director_records(u, r))
    survey = survey_services.send_survey(event=r["disbursement"], service=Service.AID, file=r["active"],
                                         staff=u["researcher_a"], now=NOW)
    r["survey"], world.survey_token = survey, survey.token
    # An administrator's calendar correction, far from every date the world uses.
    r["calendar_exception"] = CalendarException.objects.create(
        date=dt.date(2031, 1, 1), kind=CalendarException.Kind.CLOSURE, name="إغلاق الجمعية", created_by=u["admin"])
    # «Staff tools»: a document the admin uploaded (the general text names none: one is added here).
    tool = StaffTool.objects.create(profile=PolicyProfile.objects.get(is_active=True), code="basic_regulation",
                                    name_ar="اللائحة الأساسية للجمعية", source_line="")
    upload_staff_tool(tool=tool, uploaded=pdf_upload("regulation.pdf"), by=u["admin"], now=NOW)
    r["staff_tool"] = tool
    # The admin's own wording of one message, the same words as the default (nothing sent changes).
    r["message_wording"] = MessageWording.objects.create(
        profile=PolicyProfile.objects.get(is_active=True), purpose="complaint-receipt",
        text=default_text("complaint-receipt"))
    return world


def _open_sessions(users) -> dict:
    """A session per user, verified by a second factor (an authenticator app): the matrix runs
    with two-factor sign-in required."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sessions = {}
    for key, user in users.items():
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        sessions[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@contextlib.contextmanager
def open_world(django_db_blocker, media_root: Path, *, sessions_at: dt.datetime | None = None):
    """Build the world in a transaction kept open for the module, then roll it all back.

    Each test's own transaction (pytest-django's `db`) nests inside as a savepoint, so a test
    that changes a record leaves the next test the world as built. With `sessions_at`, every
    user also gets a session opened at that time (world.sessions: user key -> session key)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=FAST_HASHERS):
                with time_machine.travel(NOW, tick=False):
                    world = build_world(media_root)
                if sessions_at is not None:
                    with time_machine.travel(sessions_at, tick=False):
                        world.sessions = _open_sessions(world.users)
                yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
