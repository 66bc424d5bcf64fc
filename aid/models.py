"""Aid (TK-1…TK-5, TK-8) and the family's electronic card (DU-7).

These models began in the beneficiaries app: their tables (and history tables) keep the
`beneficiaries_` names they had, so moving them lost no row (aid/migrations/0001_initial.py)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import BeneficiaryFile, Document

USER = settings.AUTH_USER_MODEL
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class AidPurpose(models.TextChoices):
    """What aid is for; a fund's designated purposes are a subset (TK-3)."""

    MONTHLY = "monthly", _("Monthly support")
    FOOD = "food", _("Food")
    RENT = "rent", _("Rent")
    EDUCATION = "education", _("Education and school supplies")
    HEALTH = "health", _("Health and medical devices")
    HOUSING = "housing", _("Home repair and furniture")
    RELIEF = "relief", _("Disaster and crisis relief")
    SEASONAL = "seasonal", _("Seasonal (Ramadan, Eid, winter)")
    GENERAL = "general", _("General")


class Fund(models.Model):
    """TK-3: money received for designated purposes, spent only on them."""

    name = models.CharField(_("name"), max_length=200)
    purposes = models.JSONField(_("designated purposes"), default=list)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(table_name="beneficiaries_historicalfund")

    class Meta:
        db_table = "beneficiaries_fund"
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        permissions = [("manage_aid", _("Can manage funds, donations and campaigns")),
                       ("approve_aid", _("Can approve disbursements"))]

    def __str__(self):
        return self.name


class CashDonation(models.Model):
    """TK-3: a cash donation received into a fund."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="donations", verbose_name=_("fund"))
    amount = models.DecimalField(_("amount (SAR)"), max_digits=12, decimal_places=2, validators=POSITIVE)
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("receipt reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords(table_name="beneficiaries_historicalcashdonation")

    class Meta:
        db_table = "beneficiaries_cashdonation"
        ordering = ["-received_on"]
        verbose_name = _("cash donation")
        verbose_name_plural = _("cash donations")

    def __str__(self):
        return f"{self.fund}: {self.amount}"


class InKindDonation(models.Model):
    """TK-4: goods donated, given out only after the safety check passes."""

    class Check(models.TextChoices):
        PENDING = "pending", _("Awaiting the safety check")
        PASSED = "passed", _("Passed the safety check")
        FAILED = "failed", _("Failed the safety check")

    item = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, default="قطعة")
    quantity = models.PositiveIntegerField(_("quantity received"))
    donor = models.CharField(_("donor"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    safety_check = models.CharField(_("safety check"), max_length=10, choices=Check.choices, default=Check.PENDING)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_notes = models.TextField(_("notes of the check"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords(table_name="beneficiaries_historicalinkinddonation")

    class Meta:
        db_table = "beneficiaries_inkinddonation"
        ordering = ["-received_on"]
        verbose_name = _("in-kind donation")
        verbose_name_plural = _("in-kind donations")

    def __str__(self):
        return f"{self.item} × {self.quantity}"


class Campaign(models.Model):
    """TK-5: a disaster or crisis campaign that targets many files at once."""

    name = models.CharField(_("name"), max_length=200)
    reason = models.TextField(_("the disaster or crisis"))
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("fund"))
    amount_per_member = models.DecimalField(_("amount per household member (SAR)"), max_digits=10,
                                            decimal_places=2, validators=POSITIVE)
    purpose = models.CharField(_("purpose"), max_length=20, choices=AidPurpose.choices, default=AidPurpose.RELIEF)
    criteria = models.JSONField(_("which files"), default=dict)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))

    history = HistoricalRecords(table_name="beneficiaries_historicalcampaign")

    class Meta:
        db_table = "beneficiaries_campaign"
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return self.name


class Disbursement(models.Model):
    """TK-1: aid paid to an active file, in cash (to its IBAN) or in kind, approved by the manager."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        IN_KIND = "in_kind", _("In kind")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid / handed over")
        CANCELLED = "cancelled", _("Cancelled")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="disbursements",
                             verbose_name=_("file"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=AidPurpose.choices)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, null=True, blank=True, related_name="disbursements",
                             verbose_name=_("fund"))
    amount = models.DecimalField(_("amount (SAR)"), max_digits=12, decimal_places=2, default=0)
    iban = models.CharField(_("paid to IBAN"), max_length=24, blank=True)
    transfer_reference = models.CharField(_("transfer reference"), max_length=60, blank=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="disbursements", verbose_name=_("campaign"))
    household_size = models.PositiveSmallIntegerField(_("household size when proposed"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED,
                              db_index=True)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"))
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, db_index=True)
    paid_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("paid by"))
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(table_name="beneficiaries_historicaldisbursement")

    class Meta:
        db_table = "beneficiaries_disbursement"
        ordering = ["-proposed_at"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        indexes = [models.Index(fields=["status", "paid_on"]), models.Index(fields=["fund", "paid_on"]),
                   # The dashboard's aid by month and fund reads only this index.
                   models.Index(fields=["paid_on", "fund", "amount"], condition=Q(status="paid"),
                                name="paid_aid_by_month")]
        constraints = [
            models.CheckConstraint(condition=Q(kind="in_kind") | Q(amount__gt=0), name="cash_aid_has_an_amount"),
            models.UniqueConstraint(fields=["campaign", "file"], condition=Q(campaign__isnull=False),
                                    name="one_disbursement_per_campaign_and_file"),
        ]

    def __str__(self):
        return f"{self.file.number}: {self.get_kind_display()} {self.amount}"


class DisbursementItem(models.Model):
    """An item of in-kind aid, taken from a donation that passed the safety check (TK-4)."""

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="items",
                                     verbose_name=_("disbursement"))
    donation = models.ForeignKey(InKindDonation, on_delete=models.PROTECT, related_name="given",
                                 verbose_name=_("from the donation"))
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        db_table = "beneficiaries_disbursementitem"
        verbose_name = _("aid item")
        verbose_name_plural = _("aid items")

    def __str__(self):
        return f"{self.donation.item} × {self.quantity}"


