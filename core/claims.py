"""One claim mechanism for every job row (docs/adr/0036-claims-with-a-lease-and-a-heartbeat.md).

The row is the job (ADR 0003). A worker takes it with `claim`, which counts an attempt and gives the
row a fresh token and a short lease (`settings.CLAIM_LEASE_SECONDS`, renewed by `Claim.heartbeat`
every third of it while the work runs). A claim whose lease ran out belonged to a worker that stopped
(killed, out of memory, the machine gone): the next `claim` — a redelivered task, or the one `sweep`
sends — takes it over, counting a restart the status pages show. Everything the holder writes about
the outcome (`Claim.finish`, `Claim.hold`) is conditional on its token, so a worker that lost its
claim can never write its result over the new holder's.

    claimed = claims.claim(PACK_JOB, pack_id)
    if isinstance(claimed, claims.Held):  # a live worker has it, or a dead one's lease has not run out
        claims.retry_when_free(pack_render_task, pack_id, claimed)
    elif claimed is not None:
        with claimed.heartbeat():
            work(check=claimed.check)  # raises ClaimLost once a renewal found the claim gone
        claimed.finish(status="ready", ...)
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from .queue import BROKER_ERRORS

logger = logging.getLogger(__name__)


class Claimed(models.Model):
    """The columns a claimed job row needs (each job model inherits them)."""

    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(
        null=True, blank=True, editable=False, help_text="Who holds the job now; only its holder may finish it."
    )
    restarts = models.PositiveSmallIntegerField(
        default=0, help_text="Times a worker stopped mid-job and another took the job over."
    )

    class Meta:
        abstract = True


class ClaimLost(Exception):
    """The lease ran out and another worker took the job over: stop, and write nothing."""


@dataclass(frozen=True)
class Job:
    """How one kind of job row is claimed: its statuses, where its error and finish time go."""

    model: type[Claimed]
    waiting: str  # queued, ready to be claimed
    working: str  # held by a worker
    failed: str
    error_field: str
    queued_field: str  # when a waiting row was queued (for the sweep's "message lost")
    gave_up: str  # the error a person reads when every attempt stopped without finishing
    max_attempts: int = 3
    finished_field: str | None = None
    on_claim: Mapping[str, Any] = field(default_factory=dict)  # reset at each attempt (progress=0)


@dataclass(frozen=True)
class Held:
    """Another claim's lease is live: try again in `retry_in` seconds, when it will have run out
    unless its worker is still renewing it."""

    retry_in: int


def _rows(job: Job) -> models.QuerySet[Any]:
    """The job model's rows, typed loosely: every job model has its own `status` field."""
    return job.model._default_manager.all()


def lease() -> timedelta:
    return timedelta(seconds=settings.CLAIM_LEASE_SECONDS)


def _give_up(job: Job, rows: models.QuerySet[Any]) -> int:
    fields: dict[str, Any] = {"status": job.failed, job.error_field: job.gave_up, "claim_token": None}
    if job.finished_field:
        fields[job.finished_field] = timezone.now()
    return rows.update(**fields)


def claim(job: Job, pk: int) -> Claim | Held | None:
    """Take job `pk` for one attempt: a Claim; Held when a live lease holds it; None when it is not
    there to take (done, failed, gone, or out of attempts — then it is failed now, with `gave_up`)."""
    now = timezone.now()
    model = job.model
    with transaction.atomic():
        row = _rows(job).select_for_update().filter(pk=pk).values("status", "attempts", "claimed_at").first()
        if row is None:
            return None
        taking_over = row["status"] == job.working
        if taking_over and row["claimed_at"] is not None and row["claimed_at"] >= now - lease():
            expires = row["claimed_at"] + lease()
            return Held(retry_in=max(1, int((expires - now).total_seconds()) + 1))
        if row["status"] not in (job.waiting, job.working):
            return None
        if row["attempts"] >= job.max_attempts:
            _give_up(job, _rows(job).filter(pk=pk))
            return None
        token = uuid.uuid4()
        _rows(job).filter(pk=pk).update(
            status=job.working,
            attempts=F("attempts") + 1,
            claimed_at=now,
            claim_token=token,
            restarts=F("restarts") + 1 if taking_over else F("restarts"),
            **job.on_claim,
        )
    if taking_over:
        logger.warning("%s %s: its worker stopped; taken over (attempt %s)", model.__name__, pk, row["attempts"] + 1)
    return Claim(job=job, pk=pk, token=token, attempt=row["attempts"] + 1, restarted=taking_over)


