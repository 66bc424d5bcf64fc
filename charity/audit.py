"""The access log: every view of a sensitive record writes one row (RT-6, RT-10, CP-8), and so
does every refusal of a record outside the user's scope (outcome «denied»)."""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from .clientip import client_ip
from .models import AccessLog


class ScopeDenied(Http404):
    """The record exists but lies outside the user's scope: a 404 to them, a denied row in the log."""


def _entry(request, content_type, object_id, action: str, outcome: str) -> AccessLog:
    user = request.user if request.user.is_authenticated else None
    return AccessLog(
        user=user,
        action=action,
        outcome=outcome,
        content_type=content_type,
        object_id=str(object_id)[:64],
        path=request.path[:255],
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
        actor=str(getattr(request, "access_actor", "") or "")[:150],
    )


def log_access(request, obj, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """Record that `request.user` performed `action` on `obj`."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    entry = _entry(request, content_type, obj.pk, action, AccessLog.Outcome.GRANTED)
    entry.save()
    return entry


def log_denied(request, model, pk, action: str = AccessLog.Action.VIEW) -> AccessLog:
    """Record that `request.user` asked for record `pk` of `model` and was refused."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    entry = _entry(request, content_type, pk, action, AccessLog.Outcome.DENIED)
    entry.save()
    return entry


def get_in_scope(request, visible, pk, *, action: str | None = None, among=None):
    """Return the record `pk` of `visible`, the records `request.user` may see, logging `action`
    on it unless None.

    `among` is what `visible` narrows (default: every record of its model): a record of `among`
    outside `visible` is refused the same way as one that does not exist (404), but the refusal
    is logged, whatever the method (ScopeDenied). Any other is a plain Http404."""
    model = visible.model
    try:
        found = visible.get(pk=pk)
    except model.DoesNotExist:
        pass
    else:
        if action:
            log_access(request, found, action)
        return found
    if (among if among is not None else model._base_manager.all()).filter(pk=pk).exists():
        log_denied(request, model, pk, action or AccessLog.Action.VIEW)
        raise ScopeDenied
    raise Http404
