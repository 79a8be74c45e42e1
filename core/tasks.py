"""Celery tasks of core: sending queued emails, and the sweep that re-queues stuck ones."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task

from . import services


@shared_task(
    name="core.email_send",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def email_send(email_id: int) -> str:
    """Send one queued email. Idempotent: a re-run of a sent email does nothing."""
    return services.email_deliver(email_id=email_id)


@shared_task(name="core.email_sweep", soft_time_limit=60, time_limit=90)
def email_sweep() -> int:
    """Re-queue emails left queued or sending for too long (a lost message, a killed worker)."""
    return services.email_requeue_stale(older_than=timedelta(minutes=10))
