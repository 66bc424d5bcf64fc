"""Query sets of eligibility's models, kept apart so models.py stays a list of tables."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from beneficiaries.models import Document
from charity import calendar

from .policy import FREEZE_SOON_DAYS, NOT_A_RESPONSE

OPEN = "open"  # Freeze.Outcome.OPEN


def _documents_since_frozen():
    """A document the family handed in since the freeze started (the sweep runs at night: in
    doubt, in the family's favour) or, once staff found a response incomplete, since that review."""
    family_documents = Document.objects.filter(file=OuterRef("file")).exclude(doc_type__in=NOT_A_RESPONSE)
    since_start = Exists(family_documents.filter(uploaded_at__date__gte=OuterRef("started_on")))
    since_review = Exists(family_documents.filter(uploaded_at__gt=OuterRef("reviewed_at")))
    return (Q(reviewed_at__isnull=True) & since_start) | (Q(reviewed_at__isnull=False) & since_review)


class FreezeQuerySet(models.QuerySet):
    def lapsed(self, today):
        """SC-6, SC-12: open freezes unanswered by their end date: each becomes an exclusion
        the day after it ends. An SC-6 freeze answered with documents is never one, whether or
        not its response was recorded (responded_at) or staff pressed a button."""
        return (self.filter(outcome=OPEN, ends_on__lt=today, responded_at__isnull=True)
                .exclude(Q(rule="SC-6") & _documents_since_frozen()))

    def answered_unrecorded(self):
        """SC-6: open freezes whose family handed in documents since the freeze, not yet recorded
        as a response (an upload that bypassed the signal: the sweep records it)."""
        return self.filter(outcome=OPEN, rule="SC-6", responded_at__isnull=True).filter(
            _documents_since_frozen())

    def awaiting_review(self):
        """SC-6: open freezes answered with documents that do not yet complete what was required."""
        return self.filter(outcome=OPEN, responded_at__isnull=False)

    def ending_soon(self, today):
        """Open freezes ending within policy.FREEZE_SOON_DAYS days (the list's «soon», the
        dashboard's figure and its export)."""
        return self.filter(outcome=OPEN, ends_on__lte=calendar.add_days(today, FREEZE_SOON_DAYS))
