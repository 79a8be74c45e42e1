"""Celery tasks of documents: rendering a pack, the sweep that re-queues stuck ones, and the purge
of the public's unconfirmed review comments.

Time limits: a 100-page pack renders in about 10 s here, so five minutes is ample, and below the
Redis visibility timeout (3600 s). A live render keeps its claim by a heartbeat (core.claims), so
the time limit and the claim's lease are independent; a stopped worker's render is taken over once
its 30-second lease runs out."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    name="documents.pack_render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
)
def pack_render(pack_id: int) -> str:
    """Render one pack. Idempotent: a pack that is ready, failed or taken by a live worker is left alone.
    A failed attempt re-queues itself (services.packs._render_failed) until the third."""
    return services.pack_render(pack_id=pack_id)


@shared_task(name="documents.pack_sweep", soft_time_limit=60, time_limit=90)
def pack_sweep() -> int:
    """Re-queue packs left queued or rendering too long (a lost message, a killed worker)."""
    return services.pack_sweep()


@shared_task(name="documents.review_comments_purge", acks_late=True, soft_time_limit=120, time_limit=180)
def review_comments_purge() -> int:
    """Delete comments from the public left unconfirmed past their seven days; safe to run twice."""
    return services.review_comments_purge()
