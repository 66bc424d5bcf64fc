"""Files under MEDIA_ROOT that no record points to, removed by a daily logged job.

Every upload is written to disk inside the transaction that creates its row, and the services
remove the file again when that transaction fails (complaints/services.file_complaint, the
document and proof uploads). What they cannot catch is a process killed between the two — a
gunicorn worker past its timeout, a machine losing power — or a database that accepted the
commit while the connection dropped. Such a file belongs to nobody, holds personal data
(PDPL: keep nothing that is not needed) and is removed here once it is older than the grace
period, so an upload still in flight is never touched.

A file is «referenced» when any row, current or historical (simple-history keeps the path of
a replaced document), names it. Nothing else under MEDIA_ROOT is ever removed.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import FileField

logger = logging.getLogger("charity.orphans")

GRACE = dt.timedelta(hours=6)


@dataclass
class OrphanSweep:
    checked: int = 0
    removed: list[str] = field(default_factory=list)
    too_recent: int = 0


def referenced_files() -> set[str]:
    """The storage names of every file a row points to, in current and historical rows."""
    names: set[str] = set()
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, FileField)]
        if not columns:
            continue
        models = [model]
        if hasattr(model._meta, "simple_history_manager_attribute"):
            models.append(getattr(model, model._meta.simple_history_manager_attribute).model)
        for source in models:
            for row in source._base_manager.values_list(*columns):
                names.update(value for value in row if value)
    return names


def remove_orphan_files(*, now: dt.datetime, grace: dt.timedelta = GRACE, dry_run: bool = False) -> OrphanSweep:
    """Remove the files under MEDIA_ROOT no row names and not modified within `grace`; log each
    removal (the generated name only: names carry no personal data)."""
    root = Path(settings.MEDIA_ROOT)
    result = OrphanSweep()
    if not root.is_dir():
        return result
    referenced = referenced_files()
    cutoff = (now - grace).timestamp()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        result.checked += 1
        name = path.relative_to(root).as_posix()
        if name in referenced:
            continue
        if path.stat().st_mtime > cutoff:
            result.too_recent += 1
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        result.removed.append(name)
        logger.warning("orphan upload %s: %s", "found" if dry_run else "removed", name)
    logger.info("orphan sweep: %s files checked, %s orphans %s, %s too recent to judge", result.checked,
                len(result.removed), "found" if dry_run else "removed", result.too_recent)
    return result
