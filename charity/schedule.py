"""Every periodic job, in one place (imported by charity/settings.py as CELERY_BEAT_SCHEDULE).
Times are Asia/Riyadh (CELERY_TIMEZONE)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # Lets staff and admins see that the background worker is alive (home page, admin).
    "worker-heartbeat": {"task": "charity.tasks.record_heartbeat", "schedule": 300.0},
    # Delivers notifications still in the outbox: queued while the broker was down, or retrying.
    "deliver-pending-notifications": {"task": "charity.tasks.deliver_pending_notifications", "schedule": 60.0},
    # A sweep whose worker died is resumed at once and reported, not left to the broker's
    # one-hour redelivery (charity/jobs.py).
    "resume-stalled-jobs": {"task": "charity.tasks.resume_stalled_jobs", "schedule": 300.0},
    # SC-6, SC-12: lapsed freezes become exclusions, late annual updates become freezes.
    # Daily at 01:00 Riyadh, when nobody is working on the files.
    "enforce-deadlines": {"task": "eligibility.tasks.enforce_deadlines", "schedule": crontab(hour=1, minute=0)},
    # CP-7: reminders at 5 and 2 working days left, escalation when overdue. Twice a day, so a
    # missed run is made up; each message is sent once (dedupe keys).
    "complaint-reminders": {"task": "complaints.tasks.send_deadline_reminders",
                            "schedule": crontab(hour="7,13", minute=0)},
    # DU-11: nominees without an answer by their due date lose the place to the next candidate.
    "expire-nominations": {"task": "programmes.expire_nominations",
                           "schedule": crontab(hour=1, minute=30)},
    # PDPL: anonymise what the retention policy no longer needs (privacy/policy.py). Monthly, on
    # the 1st at 02:30 Riyadh; idempotent, so a missed or repeated run is harmless.
    "apply-retention": {"task": "privacy.tasks.apply_retention",
                        "schedule": crontab(day_of_month=1, hour=2, minute=30)},
    # Exported workbooks hold personal data: delete them after a week (the job record stays).
    "expire-exports": {"task": "dashboard.tasks.expire_exports", "schedule": crontab(hour=2, minute=45)},
    # The dashboard's stored monthly figures (aid paid by month and fund) of the closed months:
    # recounted every 10 minutes, so a payment dated in a past month shows within 10 minutes; the
    # current month is always counted live (dashboard/monthly.py). Idempotent.
    "refresh-monthly-figures": {"task": "dashboard.tasks.refresh_monthly_figures", "schedule": 600.0},
    # Upload files whose transaction never committed (a worker killed mid-request): charity/orphans.py.
    "remove-orphan-uploads": {"task": "charity.tasks.remove_orphan_uploads", "schedule": crontab(hour=3, minute=15)},
    # The executive director's morning digest of open complaints.
    "complaint-digest": {"task": "complaints.tasks.send_daily_digest", "schedule": crontab(hour=7, minute=30)},
}
