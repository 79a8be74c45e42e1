"""Celery tasks of engagement: the reminder two days before a call closes. Safe to run twice, or
from two beats: each reminder is claimed by a unique row before it is queued (see services)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="engagement.call_reminders_send", acks_late=True, soft_time_limit=120, time_limit=180)
def call_reminders_send() -> int:
    return services.call_reminders_send()


# Public responses (docs/adr/0041) ------------------------------------------------------------------------


@shared_task(name="engagement.public_responses_purge", acks_late=True, soft_time_limit=120, time_limit=180)
def public_responses_purge() -> int:
    """Delete public responses left unconfirmed past their seven days; safe to run twice."""
    return services.public_responses_purge()
