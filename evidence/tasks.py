"""Imports run on Celery workers; the ImportJob row is the job's truth (services.import_job_run)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="evidence.import_run",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=600,
    time_limit=660,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=2,
)
def import_run(job_id: int) -> str:
    return services.import_job_run(job_id=job_id)


@shared_task(name="evidence.import_sweep", acks_late=True, soft_time_limit=60, time_limit=90)
def import_sweep() -> int:
    """Re-queue imports left queued or running past the longest an import takes (the hard limit)."""
    return services.import_job_requeue_stale(older_than=timedelta(minutes=15))
