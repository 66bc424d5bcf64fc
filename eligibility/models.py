"""Verification, field visits, needs assessment, decisions, freezes, exclusions, certificates."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import BeneficiaryFile, Document, Member, UpdateRequest

from .handovers import CertificateHandover, HandoverMethod  # noqa: F401  (SC-2, a model of this app)
from .policy import DeathOutcome, DocumentKind, ItemKind, Outcome, Vote
from .querysets import FreezeQuerySet

USER = settings.AUTH_USER_MODEL


class VerificationItem(models.Model):
    """One line of a file's verification checklist (EL-1…EL-8)."""

    class Status(models.TextChoices):
        REQUIRED = "required", _("Required")
        RECEIVED = "received", _("Received, awaiting verification")
        VERIFIED = "verified", _("Verified")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="verification_items",
                             verbose_name=_("file"))
    kind = models.CharField(_("item"), max_length=30, choices=ItemKind.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("household member"))
    rule = models.CharField(_("rule"), max_length=10)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUIRED)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("document"))
    note = models.TextField(_("note"), blank=True)
    verified_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("verified by"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "id"]
        verbose_name = _("verification item")
        verbose_name_plural = _("verification checklist")
        constraints = [
            models.UniqueConstraint(fields=["file", "kind", "member"], condition=Q(member__isnull=False),
                                    name="one_item_per_kind_member"),
            models.UniqueConstraint(fields=["file", "kind"], condition=Q(member__isnull=True),
                                    name="one_item_per_kind_for_the_file"),
        ]
        permissions = [("verify_eligibility", _("Can verify eligibility, visit homes and assess needs"))]

    def __str__(self):
        return f"{self.file.number}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ITEM_STATUSES


# An item still to be done: nothing received yet, or received and not verified.
OPEN_ITEM_STATUSES = (VerificationItem.Status.REQUIRED, VerificationItem.Status.RECEIVED)


