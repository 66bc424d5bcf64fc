"""Documents of a file and the applicant's declaration (DU-1, IN-2, IN-3)."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..policy import DocumentType
from .file import BeneficiaryFile, Member


def private_document_path(instance, filename) -> str:
    """Store under a generated name: never the uploader's name, never guessable."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    name = uuid.uuid4().hex
    return f"documents/{name[:2]}/{name}.{extension}"


class Document(models.Model):
    """An uploaded document. Served only by a permission-checking view; downloads are logged."""

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="documents",
                             verbose_name=_("file"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="documents",
                               verbose_name=_("household member"))
    doc_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    stored = models.FileField(_("file"), upload_to=private_document_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Empty: the family itself, through «my file» (DU-5).
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # A replaced document stays on file; the newer one supersedes it.
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      verbose_name=_("superseded by"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["file", "doc_type", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.get_doc_type_display()} ({self.file.number})"

    def get_absolute_url(self):
        return reverse("beneficiaries:document_download", args=[self.pk])


class Declaration(models.Model):
    """IN-3: the applicant's signed declaration that the data and documents are correct,
    with the rights-and-duties charter acknowledged — who signed, when, and which data."""

    class Method(models.TextChoices):
        SCAN = "scan", _("Signed paper, scanned")
        IN_PERSON = "in_person", _("Confirmed in person before the staff member")

    file = models.ForeignKey(BeneficiaryFile, on_delete=models.PROTECT, related_name="declarations",
                             verbose_name=_("file"))
    signed_by_name = models.CharField(_("signed by"), max_length=200)
    signed_by_id_number = models.CharField(_("identity number of the signatory"), max_length=20)
    signed_at = models.DateTimeField(_("signed at"))
    method = models.CharField(_("how it was signed"), max_length=20, choices=Method.choices)
    scan = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("signed scan"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("confirmed by"))
    data_snapshot = models.JSONField(_("the data declared"))
    snapshot_sha256 = models.CharField(max_length=64, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")

    def __str__(self):
        return f"{self.file.number} — {self.signed_by_name}"
