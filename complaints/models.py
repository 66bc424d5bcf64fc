"""Complaints and grievances: the complaint, its attachments, notices, referrals (CP-1…CP-10)."""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import BeneficiaryFile

from . import suggestions
from .policy import Kind, NoticeChannel, Ruling, Source, Status, Topic

USER = settings.AUTH_USER_MODEL


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ComplaintQuerySet":
        """CP-8: only the people concerned see a complaint; anyone else gets 404.

        The executive director sees every complaint but those against an executive director,
        which the role the profile names (the board chairman by default) sees instead; the staff
        member assigned sees theirs, the investigation committee those referred to it — and a
        member of staff the complaint names never sees it, whatever their role. The roles are
        read in subqueries: no query is added to a page."""
        from charity.models import PolicyProfile
        from charity.roles import Role

        if not user.is_authenticated or not user.is_active:
            return self.none()
        against_director = self._against_director_q()
        memberships = get_user_model().groups.through.objects.filter(user_id=user.pk)
        handler_role = Coalesce(Subquery(PolicyProfile.objects.filter(is_active=True)
                                         .values("director_complaints_role")[:1]), Value(Role.BOARD_CHAIR.value))
        takes_them = Exists(memberships.filter(group__name=handler_role))
        is_director = Exists(memberships.filter(group__name=Role.DIRECTOR.value))
        scope = Q(assigned_to=user) | (against_director & takes_them)
        if user.has_perm("complaints.view_all_complaints"):
            scope |= ~against_director
        if user.has_perm("complaints.view_referred_complaints"):
            scope |= Q(referral__isnull=False)
        # The scope's joins are one-to-one and the exclusions are subqueries: no DISTINCT needed.
        return self.filter(scope).exclude(named_staff=user).exclude(against_director & is_director)

    def _against_director_q(self) -> Q:
        from charity.roles import Role

        named = Complaint.named_staff.through.objects.filter(user__groups__name=Role.DIRECTOR.value)
        return Q(about_director=True) | Q(pk__in=named.values("complaint_id"))

    def against_director(self) -> "ComplaintQuerySet":
        """CP-8: the complaints the complainant said are about the executive director, or naming
        an executive director among the staff complained of."""
        return self.filter(self._against_director_q())

    def not_against_director(self) -> "ComplaintQuerySet":
        return self.exclude(self._against_director_q())

    def open(self):
        from .policy import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        """CP-7: still under review after the ruling due date."""
        return self.filter(status=Status.UNDER_REVIEW, due_on__lt=today)

    def due_soon(self, today):
        """CP-7: under review and due soon (policy.due_soon_window)."""
        from .policy import due_soon_window

        return self.filter(status=Status.UNDER_REVIEW, due_on__range=due_soon_window(today))


class Complaint(models.Model):
    """A grievance or complaint (CP-3: every field the policy lists)."""

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    code_hash = models.CharField(max_length=128, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPLAINT)
    topic = models.CharField(_("about"), max_length=20, choices=Topic.choices, default=Topic.SERVICE)
    source = models.CharField(_("filed through"), max_length=10, choices=Source.choices, default=Source.WEB)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    # (1) personal data
    complainant_name = models.CharField(_("full name"), max_length=200)
    # A national ID or iqama (10 digits), or a passport number where the profile accepts one (CP-3).
    national_id = models.CharField(_("national ID"), max_length=12, db_index=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # (2)…(8)
    subject = models.CharField(_("subject"), max_length=200)
    facts = models.TextField(_("the facts, in order"))
    against = models.CharField(_("the person or party complained of"), max_length=300)
    # CP-8: said by the complainant on the form, so that no executive director ever reads it.
    about_director = models.BooleanField(_("about the executive director"), default=False)
    ABOUT_DIRECTOR_NOTE = _("The complainant says it is about the executive director")
    harm = models.TextField(_("the harm"))
    reasons = models.TextField(_("the reasons"))
    steps_taken = models.TextField(_("steps already taken to solve it"), blank=True)
    remedy = models.TextField(_("the remedy requested"))
    other_info = models.TextField(_("other relevant information"), blank=True)
    incident_on = models.DateField(_("date the right arose"))
    # Filing and the window (CP-2, CP-4)
    filed_at = models.DateTimeField(_("filed at"))
    received_on = models.DateField(_("received on"), db_index=True)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    late = models.BooleanField(_("filed after the window"), default=False)
    excuse = models.TextField(_("excuse for the late filing"), blank=True)
    excuse_accepted = models.BooleanField(_("excuse accepted"), null=True)
    excuse_decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("excuse decided by"))
    excuse_decided_at = models.DateTimeField(_("excuse decided at"), null=True, blank=True)
    excuse_decision_reason = models.TextField(_("reason for the excuse decision"), blank=True)
    # CP-2, CP-7 (interpretation): the excuse decision's own deadline, stored when the review starts.
    excuse_due_on = models.DateField(_("excuse decision due on"), null=True, blank=True)
    # The ruling clock (CP-7): stored when it starts.
    clock_started_on = models.DateField(_("ruling period started on"), null=True, blank=True)
    due_on = models.DateField(_("ruling due on"), null=True, blank=True, db_index=True)
    # Examination and ruling (CP-6, CP-8)
    assigned_to = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("examined by"))
    named_staff = models.ManyToManyField(USER, blank=True, related_name="complaints_naming_me",
                                         verbose_name=_("staff members complained of"))
    ruling = models.CharField(_("ruling"), max_length=20, choices=Ruling.choices, blank=True)
    ruling_text = models.TextField(_("the ruling and its reasons"), blank=True)
    ruled_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("ruled by"))
    ruled_at = models.DateTimeField(_("ruled at"), null=True, blank=True)
    ruled_on = models.DateField(_("ruled on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = models.TextField(_("reason for closing"), blank=True)
    malicious = models.BooleanField(_("found malicious"), default=False)
    # Link to the beneficiary's file when the national ID matches an open file.
    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="complaints", verbose_name=_("beneficiary file"))
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["code_hash"], m2m_fields=[named_staff])

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["status", "due_on"])]
        permissions = [
            ("view_all_complaints", _("Can see every complaint (executive director)")),
            ("view_referred_complaints", _("Can see complaints referred to the investigation committee")),
            ("manage_complaints", _("Can accept excuses, assign, rule on and close complaints")),
            ("enter_paper_complaint", _("Can enter complaints filed on paper")),
            ("record_investigation", _("Can record the investigation committee's outcome")),
        ]

    def __str__(self):
        return self.tracking_number

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.pk])

    def is_against_director(self) -> bool:
        """CP-8: about the executive director, as the complainant said or as staff named him."""
        return Complaint.objects.against_director().filter(pk=self.pk).exists()


