"""The dashboard's period and scopes: every figure is counted through the same scope as the
list it links to (RT-6, RT-10, CP-8), so nobody learns from a number what the list would hide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone

from beneficiaries.models import BeneficiaryFile
from charity import calendar
from complaints.models import Complaint
from satisfaction.models import Service, Survey

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class Period:
    """A date range, both ends included, over which the time series are drawn."""

    start: dt.date
    end: dt.date

    @classmethod
    def default(cls, today: dt.date) -> Period:
        """The last twelve calendar months, this one included."""
        return cls(calendar.add_months(today.replace(day=1), 1 - DEFAULT_MONTHS), today)

    @classmethod
    def month(cls, first: dt.date) -> Period:
        first = first.replace(day=1)
        return cls(first, calendar.add_days(calendar.add_months(first, 1), -1))

    def months(self) -> list[dt.date]:
        """The first day of each calendar month the period touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = calendar.add_months(month, 1)
        return months

    def datetimes(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as [start, end) aware datetimes in the project's time zone."""
        return calendar.start_of_day(self.start), calendar.start_of_day(calendar.add_days(self.end, 1))


# --- Scopes ---------------------------------------------------------------------------------


def files_for(user):
    """RT-6, RT-10: the files the user may see: the file list's own scope."""
    return BeneficiaryFile.objects.visible_to(user)


def in_visible_files(user, model, field: str = "file") -> Q:
    """The condition «the row's file is one the user may see», for `model` rows that belong to a file.

    When visible_to() leaves the files unfiltered (the user may see every file), the condition
    is only «has a file» (nothing at all for a required foreign key): the same rows, without a
    semi-join over the whole file table, and without a condition that would keep PostgreSQL
    from answering from an index."""
    files = files_for(user)
    if files.query.has_filters():
        return Q(**{f"{field}__in": files})
    return every_file(model, field)


def every_file(model, field: str = "file") -> Q:
    """The condition «the row has a file»: in_visible_files() for a user who may see every file,
    and the scope of the stored monthly figures (dashboard/monthly.py)."""
    return Q(**{f"{field}__isnull": False}) if model._meta.get_field(field).null else Q()


def sees_every_file(user) -> bool:
    """Whether visible_to() leaves the files unfiltered for `user`: the stored figures, counted
    over every file, may then stand for theirs (no query: the scope is built, not run)."""
    return not files_for(user).query.has_filters()


def complaints_for(user):
    """CP-8: the complaints the user may see: the complaints list's own scope.

    Taken through EXISTS because visible_to() is DISTINCT: grouping or reading columns of a
    DISTINCT queryset would merge rows with the same values (PostgreSQL drops a DISTINCT
    inside EXISTS and plans a semi-join)."""
    scope = Complaint.objects.visible_to(user)
    return Complaint.objects.filter(Exists(scope.filter(pk=OuterRef("pk"))))


def surveys_for(user):
    """A survey counts when the user may see its file, or, for a complaint's ruling, the complaint."""
    complaint_keys = Complaint.objects.visible_to(user).annotate(key=Cast("pk", CharField())).values("key")
    return Survey.objects.filter(
        (~Q(service=Service.COMPLAINT) & in_visible_files(user, Survey))
        | Q(service=Service.COMPLAINT, object_id__in=complaint_keys)
    )


def _month_of(value) -> dt.date:
    """TruncMonth gives a date for a DateField and an aware datetime for a DateTimeField."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value
