"""Who may see a record of another app, for pages of the ground floor that point at records
(a notification is «about» a decision, a complaint, a freeze…).

Each app registers, from its `AppConfig.ready()`, how to find the records of its models that a
user may see: `register_scope(Model, visible)` with `visible(user) -> QuerySet` of that model,
the same scope its own pages use (BeneficiaryFile.objects.visible_to, CP-8's
Complaint.objects.visible_to). A record of a model nobody registered is seen by superusers only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

Visible = Callable[[object], models.QuerySet]

_scopes: dict[str, tuple[type[models.Model], Visible]] = {}


def register_scope(model: type[models.Model], visible: Visible) -> None:
    """Say how to find the records of `model` that a user may see; again replaces it."""
    _scopes[model._meta.label_lower] = (model, visible)


def is_registered(model: type[models.Model]) -> bool:
    return model._meta.label_lower in _scopes


def generic_scope(user, *, content_type_field: str = "content_type", object_id_field: str = "object_id") -> Q:
    """Return the condition on a (content type, text object id) pair that holds for the records
    `user` may see, whatever their model; nothing for a model without a registered scope."""
    from django.contrib.contenttypes.models import ContentType

    allowed = Q(pk__in=[])
    for model, visible in _scopes.values():
        ids = visible(user).order_by().annotate(_scope_id=Cast("pk", models.CharField())).values("_scope_id")
        allowed |= Q(**{content_type_field: ContentType.objects.get_for_model(model), f"{object_id_field}__in": ids})
    return allowed