class Witness(models.Model):
    """EL-3: a witness who knows an abandoned woman's social and financial situation."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="witnesses",
                             verbose_name=_("file"))
    name = models.CharField(_("name"), max_length=200)
    national_id = models.CharField(_("identity number"), max_length=10)
    phone = models.CharField(_("phone"), max_length=20)
    statement = models.TextField(_("statement"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "id"]
        verbose_name = _("witness")
        verbose_name_plural = _("witnesses")
        constraints = [models.UniqueConstraint(fields=["file", "national_id"], name="witness_once_per_file")]

    def __str__(self):
        return self.name


class FieldVisit(models.Model):
    """EL-2: a visit to the applicant's home by the researcher, and its report."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        COMPLETED = "completed", _("Completed")
        NOBODY_HOME = "nobody_home", _("Nobody home")
        CANCELLED = "cancelled", _("Cancelled")

    class HousingState(models.TextChoices):
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")

    class Recommendation(models.TextChoices):
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")
        MORE_STUDY = "more_study", _("Needs more study")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="field_visits",
                             verbose_name=_("file"))
    researcher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("researcher"))
    scheduled_for = models.DateField(_("visit date"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    housing_type = models.CharField(_("housing type"), max_length=20, blank=True)
    housing_state = models.CharField(_("state of the housing"), max_length=10, choices=HousingState.choices,
                                     blank=True)
    furniture = models.TextField(_("furniture"), blank=True)
    observations = models.TextField(_("observations"), blank=True)
    present = models.CharField(_("who was present"), max_length=300, blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Recommendation.choices,
                                      blank=True)
    photos = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("photos"))
    rescheduled_to = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="rescheduled_from", verbose_name=_("new visit"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("scheduled by"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "-scheduled_for"]
        verbose_name = _("field visit")
        verbose_name_plural = _("field visits")

    def __str__(self):
        return f"{self.file.number} {self.scheduled_for:%Y-%m-%d}"


class NeedsAssessment(models.Model):
    """EL-8, EL-9, IN-7: the needs study on the approved form, with its score's breakdown."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="needs_assessments",
                             verbose_name=_("file"))
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"))
    household_size = models.PositiveSmallIntegerField(_("household size"))
    dependants = models.PositiveSmallIntegerField(_("dependants"))
    monthly_income = models.DecimalField(_("household income (SAR a month)"), max_digits=12, decimal_places=2)
    income_per_member = models.DecimalField(_("income per member"), max_digits=12, decimal_places=2)
    threshold = models.DecimalField(_("threshold per member"), max_digits=10, decimal_places=2)
    housing_poor = models.BooleanField(_("housing in poor state"), default=False)
    health_cases = models.PositiveSmallIntegerField(_("members with health needs"), default=0)
    breakdown = models.JSONField(_("score breakdown"))
    score = models.PositiveSmallIntegerField(_("need score"))
    recommended_services = models.JSONField(_("recommended services"), default=list)
    # EL-9: the profile's settings when the score was computed (maxima, weights, score bands):
    # a later change of the profile rewrites no old score, and the printed form shows them.
    weights = models.JSONField(_("weights used"), default=dict, editable=False)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "-assessed_at"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self):
        return f"{self.file.number}: {self.score}"


class Decision(models.Model):
    """The deciding body's decision on an application (PR, RT-4, RT-5)."""

    file = models.OneToOneField(BeneficiaryFile, on_delete=models.PROTECT, related_name="decision",
                                verbose_name=_("file"))
    body = models.CharField(_("deciding body"), max_length=20)
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    decided_at = models.DateTimeField(_("decided at"))
    family_participant = models.CharField(_("family member who took part"), max_length=200, blank=True)
    family_participant_relationship = models.CharField(_("their relationship"), max_length=60, blank=True)
    ministry_reference = models.CharField(_("reply reference to the Ministry"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        permissions = [
            ("decide_application", _("Can decide applications for the association (manager)")),
            ("vote_in_committee", _("Can record research-committee decisions")),
            ("apply_service_controls", _("Can freeze, exclude, lift freezes and record deaths")),
        ]

    def __str__(self):
        return f"{self.file.number}: {self.get_outcome_display()}"


class CommitteeVote(models.Model):
    """A research-committee member present at the decision, and their vote."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="votes",
                                 verbose_name=_("decision"))
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("member"))
    vote = models.CharField(_("vote"), max_length=10, choices=Vote.choices)

    class Meta:
        verbose_name = _("committee vote")
        verbose_name_plural = _("committee votes")
        constraints = [models.UniqueConstraint(fields=["decision", "member"], name="one_vote_per_member")]

    def __str__(self):
        return f"{self.member}: {self.get_vote_display()}"


class Freeze(models.Model):
    """SC-6, SC-12: a file frozen for the profile's period; lifted if answered, else excluded."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Frozen")
        LIFTED = "lifted", _("Lifted: the beneficiary responded")
        EXCLUDED = "excluded", _("Ended in exclusion")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="freezes",
                             verbose_name=_("file"))
    rule = models.CharField(_("rule"), max_length=10)
    started_on = models.DateField(_("started on"))
    ends_on = models.DateField(_("ends on"), db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    update_request = models.ForeignKey(UpdateRequest, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="freezes", verbose_name=_("update request"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN,
                               db_index=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("frozen by"))
    created_at = models.DateTimeField(_("frozen at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("ended by"))
    end_note = models.TextField(_("note on ending"), blank=True)
    # SC-6: documents handed in during the freeze that do not complete the request: the file waits
    # for staff review and is never excluded "without response".
    responded_at = models.DateTimeField(_("response received at"), null=True, blank=True)
    # The last review that found a response incomplete: the family was told what is still missing,
    # and only documents handed in after it are a new response.
    reviewed_at = models.DateTimeField(_("response reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("response reviewed by"))
    review_note = models.TextField(_("review reasons"), blank=True)

    history = HistoricalRecords()
    objects = FreezeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("freeze")
        verbose_name_plural = _("freezes")
        constraints = [models.UniqueConstraint(fields=["file"], condition=Q(outcome="open"),
                                               name="one_open_freeze_per_file")]
        indexes = [models.Index(fields=["outcome", "ends_on"])]

    def __str__(self):
        return f"{self.file.number} {self.rule} → {self.ends_on:%Y-%m-%d}"

    @property
    def awaiting_review(self) -> bool:
        return self.outcome == self.Outcome.OPEN and self.responded_at is not None


class Exclusion(models.Model):
    """An exclusion under one of the rules: rule, proof, who decided, when (SC-2…SC-12).

    One per file, enforced by the database: a rerun or a parallel sweep can never exclude twice."""

    file = models.OneToOneField(BeneficiaryFile, on_delete=models.PROTECT, related_name="exclusion",
                                verbose_name=_("file"))
    rule = models.CharField(_("rule"), max_length=10)
    proof_document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("proof document"))
    proof_note = models.TextField(_("proof"), blank=True)
    referred_to_authorities = models.CharField(_("referred to the authorities"), max_length=200, blank=True)
    freeze = models.OneToOneField(Freeze, on_delete=models.PROTECT, null=True, blank=True, related_name="exclusion",
                                  verbose_name=_("after the freeze"))
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"))
    decided_on = models.DateField(_("decision date"), db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")

    def __str__(self):
        return f"{self.file.number} {self.rule}"


class DeathRecord(models.Model):
    """SC-7: the death of the head of household and what became of the file."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="deaths",
                             verbose_name=_("file"))
    deceased = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("deceased"))
    died_on = models.DateField(_("date of death"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=DeathOutcome.choices)
    new_head = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("new head of household"))
    # SC-7: a new head under policy.ADULT_AGE has a guardian, who may live outside the household.
    guardian_name = models.CharField(_("guardian's name"), max_length=200, blank=True)
    guardian_relationship = models.CharField(_("guardian's relationship to the new head"), max_length=100,
                                             blank=True)
    guardian_id_number = models.CharField(_("guardian's identity number"), max_length=20, blank=True)
    proof_document = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("death certificate"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("death record")
        verbose_name_plural = _("death records")

    def __str__(self):
        return f"{self.file.number}: {self.get_outcome_display()}"


class Certificate(models.Model):
    """The exclusion certificate (SC-2, مشهد) or exclusion decision, rendered once and stored
    with its hash; a public page verifies its code without showing personal data."""

    exclusion = models.OneToOneField(Exclusion, on_delete=models.PROTECT, related_name="certificate",
                                     verbose_name=_("exclusion"))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    serial = models.CharField(_("serial number"), max_length=20, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_title = models.CharField(_("signatory's title"), max_length=120)
    # The issuing association as it was at issue time: the verify page names it, whatever
    # profile is active later (a fresh installation, a renamed association).
    issuer_name = models.CharField(_("issuing association"), max_length=200, blank=True)
    issuer_name_en = models.CharField(_("issuing association (English)"), max_length=200, blank=True)
    issuer_licence = models.CharField(_("issuer's licence number"), max_length=60, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.serial

    @property
    def issuer(self) -> str:
        """The issuing association's name in the current language (Arabic when no English)."""
        if (get_language() or "ar").startswith("en") and self.issuer_name_en:
            return self.issuer_name_en
        return self.issuer_name


class CertificateSequence(models.Model):
    """The last certificate serial of each Hijri year."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("certificate sequence")
        verbose_name_plural = _("certificate sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"
