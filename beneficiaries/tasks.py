"""Celery finds an app's tasks in <app>/tasks.py: the programmes' daily job lives with them."""

from .programmes.tasks import expire_nominations_task

__all__ = ["expire_nominations_task"]
