"""Background tasks of the dashboard. Thin: each fetches by id and calls one function."""

from celery import shared_task
from django.utils import timezone

from .exports import expire_exports, run_job
from .services import refresh_monthly_figures


@shared_task(name="dashboard.tasks.run_export", time_limit=30 * 60, soft_time_limit=25 * 60)
def run_export(job_id: int) -> bool:
    """Write an ExportJob's workbook, updating its progress (idempotent: a job runs once)."""
    return run_job(job_id)


@shared_task(name="dashboard.tasks.expire_exports", time_limit=600, soft_time_limit=540)
def expire_exports_task() -> int:
    """Remove workbooks older than a week (idempotent)."""
    return expire_exports(now=timezone.now())


@shared_task(name="dashboard.tasks.refresh_monthly_figures", time_limit=600, soft_time_limit=540)
def refresh_monthly_figures_task() -> int:
    """Recount the closed months' stored figures (idempotent)."""
    return refresh_monthly_figures(now=timezone.now())
