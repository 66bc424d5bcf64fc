"""«Staff tools» (RULES.md): the documents a profile's text puts at hand for the staff who deal with
beneficiaries, «الأدوات المتاحة لموظف علاقات المستفيدين للتواصل مع المستفيدين». awaser, amass and
banan name four, kafl three (003:40-43), the general text (000) none.

Loading a profile creates the documents its text names, not yet uploaded (charity.services); the
admin uploads each on the setup checklist and may replace it: every upload is kept
(StaffToolVersion), the newest is the one staff open from their home page."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def private_tool_path(instance, filename) -> str:
    """Store under a generated name, never the uploader's: the file is served by a view only."""
    name = uuid.uuid4().hex
    return f"staff-tools/{name[:2]}/{name}.{instance.extension}"


class StaffTool(models.Model):
    """One document the profile's text names among the staff tools, with the line that names it."""

    profile = models.ForeignKey("charity.PolicyProfile", on_delete=models.PROTECT, related_name="staff_tools",
                                verbose_name=_("policy profile"))
    code = models.SlugField(_("code"), max_length=40)
    name_ar = models.CharField(_("name in the text (Arabic)"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    # Where the text names it: «002:66» is line 66 of the source 002_….txt.
    source_line = models.CharField(_("named in the text at"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["profile", "position", "id"]
        verbose_name = _("staff tool")
        verbose_name_plural = _("staff tools")
        constraints = [models.UniqueConstraint(fields=["profile", "code"], name="one_staff_tool_per_profile_code")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "ar").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ar

    def current(self) -> "StaffToolVersion | None":
        """The newest upload: the one staff open (None while none was uploaded)."""
        return self.versions.order_by("-uploaded_at", "-id").first()


class StaffToolVersion(models.Model):
    """One upload of a staff tool. A replacement adds a version; none is ever deleted."""

    tool = models.ForeignKey(StaffTool, on_delete=models.PROTECT, related_name="versions",
                             verbose_name=_("staff tool"))
    stored = models.FileField(_("file"), upload_to=private_tool_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["tool", "-uploaded_at", "-id"]
        verbose_name = _("staff tool upload")
        verbose_name_plural = _("staff tool uploads")

    def __str__(self):
        return f"{self.tool} ({self.uploaded_at:%Y-%m-%d})"

    @property
    def extension(self) -> str:
        return _EXTENSIONS.get(self.content_type, "bin")
