"""What every beneficiary view shares: the confidentiality scope and the access log."""

from charity import calendar, errors, setup
from charity.audit import get_in_scope
from charity.models import AccessLog, PolicyProfile

from ..models import BeneficiaryFile


def visible_file(request, pk, *, action: str | None = AccessLog.Action.VIEW, queryset=None) -> BeneficiaryFile:
    """Return the file if `request.user` may see it (RT-6, RT-10), else raise 404.

    Every sensitive view goes through here, and the access is logged unless `action` is None
    (e.g. a POST whose own record is the history row); a refusal is always logged."""
    qs = queryset if queryset is not None else BeneficiaryFile.objects.all()
    return get_in_scope(request, qs.visible_to(request.user), pk, action=action, among=qs)


def active_profile() -> PolicyProfile:
    return PolicyProfile.objects.active()


def setup_warning(profile: PolicyProfile) -> str:
    """BEN-1: tell intake staff from the start that nothing can be submitted while the admin has
    not set the service area (charity.setup)."""
    return str(errors.SERVICE_AREA_NOT_SET) if setup.service_area_missing(profile) else ""


def now_and_today():
    from django.utils import timezone

    return timezone.now(), calendar.today()


__all__ = ["visible_file", "active_profile", "now_and_today"]
