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


# Updates ----------------------------------------------------------------------------------------------


@shared_task(
    name="engagement.update_deliver",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def update_deliver(update_id: int) -> str:
    """Send an update to its confirmed subscribers in batches. Idempotent: each address once."""
    return services.update_deliver(update_id=update_id)


@shared_task(name="engagement.board_publications_announce", acks_late=True, soft_time_limit=120, time_limit=180)
def board_publications_announce() -> int:
    """Email each board's followers the papers and minutes published today (once each)."""
    return services.board_publications_announce()


@shared_task(name="engagement.update_sweep", soft_time_limit=60, time_limit=90)
def update_sweep() -> int:
    """Re-queue updates left queued or sending too long (a lost message, a killed worker)."""
    from datetime import timedelta

    return services.update_requeue_stale(older_than=timedelta(minutes=15))
