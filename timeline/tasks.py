"""Daily reminders: milestone digests to owners, publication deadlines to officers, the audit of
missed deadlines, and board members' registers of interests due for their yearly review. Safe to
run twice a day or from two beats (see reminders.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import reminders
from .interests import services as interests


@shared_task(name="timeline.reminders_send", acks_late=True, soft_time_limit=120, time_limit=180)
def reminders_send() -> dict[str, int]:
    today = timezone.localdate()
    return {
        "digests": reminders.digest_send_for_day(day=today),
        "publication_reminders": reminders.publication_reminders_send(day=today),
        "deadline_misses": reminders.deadline_misses_record(day=today),
        "register_reviews": interests.register_review_reminders_send(day=today),
    }
