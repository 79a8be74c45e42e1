"""Sending tasks to the broker without ever failing the request that asked for them.

The row is the job (ADR 0003): an `Email`, a `Pack`, an `Update`, an `ImportJob` is saved queued
before its task is sent, and each has a sweep that sends again what was left queued too long. So
when the broker (Redis) cannot be reached, the message is merely late: `enqueue` logs a warning and
returns, the row stays queued, and the sweep sends it once the broker and the worker are back. A
view that must tell the person what happened wraps its service call in `watch()` and reads how many
tasks the broker did not take.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import redis.exceptions
from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is down: kombu wraps socket errors in OperationalError;
# the Redis client's own errors can surface from the transport as they are.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


@dataclass
class Unsent:
    """How many tasks the broker did not take while it was watched."""

    count: int = 0


_watching: ContextVar[tuple[Unsent, ...]] = ContextVar("core_queue_watching", default=())


@contextmanager
def watch() -> Iterator[Unsent]:
    """Count the tasks the broker refuses inside the block (on-commit ones included, when the block
    holds the transaction), so the page can say the work is saved and waiting."""
    unsent = Unsent()
    token = _watching.set((*_watching.get(), unsent))
    try:
        yield unsent
    finally:
        _watching.reset(token)


def _send(task: Task[Any, Any], args: tuple[Any, ...], countdown: float) -> None:
    if countdown:
        task.apply_async(args, countdown=countdown)
    else:
        task.delay(*args)


def enqueue(task: Task[Any, Any], *args: Any, countdown: float = 0) -> bool:
    """Send `task(*args)` now. False, with a warning logged, when the broker cannot be reached; the
    caller's row stays queued for its sweep. With `task_always_eager` (the demo, most tests) the task
    runs here, and its own errors are not hidden."""
    if task.app.conf.task_always_eager:
        _send(task, args, countdown)
        return True
    try:
        _send(task, args, countdown)
    except BROKER_ERRORS as error:
        logger.warning(
            "The broker did not take %s%r (%s: %s); the row stays queued and the sweep will send it.",
            task.name,
            args,
            type(error).__name__,
            error,
        )
        for unsent in _watching.get():
            unsent.count += 1
        return False
    return True


def enqueue_on_commit(task: Task[Any, Any], *args: Any, countdown: float = 0) -> None:
    """`enqueue` once the surrounding transaction commits (at once outside one), so a worker never
    looks for a row that is not there yet."""
    transaction.on_commit(lambda: enqueue(task, *args, countdown=countdown))