def attachment_path(instance, filename) -> str:
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    name = uuid.uuid4().hex
    return f"complaints/{name[:2]}/{name}.{extension}"


class Attachment(models.Model):
    """CP-3 (9): a supporting document, under the same upload rules as file documents."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments",
                                  verbose_name=_("complaint"))
    stored = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return f"{self.complaint.tracking_number}: {self.original_name}"


class Notice(models.Model):
    """CP-9: an attempt to tell the complainant the result, by any means, and its result.

    SMS and email go through the notification outbox (their delivery attempts are recorded
    there); a phone call or a visit in person is logged here by the member of staff."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="notices",
                                  verbose_name=_("complaint"))
    channel = models.CharField(_("means"), max_length=20, choices=NoticeChannel.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                           verbose_name=_("by"))
    success = models.BooleanField(_("reached the complainant"))
    note = models.TextField(_("note"), blank=True)
    notification = models.ForeignKey("charity.Notification", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("notification"))

    class Meta:
        ordering = ["complaint", "at"]
        verbose_name = _("notice to the complainant")
        verbose_name_plural = _("notices to the complainant")

    def __str__(self):
        return f"{self.complaint.tracking_number}: {self.get_channel_display()}"


class InvestigationReferral(models.Model):
    """CP-10: the executive director refers a malicious complaint's author to the
    investigation committee, with reasons; the committee records its outcome."""

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="referral",
                                     verbose_name=_("complaint"))
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by"))
    referred_at = models.DateTimeField(_("referred at"))
    reasons = models.TextField(_("reasons"))
    outcome = models.TextField(_("the committee's outcome"), blank=True)
    outcome_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("recorded by"))
    outcome_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral to the investigation committee")
        verbose_name_plural = _("referrals to the investigation committee")

    def __str__(self):
        return f"{self.complaint.tracking_number}"


class TrackingSequence(models.Model):
    """The last tracking number issued in each Hijri year."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tracking-number sequence")
        verbose_name_plural = _("tracking-number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SuggestionQuerySet":
        """DU-12: those who handle views and suggestions see them all; anyone else none (404)."""
        if not user.is_authenticated or not user.is_active or not suggestions.may_handle(user):
            return self.none()
        return self.all()

    def by_channel(self, start, end) -> list[dict]:
        """DU-12: how many were received from `start` to `end` through each channel (one query)."""
        row = self.filter(received_on__range=(start, end)).aggregate(
            **{c.value: models.Count("pk", filter=Q(channel=c)) for c in suggestions.Channel})
        return [{"channel": c, "count": row[c.value]} for c in suggestions.Channel]


class Suggestion(models.Model):
    """DU-12: a view or a suggestion («رأي أو مقترح»), by the website, by phone or in person."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    channel = models.CharField(_("received through"), max_length=10, choices=suggestions.Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=suggestions.Status.choices,
                              default=suggestions.Status.RECEIVED, db_index=True)
    text = models.TextField(_("the view or suggestion"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(_("mobile"), max_length=20, blank=True)
    national_id = models.CharField(_("identity number"), max_length=12, blank=True)
    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="suggestions", verbose_name=_("beneficiary file"))
    submitted_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(_("received on"), db_index=True)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    acknowledged_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                        verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer = models.TextField(_("the answer"), blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("view or suggestion")
        verbose_name_plural = _("views and suggestions")
        permissions = [
            ("handle_suggestions", _("Can see, acknowledge and answer views and suggestions")),
            ("enter_suggestion", _("Can enter a view or suggestion received by phone or in person")),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("complaints:suggestion_detail", args=[self.pk])


class SuggestionSequence(models.Model):
    """The last reference number of a view or suggestion issued in each Hijri year."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("suggestion-number sequence")
        verbose_name_plural = _("suggestion-number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"
