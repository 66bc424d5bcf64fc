"""The beneficiary file, its household and income."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from charity.models import Category
from charity.policy import Channel

from ..arabic import normalize_arabic
from ..policy import (
    OPEN_STATUSES,
    FileStatus,
    Gender,
    HousingType,
    IdType,
    IncomeKind,
    MaritalStatus,
    Relationship,
    SchoolStage,
)
from .querysets import BeneficiaryFileQuerySet, IncomeSourceQuerySet, MemberQuerySet


class FileNumberSequence(models.Model):
    """The last file number issued in each Hijri year (numbers read «1447-000123»)."""

    year = models.PositiveIntegerField(_("Hijri year"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("file-number sequence")
        verbose_name_plural = _("file-number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class BeneficiaryFile(models.Model):
    """ملف المستفيد — one household's file, from the first visit to its closing."""

    number = models.CharField(_("file number"), max_length=16, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=FileStatus.choices,
                              default=FileStatus.APPLICANT, db_index=True)
    # The head's identity, copied here so that the database can enforce one open file per head.
    head_id_type = models.CharField(_("identity type"), max_length=20, choices=IdType.choices,
                                    default=IdType.NATIONAL_ID)
    head_id_number = models.CharField(_("identity number of the head"), max_length=20, db_index=True)
    head_name = models.CharField(_("head of household"), max_length=200)
    head_name_search = models.CharField(max_length=200, editable=False, db_index=True)
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="files")

    # Contact (DU-4 keeps them current) and national address.
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, db_index=True)
    mobile_alt = models.CharField(_("second mobile"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    building_number = models.CharField(_("building number"), max_length=10, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    outside_service_area = models.BooleanField(_("outside the service area"), default=False)
    referred_to = models.CharField(_("referred to"), max_length=200, blank=True)

    housing_type = models.CharField(_("housing"), max_length=20, choices=HousingType.choices, blank=True)
    monthly_rent = models.DecimalField(_("monthly rent (SAR)"), max_digits=10, decimal_places=2, null=True,
                                       blank=True, validators=[MinValueValidator(Decimal("0"))])
    housing_notes = models.TextField(_("housing notes"), blank=True)
    iban = models.CharField(_("IBAN for cash aid"), max_length=24, blank=True)

    # How the case arrived (CH) and who referred it (IN-9 for awaser).
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    referring_agency = models.CharField(_("referring agency"), max_length=200, blank=True)
    embassy = models.CharField(_("embassy"), max_length=120, blank=True)
    ministry_reference = models.CharField(_("Ministry of Foreign Affairs reference"), max_length=60, blank=True)

    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due on"), null=True, blank=True, db_index=True)
    researcher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="assigned_files", verbose_name=_("social researcher"))
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    # Optimistic locking: a save based on an older version is refused, never overwrites.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = BeneficiaryFileQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[categories])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("beneficiary file")
        verbose_name_plural = _("beneficiary files")
        constraints = [
            models.UniqueConstraint(fields=["head_id_number"], condition=Q(status__in=OPEN_STATUSES),
                                    name="one_open_file_per_head"),
        ]
        indexes = [models.Index(fields=["status", "decision_due_on"]),
                   models.Index(fields=["researcher", "status"]),
                   # Counting files by category and status (dashboard) without reading the rows.
                   models.Index(fields=["id", "status"], name="file_id_status"),
                   # Applications by channel over a period (dashboard, GO-2…GO-4) from the index alone.
                   models.Index(fields=["submitted_at", "channel"], name="file_submitted_channel")]
        permissions = [
            ("view_all_files", _("Can see every beneficiary file")),
            ("view_files_under_study", _("Can see applications awaiting a decision")),
            ("register_file", _("Can register applicants and their files")),
            ("assign_researcher", _("Can assign and change social researchers")),
            ("refer_to_manager", _("Can refer an applicant's question to the manager")),
            ("answer_referral", _("Can answer questions referred to the manager")),
            ("record_change", _("Can record changes reported by the beneficiary")),
            ("announce_annual_update", _("Can announce the annual data update")),
            ("view_overdue_applications", _("Can see applications past their decision target")),
        ]

    def __str__(self):
        return f"{self.number} — {self.head_name}"

    def save(self, *args, **kwargs):
        self.head_name_search = normalize_arabic(self.head_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("beneficiaries:file_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def address_line(self) -> str:
        parts = [self.city, self.district, self.street, self.building_number, self.postal_code]
        return "، ".join(p for p in parts if p)


class Member(models.Model):
    """فرد الأسرة — the head (relationship HEAD) or a dependant."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="members",
                             verbose_name=_("file"))
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    first_name = models.CharField(_("first name"), max_length=50)
    father_name = models.CharField(_("father's name"), max_length=50)
    grandfather_name = models.CharField(_("grandfather's name"), max_length=50)
    family_name = models.CharField(_("family name"), max_length=50)
    name_search = models.CharField(max_length=210, editable=False, db_index=True)
    id_type = models.CharField(_("identity type"), max_length=20, choices=IdType.choices, default=IdType.NATIONAL_ID)
    id_number = models.CharField(_("identity number"), max_length=20, db_index=True)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    marital_status = models.CharField(_("marital status"), max_length=20, choices=MaritalStatus.choices,
                                      default=MaritalStatus.SINGLE)
    school_stage = models.CharField(_("school stage"), max_length=20, choices=SchoolStage.choices,
                                    default=SchoolStage.NONE)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    disability = models.CharField(_("disability"), max_length=200, blank=True)
    health_conditions = models.TextField(_("health conditions"), blank=True)
    # Members are never deleted: one who leaves the household or dies is marked so.
    left_household_on = models.DateField(_("left the household on"), null=True, blank=True)
    deceased_on = models.DateField(_("died on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(fields=["file", "id_number"], name="member_once_per_file"),
            models.UniqueConstraint(fields=["file"], condition=Q(relationship="head", left_household_on__isnull=True,
                                                                  deceased_on__isnull=True),
                                    name="one_current_head_per_file"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_search = normalize_arabic(self.full_name)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.father_name, self.grandfather_name, self.family_name) if p)

    @property
    def is_current(self) -> bool:
        return self.left_household_on is None and self.deceased_on is None


class IncomeSource(models.Model):
    """A monthly income of the household (EL-4 verifies it)."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="incomes",
                             verbose_name=_("file"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="incomes",
                               verbose_name=_("household member"))
    kind = models.CharField(_("income source"), max_length=20, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount (SAR)"), max_digits=10, decimal_places=2,
                                         validators=[MinValueValidator(Decimal("0"))])
    note = models.CharField(_("note"), max_length=200, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = IncomeSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("income source")
        verbose_name_plural = _("income sources")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.monthly_amount}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
