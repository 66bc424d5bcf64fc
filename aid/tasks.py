"""Background work of aid. Thin: each task fetches by id and calls a service."""

import datetime as dt
import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)

SURVEY_RETRIES = 5


@shared_task(name="aid.tasks.send_payment_survey", bind=True, acks_late=True, max_retries=SURVEY_RETRIES,
             time_limit=120, soft_time_limit=100)
def send_payment_survey(self, disbursement_id: int, now: str) -> int | None:
    """SAT-1: send the survey of a payment, enqueued by pay_disbursement after its commit.

    A failure is logged with its traceback and retried later (backing off: 1, 2, 4, 8, 16
    minutes); the last failure is raised, so it is never lost. Idempotent (one survey per
    payment), so a redelivered message is harmless. Return the survey's id, or None when the
    family already has it or has no mobile."""
    try:
        survey = services.send_payment_survey(disbursement_id=disbursement_id, now=dt.datetime.fromisoformat(now))
    except Exception as exc:
        logger.exception("SAT-1: the survey of disbursement %s failed (attempt %s of %s)", disbursement_id,
                         self.request.retries + 1, SURVEY_RETRIES + 1)
        raise self.retry(exc=exc, countdown=60 * 2 ** self.request.retries) from exc
    return survey.pk if survey else None
