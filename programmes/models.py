"""Programmes, training and activities (TK-6, DU-3, DU-6, DU-10, DU-11).

These models began in the beneficiaries app: their tables (and history tables) keep the
`beneficiaries_` names they had, so moving them lost no row (programmes/migrations/0001_initial.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import BeneficiaryFile, Document, Member

USER = settings.AUTH_USER_MODEL


class Programme(models.Model):
    """A programme, training course or activity with its capacity and dates (TK-6)."""

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("Programme")
        TRAINING = "training", _("Training")
        ACTIVITY = "activity", _("Activity")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    response_days = models.PositiveSmallIntegerField(_("days a nominee has to answer"), default=5)
    coordinator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("coordinator"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(table_name="beneficiaries_historicalprogramme")

    class Meta:
        db_table = "beneficiaries_programme"
        ordering = ["-starts_on"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [("manage_programmes", _("Can run programmes, nominations and attendance"))]

    def __str__(self):
        return self.title


class Nomination(models.Model):
    """A household member nominated for a programme, and their written answer (DU-11)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("On the waiting list")
        NOMINATED = "nominated", _("Nominated, awaiting the answer")
        ACCEPTED = "accepted", _("Accepted in writing")
        REFUSED = "refused", _("Refused in writing")
        NO_ANSWER = "no_answer", _("No answer in time")
        COMPLETED = "completed", _("Completed the programme")
        DROPPED_OUT = "dropped_out", _("Dropped out")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="nominations",
                                  verbose_name=_("programme"))
    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="nominations",
                             verbose_name=_("file"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="nominations",
                               verbose_name=_("household member"))
    rank = models.PositiveIntegerField(_("order on the list"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING,
                              db_index=True)
    nominated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("nominated by"))
    nominated_on = models.DateField(_("nominated on"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    written_answer = models.TextField(_("the written answer"), blank=True)
    answer_document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("signed answer"))
    dropout_reasons = models.TextField(_("reasons for dropping out"), blank=True)
    dropout_discussed = models.BooleanField(_("talked to the association before dropping out"), null=True)
    dropped_out_on = models.DateField(_("dropped out on"), null=True, blank=True)

    history = HistoricalRecords(table_name="beneficiaries_historicalnomination")

    class Meta:
        db_table = "beneficiaries_nomination"
        ordering = ["programme", "rank"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(fields=["programme", "member"], name="one_nomination_per_member"),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(written_answer="") | Q(answer_document__isnull=False),
                name="refusal_is_in_writing"),
        ]

    def __str__(self):
        return f"{self.programme}: {self.member}"


class Session(models.Model):
    """One meeting of a programme, for attendance."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions",
                                  verbose_name=_("programme"))
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        db_table = "beneficiaries_session"
        ordering = ["programme", "held_on"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [models.UniqueConstraint(fields=["programme", "held_on"], name="one_session_a_day")]

    def __str__(self):
        return f"{self.programme} {self.held_on:%Y-%m-%d}"


class Attendance(models.Model):
    """DU-3: present, absent, or excused by an apology made in advance."""

    class Mark(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Apologised in advance")

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance",
                                verbose_name=_("session"))
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="attendance",
                                   verbose_name=_("participant"))
    mark = models.CharField(_("attendance"), max_length=10, choices=Mark.choices)
    apology = models.TextField(_("apology"), blank=True)
    apologised_on = models.DateField(_("apologised on"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords(table_name="beneficiaries_historicalattendance")

    class Meta:
        db_table = "beneficiaries_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "nomination"], name="one_mark_per_session")]

    def __str__(self):
        return f"{self.nomination}: {self.get_mark_display()}"