@dataclass
class Claim:
    """One attempt's hold on a job row."""

    job: Job
    pk: int
    token: uuid.UUID
    attempt: int
    restarted: bool
    _lost: threading.Event = field(default_factory=threading.Event, repr=False)

    def _mine(self) -> models.QuerySet[Any]:
        return _rows(self.job).filter(pk=self.pk, claim_token=self.token, status=self.job.working)

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def renew(self) -> bool:
        """Extend the lease from now; False (and the claim marked lost) when it is no longer ours."""
        if self.lost:
            return False
        if not self._mine().update(claimed_at=timezone.now()):
            self._lost.set()
        return not self.lost

    def check(self, *_: object) -> None:
        """Raise ClaimLost if a renewal found the claim gone (call it at the work's progress points)."""
        if self.lost:
            raise ClaimLost(f"{self.job.model.__name__} {self.pk}: attempt {self.attempt} lost its claim.")

    def hold(self) -> None:
        """Inside a transaction: lock the row while it is ours, so what the transaction writes commits
        only under this claim; raises ClaimLost (rolling it back) when it is not."""
        if not self._mine().select_for_update().exists():
            self._lost.set()
        self.check()

    def finish(self, **fields: Any) -> bool:
        """Write the outcome (a final status, or back to waiting for a retry) and let the job go, only
        if the claim is still ours. False when it was lost: the new holder's outcome stands."""
        if not self._mine().update(claim_token=None, **fields):
            self._lost.set()
        return not self.lost

    @contextmanager
    def heartbeat(self) -> Iterator[Claim]:
        """Renew the lease every third of it from a background thread while the block runs; a renewal
        that finds the claim gone marks it lost (`check` then raises). Inside a transaction (a test's,
        say) the claim is not yet visible to any other connection, the thread's included, so no other
        worker can take it over and there is nothing to renew: no thread then."""
        if connection.in_atomic_block:
            yield self
            return
        stop = threading.Event()
        interval = settings.CLAIM_LEASE_SECONDS / 3

        def beat() -> None:
            try:
                while not stop.wait(interval):
                    try:
                        if not self.renew():
                            logger.warning("%s %s: claim lost", self.job.model.__name__, self.pk)
                            return
                    except DatabaseError:  # the lease may run out; the next beat tries again
                        logger.exception("%s %s: lease not renewed", self.job.model.__name__, self.pk)
            finally:
                connections.close_all()  # this thread's own connections

        thread = threading.Thread(target=beat, name=f"claim-{self.job.model.__name__}-{self.pk}", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            stop.set()
            thread.join()


def retry_when_free(task: Any, pk: int, held: Held) -> None:
    """Send `task` for job `pk` again once the live lease that held it has run out (a redelivered
    task whose worker stopped takes the job over then). Not in-process (eager) runs: nothing there
    can be waiting for a lease."""
    if task.app.conf.task_always_eager:
        return
    # To the queue this task came from (as Celery's own retry does), when it runs in a worker.
    queue = (getattr(task.request, "delivery_info", None) or {}).get("routing_key")
    try:
        task.apply_async((pk,), countdown=held.retry_in, **({"queue": queue} if queue else {}))
    except BROKER_ERRORS as error:  # the lease runs out all the same, and the sweep takes the job over
        logger.warning("%s %s not sent again (%s); the sweep will take it over", task.name, pk, error)


def sweep(job: Job, *, queued_before: timedelta, enqueue: Callable[[int], object]) -> int:
    """Send again the jobs nobody is working on: waiting longer than `queued_before` (a message lost),
    or held by a lease that ran out (a worker that stopped; the claim its task makes takes it over).
    Those that used their attempts are failed instead. Returns how many were sent."""
    now = timezone.now()
    cutoff = now - queued_before
    lost_message = (
        Q(status=job.waiting)
        & Q(**{f"{job.queued_field}__lt": cutoff})
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff))
    )
    stopped_worker = Q(status=job.working) & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
    stale = _rows(job).filter(lost_message | stopped_worker)
    _give_up(job, stale.filter(attempts__gte=job.max_attempts))
    ids = list(stale.values_list("pk", flat=True))
    for pk in ids:
        enqueue(pk)
    return len(ids)
