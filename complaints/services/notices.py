"""Telling the complainant the result (CP-9): by SMS and email through the outbox, by phone or
in person as logged by staff, and on the status page; then the satisfaction survey (SAT-1)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from charity.links import absolute_reverse
from charity.messages import render_message
from charity.notifications import queue_notification
from satisfaction.services import send_survey

from .. import errors, policy
from ..models import Complaint, Notice
from ..policy import NoticeChannel, Status
from .common import lock_complaint, set_status


def complaint_message(complaint: Complaint, purpose: str, context: dict, *, profile=None) -> str:
    """Render the catalog's message `purpose` (complaints/messages.py) for the complainant, in
    Arabic, with the tracking number and the status page's link (in `profile`'s wording; the
    active profile's when none is given)."""
    return render_message(purpose, {"tracking_number": complaint.tracking_number,
                                    "status_link": absolute_reverse("complaints_public:status"), **context},
                          profile=profile)


def _result_message(complaint: Complaint) -> str:
    with translation.override("ar"):
        ruling = str(policy.Ruling(complaint.ruling).label)
    return complaint_message(complaint, "complaint-result", {"ruling": ruling, "reasons": complaint.ruling_text})


def tell_complainant(complaint: Complaint, body: str, *, purpose: str, by, now: dt.datetime) -> list[Notice]:
    notices = []
    for channel, recipient in ((NoticeChannel.SMS, complaint.phone), (NoticeChannel.EMAIL, complaint.email)):
        notification = queue_notification(channel=channel, recipient=recipient, body=body,
                                          subject=complaint.tracking_number, about=complaint, purpose=purpose)
        if notification is not None:
            notices.append(Notice.objects.create(complaint=complaint, channel=channel, at=now, by=by,
                                                 success=True, notification=notification,
                                                 note=str(errors.NOTICE_QUEUED)))
    return notices


@transaction.atomic
def notify_result(*, complaint: Complaint, by, now: dt.datetime) -> list[Notice]:
    """CP-9: send the ruling by SMS and email (delivery attempts are recorded by the outbox);
    the status page shows it too."""
    complaint = lock_complaint(complaint)
    if complaint.status not in (Status.RULED, Status.NOTIFIED):
        raise ValidationError(errors.NOT_RULED, code="not_ruled")
    notices = tell_complainant(complaint, _result_message(complaint), purpose="complaint-result", by=by, now=now)
    if complaint.status == Status.RULED:
        set_status(complaint, Status.NOTIFIED)
    # SAT-1: how satisfied the complainant is with the handling (once per complaint).
    send_survey(event=complaint, service="complaint", file=complaint.file, staff=complaint.ruled_by, now=now,
                mobile=complaint.phone)
    return notices


@transaction.atomic
def record_notice(*, complaint: Complaint, by, channel: str, success: bool, note: str, now: dt.datetime) -> Notice:
    """CP-9: log a phone call or a visit in person, and whether it reached the complainant; only
    by those policy.may_record_notice names."""
    if not policy.may_record_notice(by, complaint):
        raise PermissionDenied
    complaint = lock_complaint(complaint)
    if complaint.status not in (Status.RULED, Status.NOTIFIED, Status.CLOSED):
        raise ValidationError(errors.NOT_RULED, code="not_ruled")
    notice = Notice.objects.create(complaint=complaint, channel=channel, at=now, by=by, success=success, note=note)
    if success and complaint.status == Status.RULED:
        set_status(complaint, Status.NOTIFIED)
    return notice


def record_status_page_view(*, complaint: Complaint, now: dt.datetime) -> None:
    """CP-9 (website): the complainant saw the result on the status page."""
    if complaint.status in (Status.RULED, Status.NOTIFIED, Status.CLOSED) and complaint.ruling:
        with transaction.atomic():
            if not complaint.notices.filter(channel=NoticeChannel.WEBSITE).exists():
                Notice.objects.create(complaint=complaint, channel=NoticeChannel.WEBSITE, at=now, success=True,
                                      note=str(errors.NOTICE_SEEN_ONLINE))
            locked = lock_complaint(complaint)
            if locked.status == Status.RULED:
                set_status(locked, Status.NOTIFIED)
