"""The annual update reaching families (DU-5): its messages delivered by the outbox."""

from beneficiaries.models import UpdateNotice
from charity.models import Notification
from charity.notifications import deliver

from .files import NOW


def tell_families(*, now=NOW, files=None) -> int:
    """Deliver the pending annual-update messages (to `files` only, when given), as the outbox
    worker would; return how many were sent. The next sweep records the notices."""
    notices = UpdateNotice.objects.filter(notification__status=Notification.Status.PENDING)
    if files is not None:
        notices = notices.filter(request__file__in=files)
    return sum(deliver(pk, now=now) for pk in notices.values_list("notification_id", flat=True))
