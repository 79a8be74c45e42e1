"""Redis unreachable (issue 13, item 3): the web process's broker and cache point at a closed port.
Submitting a priority and subscribing to updates answer as usual, not 500; the records are saved,
the emails wait in the outbox, the page says what is true; the subscription limit still counts
(in the database). Then, with the broker back, the sweep hands the emails to a real worker
on the real Redis, which sends them."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import Email, RateLimitCount
from core.services import email_requeue_stale
from engagement.models import Priority, Subscription
from lis_portal.celery import app
from tests.conftest import Cast, Worker
from tests.engagement.conftest import make_priority, make_setting

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres_only]

CLOSED = "redis://127.0.0.1:6390/0"  # nothing listens here


def _reset_broker_connections() -> None:
    """Celery keeps a connection pool and a producer pool per app: drop them, so the next task is
    sent to whatever `broker_url` now says."""
    app._pool = None  # type: ignore[attr-defined]  # Celery's own reset after a fork does the same
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@contextmanager
def broker_unreachable(settings) -> Iterator[None]:
    """This process sends tasks to, and caches in, a Redis that is not there; a worker started
    before stays on the real one."""
    previous = app.conf.broker_url, app.conf.task_always_eager
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED}}
    app.conf.update(broker_url=CLOSED, task_always_eager=False)
    _reset_broker_connections()
    try:
        yield
    finally:
        app.conf.update(broker_url=previous[0], task_always_eager=False)
        _reset_broker_connections()


def wait_until_sent(emails: list[Email], worker: Worker, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(Email.objects.get(pk=e.pk).status == Email.Status.SENT for e in emails):
            return
        time.sleep(0.2)
    raise AssertionError(worker.log.read_text())


def test_a_priority_submitted_with_the_broker_down_is_saved_and_its_receipt_sent_later(
    client, cast: Cast, settings, celery_worker: Worker, caplog
) -> None:
    setting = make_setting(cast.strategy, code=100)
    priority = make_priority(setting, cast.councillor, submit=False, title="Ports skills centre")
    Email.objects.all().delete()
    client.force_login(cast.councillor)
    url = reverse("engagement:priority-submit", kwargs={"strategy_slug": cast.strategy.slug, "pk": priority.pk})

    with broker_unreachable(settings), caplog.at_level(logging.WARNING, logger="core.queue"):
        response = client.post(url, follow=True)

    assert response.status_code == 200
    priority.refresh_from_db()
    assert priority.status == Priority.Status.SUBMITTED
    page = response.content.decode()
    assert "Your receipt email is queued" in page and "We have emailed you a receipt" not in page
    receipt = Email.objects.get(to=cast.councillor.email)
    assert receipt.status == Email.Status.QUEUED and receipt.attempts == 0
    assert "The broker did not take core.email_send" in caplog.text

    # The broker is back: the sweep (every five minutes in production) sends what waited.
    assert email_requeue_stale(older_than=timedelta(0)) == 1
    wait_until_sent([receipt], celery_worker)
    assert any("Priority received: Ports skills centre" in f.read_text() for f in celery_worker.mail_dir.glob("*"))


def test_subscribing_with_redis_down_is_saved_limited_and_confirmed_later(
    client, cast: Cast, settings, celery_worker: Worker, caplog
) -> None:
    settings.UPDATES_SUBSCRIBE_PER_HOUR = 2
    url = reverse("engagement:subscription-create", kwargs={"strategy_slug": cast.strategy.slug})

    with broker_unreachable(settings), caplog.at_level(logging.WARNING):
        answers = [client.post(url, {"email": f"reader{n}@example.org"}) for n in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    for answer in answers[:2]:
        page = answer.content.decode()
        assert "Check your email" in page and "we are sending it a link" in page
    assert "many times in the last hour" in answers[2].content.decode()  # the limit held without Redis
    assert "The cache is unreachable" in caplog.text and "counting engagement:subscribe" in caplog.text
    assert "in the database instead" in caplog.text
    assert RateLimitCount.objects.get(key__startswith="engagement:subscribe").count == 3
    subscriptions = Subscription.objects.order_by("email")
    assert [s.email for s in subscriptions] == ["reader0@example.org", "reader1@example.org"]
    assert {s.status for s in subscriptions} == {Subscription.Status.PENDING}
    emails = list(Email.objects.filter(status=Email.Status.QUEUED).order_by("to"))
    assert [e.to for e in emails] == ["reader0@example.org", "reader1@example.org"]

    assert email_requeue_stale(older_than=timedelta(0)) == 2
    wait_until_sent(emails, celery_worker)


def test_an_update_sent_with_the_broker_down_says_it_is_queued(client, cast: Cast, settings, transactional_db) -> None:
    """post_action (core.http) tells the officer the truth: queued, not "sending"."""
    from engagement.models import Update

    Subscription.objects.create(strategy=cast.strategy, email="reader@example.org", status="confirmed")
    update = Update.objects.create(strategy=cast.strategy, subject="The draft is out", body="Read it.")
    client.force_login(cast.officer)
    url = reverse("engagement:update-send", kwargs={"strategy_slug": cast.strategy.slug, "pk": update.pk})

    with broker_unreachable(settings):
        response = client.post(url, follow=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert "is queued: our background service is not answering just now" in page
    assert "Sending the update" not in page
    update.refresh_from_db()
    assert update.status == Update.Status.QUEUED
