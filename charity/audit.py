"""The access log: every view of a sensitive record writes one row (RT-6, RT-10, CP-8)."""

from django.contrib.contenttypes.models import ContentType

from .models import AccessLog


def client_ip(request) -> str | None:
    """Return the client's address (REMOTE_ADDR; the proxy sets it from X-Forwarded-For)."""
    return request.META.get("REMOTE_ADDR") or None


def log_access(request, obj, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """Record that `request.user` performed `action` on `obj`."""
    user = request.user if request.user.is_authenticated else None
    return AccessLog.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        path=request.path[:255],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
    )
