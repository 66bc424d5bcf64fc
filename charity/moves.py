"""Move models between apps without losing who may do what.

A permission belongs to a content type, and a content type to an app label. When a model
changes apps, Django would create a new content type (and new, ungranted permissions) under the
new label and leave the old ones behind. `move_content_types` renames the old rows instead, so
the permissions, and the groups and users that hold them, follow the model. Called from data
migrations with the historical `apps`; it imports no app.
"""

from __future__ import annotations


def move_content_types(apps, *, from_label: str, to_label: str, models: list[str]) -> None:
    """Rename the content types of `models` (lower-case names) from one app label to another.

    If the target content type exists already (created by a `migrate` that ran the new code
    first), its permissions and references are merged into the old row, which is kept: the
    old row is the one the groups, users and logs point at."""
    content_type_model = apps.get_model("contenttypes", "ContentType")
    for name in models:
        old = content_type_model.objects.filter(app_label=from_label, model=name).first()
        if old is None:
            continue
        new = content_type_model.objects.filter(app_label=to_label, model=name).first()
        if new is not None:
            _merge_into(apps, keep=old, drop=new)
        old.app_label = to_label
        old.save(update_fields=["app_label"])
    content_type_model.objects.clear_cache()


def _merge_into(apps, *, keep, drop) -> None:
    """Give `keep` everything that points at `drop`, then delete `drop`."""
    permission_model = apps.get_model("auth", "Permission")
    for permission in permission_model.objects.filter(content_type=drop):
        twin = permission_model.objects.filter(content_type=keep, codename=permission.codename).first()
        if twin is None:
            permission.content_type = keep
            permission.save(update_fields=["content_type"])
        else:
            _repoint(apps, permission_model, old=permission, new=twin)
            permission.delete()
    _repoint(apps, type(keep), old=drop, new=keep)
    drop.delete()


def _repoint(apps, target_model, *, old, new) -> None:
    """Point every foreign key to `target_model` that holds `old` at `new` instead.

    In a many-to-many table a row that would become a duplicate (the group already holds
    `new`) is deleted instead."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if not (field.many_to_one and field.related_model is target_model):
                continue
            rows = model._default_manager.filter(**{field.name: old})
            if model._meta.auto_created:
                other = next(f for f in model._meta.concrete_fields if f.many_to_one and f is not field)
                held = model._default_manager.filter(**{field.name: new}).values(other.attname)
                rows.filter(**{f"{other.attname}__in": held}).delete()
            rows.update(**{field.name: new})
