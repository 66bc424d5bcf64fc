"""Pluggable notifications through an outbox (RT-4, CP-9).

`queue_notification` writes a row in the caller's transaction and asks a worker to deliver
it after commit; `deliver` sends one through the configured backend and records the attempt.
A periodic task delivers anything still pending (e.g. queued while the broker was down).
"""

from .outbox import deliver, deliver_pending, queue_notification, queue_notifications

__all__ = ["deliver", "deliver_pending", "queue_notification", "queue_notifications"]