class Recommendation(models.Model):
    """TK-2: a family too proud to ask, found by a researcher and recommended for aid."""

    class Status(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommended")
        CONTACTED = "contacted", _("Contacted")
        APPLIED = "applied", _("Applied (file opened)")
        DECLINED = "declined", _("Declined the help")

    family_name = models.CharField(_("family"), max_length=200)
    contact = models.CharField(_("how to reach them"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=80)
    district = models.CharField(_("district"), max_length=80, blank=True)
    situation = models.TextField(_("their situation"))
    recommended_aid = models.TextField(_("recommended aid"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECOMMENDED)
    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("file opened"))
    recommended_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("recommended by"))
    recommended_at = models.DateTimeField(_("recommended at"))
    outcome_note = models.TextField(_("outcome"), blank=True)

    history = HistoricalRecords(table_name="beneficiaries_historicalrecommendation")

    class Meta:
        db_table = "beneficiaries_recommendation"
        ordering = ["-recommended_at"]
        verbose_name = _("recommendation of a family in need")
        verbose_name_plural = _("recommendations of families in need")

    def __str__(self):
        return self.family_name


class ElectronicCard(models.Model):
    """DU-7: the electronic card handed to the family, which they must keep."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LOST = "lost", _("Reported lost")
        REPLACED = "replaced", _("Replaced")
        CANCELLED = "cancelled", _("Cancelled")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="cards", verbose_name=_("file"))
    number = models.CharField(_("card number"), max_length=30, unique=True)
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))

    history = HistoricalRecords(table_name="beneficiaries_historicalelectroniccard")

    class Meta:
        db_table = "beneficiaries_electroniccard"
        ordering = ["-issued_on"]
        verbose_name = _("electronic card")
        verbose_name_plural = _("electronic cards")
        constraints = [models.UniqueConstraint(fields=["file"], condition=Q(status="active"),
                                               name="one_active_card_per_file")]

    def __str__(self):
        return self.number


class ServiceRefusal(models.Model):
    """DU-11: the family refused aid offered to it, in writing (its words, a signed paper, or
    both); the aid is cancelled and may go to another beneficiary."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="service_refusals",
                             verbose_name=_("file"))
    disbursement = models.OneToOneField(Disbursement, on_delete=models.PROTECT, related_name="refusal",
                                        verbose_name=_("aid refused"))
    written_refusal = models.TextField(_("the written refusal"), blank=True)
    signed_refusal = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("signed refusal"))
    refused_on = models.DateField(_("refused on"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("written refusal of aid")
        verbose_name_plural = _("written refusals of aid")
        constraints = [
            models.CheckConstraint(condition=~Q(written_refusal="") | Q(signed_refusal__isnull=False),
                                   name="service_refusal_is_in_writing"),
        ]

    def __str__(self):
        return f"{self.file}: {self.disbursement}"
