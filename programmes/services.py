"""Every change of state of programmes, nominations and attendance.

TK-6 (programmes with places and dates; members of active files nominated from a ranked list),
DU-11 (the written answer; on refusal or delay the next candidate is nominated), DU-3
(attendance, apologies in advance), DU-6 (attendance rates), DU-10 (drop-outs with reasons),
SAT-1 (a survey per participant's file when the programme ends). Views, the admin, the daily
job and the command call these functions; none sets `status` by hand.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from beneficiaries import policy as file_policy
from beneficiaries import services as file_services
from beneficiaries.models import BeneficiaryFile, Member
from beneficiaries.policy import DocumentType
from charity import calendar
from charity.models import Notification, PolicyProfile
from charity.notifications import queue_notification
from charity.policy import Section

from . import policy
from .models import Attendance, Nomination, Programme, Session
from .policy import Mark, Status

logger = logging.getLogger("programmes.services")

DATES_REVERSED = _("The programme cannot end before it starts.")
CAPACITY_REQUIRED = _("A programme has at least one place.")
NOBODY_CHOSEN = _("Choose at least one household member to nominate.")
FILE_NOT_ACTIVE = _("%(name)s cannot be nominated: only members of active files take part in programmes "
                    "(file %(number)s is «%(status)s»).")
MEMBER_NOT_CURRENT = _("%(name)s is no longer a member of the household.")
ALREADY_NOMINATED = _("%(name)s is already on this programme's list.")
PROGRAMME_ENDED = _("This programme has ended: nobody more can be nominated.")
NOT_AWAITING_ANSWER = _("This nomination is not awaiting the beneficiary's answer.")
REFUSAL_NOT_IN_WRITING = file_policy.REFUSAL_NOT_IN_WRITING  # DU-11, one rule for programmes and services
NOT_A_PARTICIPANT = _("Only a participant who accepted the programme can be recorded here.")
WRONG_PROGRAMME = _("This participant is not on the list of this session's programme.")
REASONS_REQUIRED = _("Write the reasons for dropping out.")
DISCUSSED_REQUIRED = _("Say whether the beneficiary talked to the association before dropping out.")
DATE_IN_FUTURE = _("The date cannot be in the future.")
SESSION_OUTSIDE_PROGRAMME = _("A session falls between the programme's first and last day.")
SESSION_EXISTS = _("This programme already has a session on that day.")
SESSION_NOT_HELD = _("Attendance is recorded from the session's day on.")
APOLOGY_REQUIRED = _("Write the apology.")
ALREADY_PRESENT = _("This participant was recorded present at that session.")
NOT_ENDED = _("The programme can be closed from its last day on.")
SIGNED_ANSWER_NOTE = _("Signed answer to the nomination for «%(programme)s»")
NOMINATED_SMS = _("%(name)s is nominated for «%(programme)s», starting %(starts)s. Please give the association "
                  "your written acceptance or refusal by %(due)s.")


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def _save(nomination: Nomination, reason: str, fields: list[str]) -> None:
    nomination._change_reason = reason
    nomination.save(update_fields=fields)


def _move(nomination: Nomination, to: str) -> None:
    """Change the status if the table allows it (the caller holds the row's lock)."""
    if not policy.can_transition(nomination.status, to):
        raise ValidationError(NOT_AWAITING_ANSWER, code="transition_not_allowed")
    nomination.status = to


# --- Programmes and nominations (TK-6, DU-11) -----------------------------------------------


def create_programme(*, by, data: dict) -> Programme:
    """TK-6: a programme, training course or activity with its places and dates."""
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": DATES_REVERSED})
    if not data.get("capacity"):
        raise ValidationError({"capacity": CAPACITY_REQUIRED})
    fields = {**data}
    fields["coordinator"] = fields.get("coordinator") or by
    return Programme.objects.create(**fields)


def nominable_members(*, user, programme: Programme):
    """TK-6: current members of the active files `user` may see, not yet on the programme's list."""
    files = BeneficiaryFile.objects.visible_to(user).filter(status=policy.NOMINABLE_FILE_STATUS)
    return (Member.objects.current().filter(file__in=files).exclude(nominations__programme=programme)
            .select_related("file"))


def _nomination_problems(programme: Programme, members: list[Member]) -> list[str]:
    listed = set(programme.nominations.filter(member__in=members).values_list("member_id", flat=True))
    problems = []
    for member in members:
        names = {"name": member.full_name, "number": member.file.number, "status": member.file.get_status_display()}
        if member.file.status != policy.NOMINABLE_FILE_STATUS:
            problems.append(FILE_NOT_ACTIVE % names)
        elif not member.is_current:
            problems.append(MEMBER_NOT_CURRENT % names)
        elif member.pk in listed:
            problems.append(ALREADY_NOMINATED % names)
    return problems


def nominate(*, programme: Programme, members, by, today: dt.date) -> list[Nomination]:
    """TK-6, DU-11: add members to the end of the ranked list; the first up to the programme's
    capacity are nominated (with their answer due date), the rest wait."""
    members = list({m.pk: m for m in members}.values())
    if not members:
        raise ValidationError(NOBODY_CHOSEN, code="nobody_chosen")
    with transaction.atomic():
        programme = _lock(programme)
        if not policy.accepts_promotions(programme.ends_on, today):
            raise ValidationError(PROGRAMME_ENDED, code="programme_ended")
        fresh = Member.objects.select_related("file").in_bulk([m.pk for m in members])
        members = [fresh[m.pk] for m in members]
        problems = _nomination_problems(programme, members)
        if problems:
            raise ValidationError(problems, code="cannot_nominate")
        last = programme.nominations.aggregate(last=Max("rank"))["last"] or 0
        created = [Nomination.objects.create(programme=programme, file_id=m.file_id, member=m, rank=last + i,
                                             nominated_by=by) for i, m in enumerate(members, start=1)]
        fill_places(programme=programme, today=today)
    return list(Nomination.objects.filter(pk__in=[n.pk for n in created]).order_by("rank"))


def fill_places(*, programme: Programme, today: dt.date) -> list[Nomination]:
    """DU-11: nominate waiting candidates in rank order while places are free. A candidate whose
    file is no longer active, or who left the household, keeps waiting. Call with the programme locked."""
    if not policy.accepts_promotions(programme.ends_on, today):
        return []
    holding = programme.nominations.filter(status__in=policy.HOLDS_A_PLACE).count()
    free = policy.free_places(programme.capacity, holding)
    promoted = []
    waiting = programme.nominations.filter(status=Status.WAITING).select_related("file", "member").order_by("rank")
    for nomination in list(waiting) if free else ():
        if len(promoted) == free:
            break
        if nomination.file.status != policy.NOMINABLE_FILE_STATUS or not nomination.member.is_current:
            continue
        _move(nomination, Status.NOMINATED)
        nomination.nominated_on = today
        nomination.answer_due_on = policy.answer_due_on(today, programme.response_days)
        _save(nomination, "DU-11 nominated", ["status", "nominated_on", "answer_due_on"])
        _tell_nominee(nomination, programme)
        promoted.append(nomination)
    return promoted


def _tell_nominee(nomination: Nomination, programme: Programme) -> None:
    with translation.override("ar"):
        body = str(NOMINATED_SMS % {"name": nomination.member.first_name, "programme": programme.title,
                                    "starts": calendar.format_dual(programme.starts_on),
                                    "due": calendar.format_dual(nomination.answer_due_on)})
    queue_notification(channel=Notification.Channel.SMS, recipient=nomination.file.mobile, body=body,
                       about=nomination, purpose="programme-nomination",
                       dedupe_key=f"programme-nomination-{nomination.pk}")


def record_answer(*, nomination: Nomination, by, accepted: bool, today: dt.date, written_answer: str = "",
                  signed_answer=None) -> Nomination:
    """DU-11: record the nominee's written acceptance or refusal (the text, a signed scan, or
    both). A refusal without either is refused; after a refusal the next candidate is nominated."""
    written_answer = (written_answer or "").strip()
    if not accepted:
        file_services.require_refusal_in_writing(written_answer, signed_answer)
    with transaction.atomic():
        programme = _lock(nomination.programme)
        locked = Nomination.objects.select_for_update().select_related("file", "member").get(pk=nomination.pk)
        _move(locked, Status.ACCEPTED if accepted else Status.REFUSED)
        if signed_answer is not None:
            note = str(SIGNED_ANSWER_NOTE % {"programme": programme.title})[:200]
            locked.answer_document = file_services.upload_document(
                file=locked.file, by=by, uploaded=signed_answer, today=today,
                doc_type=DocumentType.OTHER if accepted else DocumentType.WRITTEN_REFUSAL,
                member=locked.member, note=note)
        locked.answered_on, locked.written_answer = today, written_answer
        _save(locked, "DU-11 written answer", ["status", "answered_on", "written_answer", "answer_document"])
        # The view tells the user who took the place (a transient attribute, not a field).
        locked.promoted = [] if accepted else fill_places(programme=programme, today=today)
    return locked


def expire_overdue_nominations(*, today: dt.date, profile: PolicyProfile | None = None) -> dict:
    """DU-11: nominees who did not answer by their due date lose the place, and the next
    candidates are nominated. Idempotent: a second run the same day changes nothing. Only where
    the association adopted the programmes section (RULES.md «Sections per profile»)."""
    profile = profile or PolicyProfile.objects.active()
    if not profile.adopts(Section.PROGRAMMES):
        logger.info("programmes: profile %s has not adopted the programmes section: no nomination expires",
                    profile.code)
        return {"expired": 0, "nominated": 0}
    overdue = Nomination.objects.filter(status=Status.NOMINATED, answer_due_on__lt=today)
    programme_ids = list(overdue.order_by("programme_id").values_list("programme_id", flat=True).distinct())
    expired = nominated = 0
    for programme_id in programme_ids:
        with transaction.atomic():
            programme = Programme.objects.select_for_update().get(pk=programme_id)
            for nomination in overdue.filter(programme=programme).select_for_update():
                _move(nomination, Status.NO_ANSWER)
                _save(nomination, "DU-11 no answer in time", ["status"])
                expired += 1
            nominated += len(fill_places(programme=programme, today=today))
    return {"expired": expired, "nominated": nominated}


# --- Sessions and attendance (DU-3, DU-6) ---------------------------------------------------


def record_session(*, programme: Programme, held_on: dt.date, topic: str = "") -> Session:
    """A meeting of the programme, on one of its days."""
    if not programme.starts_on <= held_on <= programme.ends_on:
        raise ValidationError({"held_on": SESSION_OUTSIDE_PROGRAMME})
    if programme.sessions.filter(held_on=held_on).exists():
        raise ValidationError({"held_on": SESSION_EXISTS})
    try:
        with transaction.atomic():
            return Session.objects.create(programme=programme, held_on=held_on, topic=(topic or "").strip())
    except IntegrityError as exc:
        raise ValidationError({"held_on": SESSION_EXISTS}) from exc


def session_participants(session: Session):
    """Who is on the session's sheet: those who accepted (or since completed), and those who
    dropped out after the session's day."""
    return session.programme.nominations.filter(
        Q(status__in=policy.PARTICIPANT_STATUSES) | Q(status=Status.DROPPED_OUT, dropped_out_on__gt=session.held_on)
    ).select_related("member", "file")


def record_apology(*, session: Session, nomination: Nomination, by, apology: str, apologised_on: dt.date,
                   today: dt.date) -> Attendance:
    """DU-3: record a participant's apology. Made before the session's day it excuses the
    absence; made on the day or later it is kept, but the absence stays an absence."""
    if not (apology or "").strip():
        raise ValidationError({"apology": APOLOGY_REQUIRED})
    if apologised_on > today:
        raise ValidationError({"apologised_on": DATE_IN_FUTURE})
    if nomination.programme_id != session.programme_id:
        raise ValidationError(WRONG_PROGRAMME, code="wrong_programme")
    if nomination.status not in policy.PARTICIPANT_STATUSES:
        raise ValidationError(NOT_A_PARTICIPANT, code="not_a_participant")
    with transaction.atomic():
        existing = Attendance.objects.select_for_update().filter(session=session, nomination=nomination).first()
        if existing and existing.mark == Mark.PRESENT:
            raise ValidationError(ALREADY_PRESENT, code="already_present")
        row = existing or Attendance(session=session, nomination=nomination)
        row.apology, row.apologised_on, row.recorded_by = apology.strip(), apologised_on, by
        row.mark = policy.attendance_mark(present=False, apologised_on=apologised_on, held_on=session.held_on)
        row._change_reason = "DU-3 apology"
        row.save()
    return row


def record_attendance(*, session: Session, participants, present_ids, by, today: dt.date) -> int:
    """DU-3: mark each participant on the sheet present or absent; an absence is excused only
    by an apology made before the session's day. Return how many were marked."""
    if session.held_on > today:
        raise ValidationError(SESSION_NOT_HELD, code="session_not_held")
    participants, present_ids = list(participants), set(present_ids)
    if any(n.programme_id != session.programme_id for n in participants):
        raise ValidationError(WRONG_PROGRAMME, code="wrong_programme")
    with transaction.atomic():
        existing = {a.nomination_id: a for a in Attendance.objects.select_for_update().filter(
            session=session, nomination__in=participants)}
        for nomination in participants:
            row = existing.get(nomination.pk) or Attendance(session=session, nomination=nomination)
            row.mark = policy.attendance_mark(present=nomination.pk in present_ids, apologised_on=row.apologised_on,
                                              held_on=session.held_on)
            row.recorded_by = by
            row._change_reason = "DU-3 attendance sheet"
            row.save()
    return len(participants)


def with_attendance(nominations):
    """DU-6: annotate each nomination with its present, excused and absent counts (one query);
    `attendance_rate` on each row is the percentage of recorded sessions attended."""
    rows = list(nominations.annotate(
        present=Count("attendance", filter=Q(attendance__mark=Mark.PRESENT)),
        excused=Count("attendance", filter=Q(attendance__mark=Mark.EXCUSED)),
        absent=Count("attendance", filter=Q(attendance__mark=Mark.ABSENT)),
        marked=Count("attendance"),
    ))
    for row in rows:
        row.attendance_rate = policy.attendance_rate(row.present, row.marked)
    return rows


# --- Drop-outs (DU-10) and the end of the programme (SAT-1) ---------------------------------


def record_dropout(*, nomination: Nomination, by, reasons: str, discussed: bool | None, dropped_out_on: dt.date,
                   today: dt.date) -> Nomination:
    """DU-10: a participant drops out: the reasons, and whether they talked to the association first."""
    problems = {}
    if not (reasons or "").strip():
        problems["dropout_reasons"] = REASONS_REQUIRED
    if discussed is None:
        problems["dropout_discussed"] = DISCUSSED_REQUIRED
    if dropped_out_on > today:
        problems["dropped_out_on"] = DATE_IN_FUTURE
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if locked.status != Status.ACCEPTED:
            raise ValidationError(NOT_A_PARTICIPANT, code="not_a_participant")
        _move(locked, Status.DROPPED_OUT)
        locked.dropout_reasons, locked.dropout_discussed = reasons.strip(), discussed
        locked.dropped_out_on = dropped_out_on
        _save(locked, "DU-10 dropped out", ["status", "dropout_reasons", "dropout_discussed", "dropped_out_on"])
    return locked


def complete_programme(*, programme: Programme, by, today: dt.date, now: dt.datetime) -> dict:
    """SAT-1, IN-8: from the programme's last day, those who took part complete it and each
    participant's file receives one satisfaction survey. Safe to repeat: nothing is sent twice."""
    from satisfaction.models import Service
    from satisfaction.services import send_survey

    if not policy.has_ended(programme.ends_on, today):
        raise ValidationError(NOT_ENDED, code="not_ended")
    with transaction.atomic():
        programme = _lock(programme)
        accepted = list(programme.nominations.select_for_update().filter(status=Status.ACCEPTED))
        for nomination in accepted:
            _move(nomination, Status.COMPLETED)
            _save(nomination, "programme completed", ["status"])
        completed = programme.nominations.filter(status=Status.COMPLETED).select_related("file").order_by("rank")
        first_per_file = {}
        for nomination in completed:
            first_per_file.setdefault(nomination.file_id, nomination)
        sent = [send_survey(event=n, service=Service.PROGRAMME, file=n.file, staff=programme.coordinator, now=now)
                for n in first_per_file.values()]
    return {"completed": len(accepted), "surveys": len([s for s in sent if s is not None])}
