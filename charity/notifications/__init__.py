"""Pluggable notifications through an outbox (RT-4, CP-9).

`queue_notification` writes a row in the caller's transaction and asks a worker to deliver
it after commit; `deliver` sends one through the configured backend and records the attempt.
A periodic task delivers anything still pending (e.g. queued while the broker was down).
"""

from .outbox import claim, deliver, deliver_pending, queue_notification, queue_notifications
from .sealing import secret_slot

__all__ = ["claim", "deliver", "deliver_pending", "queue_notification", "queue_notifications", "secret_slot"]
