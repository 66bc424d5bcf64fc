"""Installation-wide models: users, the policy profile, the calendar table and the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .adoptions import SectionAdoption
from .needs_study import default_needs_study, validate_needs_study
from .outbox_models import DeliveryAttempt, Notification, NotificationQuerySet  # noqa: F401  (the outbox)
from .policy import Channel, DecidingBody, RulingClockFrom
from .roles import DIRECTOR_COMPLAINT_ROLES, PROCEDURE_EXPLAINER_ROLES, Role


class BilingualNameMixin:
    """Show `name_ar` in Arabic and `name_en` in English (falling back to Arabic)."""

    @property
    def name(self) -> str:
        if (get_language() or "ar").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ar


class User(AbstractUser):
    """A member of staff. Beneficiaries never log in."""

    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    phone = models.CharField(_("work phone"), max_length=32, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self):
        return self.get_full_name() or self.username


class Category(BilingualNameMixin, models.Model):
    """A beneficiary category (BEN-1 core groups, BEN-2 a profile's own groups)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    rule = models.CharField(_("rule"), max_length=10, default="BEN-1")

    history = HistoricalRecords()

    class Meta:
        ordering = ["rule", "id"]
        verbose_name = _("beneficiary category")
        verbose_name_plural = _("beneficiary categories")

    def __str__(self):
        return self.name


class PolicyProfileQuerySet(models.QuerySet):
    def active(self) -> "PolicyProfile":
        """Return the installation's active profile (PR); raise if none is loaded."""
        profile = self.filter(is_active=True).first()
        if profile is None:
            raise PolicyProfile.DoesNotExist(
                "No active policy profile: run `manage.py load_policy_profile general`."
            )
        return profile


class PolicyProfile(BilingualNameMixin, models.Model):
    """PR — what differs between associations: one active profile per installation."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    approval_record_ar = models.TextField(_("approval record (Arabic)"), blank=True)
    approval_record_en = models.TextField(_("approval record (English)"), blank=True)
    source_document = models.CharField(_("source document"), max_length=120, blank=True)
    deciding_body = models.CharField(_("deciding body"), max_length=20, choices=DecidingBody.choices)
    # CP-4, CP-6, CP-10: who receives the complaints and has them examined, and the committee a
    # malicious one goes to. The charter, the complaint pages and the receipts name them (000 names
    # the executive director and the investigation committee; 001–004 name no one).
    complaint_receiver_ar = models.CharField(
        _("receives and examines complaints (Arabic)"), max_length=120, default="المدير التنفيذي",
        help_text=_("As the policy names the post, with its article: «المدير التنفيذي» (CP-4, CP-6, CP-10)."),
    )
    complaint_receiver_en = models.CharField(
        _("receives and examines complaints (English)"), max_length=120, blank=True, default="the executive director",
    )
    investigation_committee_ar = models.CharField(
        _("investigation committee (Arabic)"), max_length=120, default="لجنة التحقيق",
        help_text=_("The committee a malicious complaint's author is referred to (CP-10): «لجنة التحقيق»."),
    )
    investigation_committee_en = models.CharField(
        _("investigation committee (English)"), max_length=120, blank=True, default="the investigation committee",
    )
    # IN-4: who explains an unclear procedure to the applicant: the beneficiary-services manager
    # (000, 001) or the social-research officer «مسئول البحث الاجتماعي» (002:77, 003:47, 004:76).
    procedure_explained_by = models.CharField(_("explains an unclear procedure to the applicant"), max_length=40,
                                              choices=PROCEDURE_EXPLAINER_ROLES, default=Role.MANAGER.value)
    channels = models.JSONField(_("enabled channels"), default=list, blank=True)
    categories = models.ManyToManyField(Category, verbose_name=_("beneficiary categories"), blank=True)
    # No text names a city: empty until the admin sets it on the setup checklist (charity.setup);
    # while it is empty and enforced, no application is submitted (BEN-1).
    service_area_cities = models.JSONField(_("service-area cities"), default=list, blank=True)
    service_area_enforced = models.BooleanField(_("service area enforced"), default=True)
    international_phones = models.BooleanField(_("international phone numbers allowed"), default=False)
    passport_identity = models.BooleanField(_("passport accepted as identity"), default=False)
    decision_target_days = models.PositiveSmallIntegerField(_("decision target (days)"), default=14)
    complaint_window_days = models.PositiveSmallIntegerField(_("complaint filing window (days)"), default=30)
    ruling_working_days = models.PositiveSmallIntegerField(_("complaint ruling (working days)"), default=15)
    # CP-7 (interpretation, docs/policy-profiles.md): the ruling period counts from the filing
    # date; counting from the acceptance of a late filing's excuse is the profile's choice.
    ruling_clock_from = models.CharField(_("ruling period of a late complaint counts from"), max_length=20,
                                         choices=RulingClockFrom.choices, default=RulingClockFrom.FILING)
    excuse_decision_working_days = models.PositiveSmallIntegerField(
        _("decision on a late filing's excuse (working days)"), default=5)
    # CP-6, CP-8: who takes a complaint against the executive director (he never sees it).
    director_complaints_role = models.CharField(_("takes complaints against the executive director"),
                                                max_length=40, choices=DIRECTOR_COMPLAINT_ROLES,
                                                default=Role.BOARD_CHAIR.value)
    freeze_documents_months = models.PositiveSmallIntegerField(
        _("freeze for late update documents (months)"), default=1
    )
    freeze_contact_months = models.PositiveSmallIntegerField(
        _("freeze for unreported contact change (months)"), default=3
    )
    sc10_orphans_exempt = models.BooleanField(
        _("orphans exempt from the other-association exclusion (SC-10)"), default=True
    )
    income_threshold_per_member = models.DecimalField(
        _("income threshold per household member (SAR a month)"), max_digits=10, decimal_places=2, default=1500,
    )
    # No text gives a quorum: unset until the admin sets it; while it is unset the research
    # committee decides nothing, where it is the deciding body (charity.setup).
    committee_quorum = models.PositiveSmallIntegerField(_("research-committee quorum (members present)"),
                                                        null=True, blank=True, default=None)
    # EL-9, IN-7: the needs study's maxima, weights and score bands (charity/needs_study.py).
    needs_study = models.JSONField(
        _("needs study: maxima, weights and score bands"), default=default_needs_study,
        validators=[validate_needs_study],
        help_text=_("EL-9: the maxima of the score's parts (adding up to 100), the points of each fact, and the "
                    "score bands from which each service is recommended (IN-7)."),
    )
    # EL-1…EL-8, IN-9: the eligibility checklist the association's own text supports, as item codes
    # (eligibility.policy.ItemKind) in order; empty: the general policy's checklist (000).
    verification_items = models.JSONField(
        _("eligibility checklist items"), default=list, blank=True,
        help_text=_("Item codes in order, e.g. [\"embassy_letter\", \"passport\"]; empty: the general policy's "
                    "checklist (EL-1…EL-8)."))
    address_ar = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PolicyProfileQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        verbose_name = _("policy profile")
        verbose_name_plural = _("policy profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_policy_profile"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        unknown = set(self.channels or []) - set(Channel.values)
        if unknown:
            message = _("Unknown channel codes: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            raise ValidationError({"channels": message})

    def in_language(self, field: str, language: str | None = None) -> str:
        """Return `<field>_en` in English (when filled), else `<field>_ar`."""
        english = getattr(self, f"{field}_en")
        if (language or get_language() or "ar").startswith("en") and english:
            return english
        return getattr(self, f"{field}_ar")

    @property
    def approval_record(self) -> str:
        return self.in_language("approval_record")

    @property
    def complaint_receiver(self) -> str:
        """CP-4, CP-6, CP-10: who receives the complaints, in the reader's language."""
        return self.in_language("complaint_receiver")

    @property
    def procedure_explainer(self) -> str:
        """IN-4: the role that explains an unclear procedure to the applicant, as its label."""
        return Role(self.procedure_explained_by).label

    @property
    def investigation_committee(self) -> str:
        """CP-10: the committee a malicious complaint's author is referred to."""
        return self.in_language("investigation_committee")

    def adopts(self, section: str) -> bool:
        """PR «Sections per profile»: whether the association adopted `section` (policy.Section)."""
        return section in self.adoptions()

    def adoptions(self) -> dict[str, SectionAdoption]:
        """The adopted sections and their decisions: one query per profile instance, then kept on it
        (a request or a sweep asks many times; charity.services forgets it after a change)."""
        if getattr(self, "_adoptions", None) is None:
            self._adoptions = {a.section: a for a in self.section_adoptions.all()} if self.pk else {}
        return self._adoptions

    def forget_adoptions(self) -> None:
        self._adoptions = None

    def channel_choices(self) -> list[tuple[str, str]]:
        """Return the enabled channels (CH) as form choices, in the policy's order."""
        return [(value, label) for value, label in Channel.choices if value in (self.channels or [])]


class CalendarException(models.Model):
    """An admin's correction of the working calendar (the package's Islamic dates after 2025
    are estimates): a closure day, a holiday added or moved, or a package holiday cancelled."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Association closure day")
        HOLIDAY = "holiday", _("Official holiday (added or moved here)")
        WORKING_DAY = "working_day", _("Working day (package holiday cancelled or moved away)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False,
        verbose_name=_("created by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class AccessLog(models.Model):
    """Who looked at which sensitive record, how, when and from where (RT-6, RT-10, CP-8)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOWNLOAD = "download", _("Downloaded")
        PRINT = "print", _("Printed")
        EXPORT = "export", _("Exported")
        SEARCH = "search", _("Searched")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        DENIED = "denied", _("Denied (outside the user's scope)")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # Denied: the record exists but is outside the user's scope; they got a 404 (charity.audit).
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.GRANTED)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("record type"))
    object_id = models.CharField(_("record id"), max_length=64)
    path = models.CharField(_("path"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    # Who acted when it was not a member of staff: the head of household or the family's delegate
    # in «my file» (the request's `access_actor`, set by the portal).
    actor = models.CharField(_("acting person"), max_length=150, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("access-log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["content_type", "object_id", "at"]), models.Index(fields=["outcome", "at"])]

    def __str__(self):
        denied = " (denied)" if self.outcome == self.Outcome.DENIED else ""
        who = self.user or self.actor
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.action}{denied} {self.content_type.model}#{self.object_id}"


class WorkerHeartbeat(models.Model):
    """The last time each background worker ran its heartbeat task."""

    worker = models.CharField(_("worker"), max_length=120, unique=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker} @ {self.last_seen:%Y-%m-%d %H:%M}"


from .job_models import JobRun  # noqa: E402, F401
from .staff_tool_models import StaffTool, StaffToolVersion  # noqa: E402, F401
from .wording_models import MessageWording  # noqa: E402, F401
