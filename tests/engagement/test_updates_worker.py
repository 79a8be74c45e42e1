"""An update sent by a real Celery worker on Redis, twice over: each confirmed address gets one
email, with the one-click unsubscribe headers, written by the real mail backend."""

from __future__ import annotations

import time

import pytest

from core.models import Email
from engagement import services
from engagement.models import Subscription, Update, UpdateDelivery
from engagement.tasks import update_deliver
from tests.conftest import Cast, Worker

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRMED = 120  # two batches of 100


@pytest.mark.celery_worker
def test_a_real_worker_sends_each_address_once_even_when_the_task_runs_twice(celery_worker: Worker, cast: Cast) -> None:
    Subscription.objects.bulk_create(
        [
            Subscription(strategy=cast.strategy, email=f"w{i}@example.org", status=Subscription.Status.CONFIRMED)
            for i in range(CONFIRMED)
        ]
        + [Subscription(strategy=cast.strategy, email=f"p{i}@example.org") for i in range(5)]
    )
    update = services.update_create(actor=cast.officer, strategy=cast.strategy, subject="From the worker", body="Hi.")
    services.update_send(actor=cast.officer, update=update)  # enqueued on commit (at once, outside atomic)
    update_deliver.delay(update.pk)  # and a second message for the same update
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sent = Email.objects.filter(subject="From the worker", status=Email.Status.SENT).count()
        if sent >= CONFIRMED and Update.objects.get(pk=update.pk).status == Update.Status.SENT:
            break
        time.sleep(0.5)
    time.sleep(1)  # let a wrongly duplicated send show itself
    assert Update.objects.get(pk=update.pk).status == Update.Status.SENT, celery_worker.log.read_text()
    assert UpdateDelivery.objects.filter(update=update).count() == CONFIRMED
    emails = Email.objects.filter(subject="From the worker")
    assert emails.count() == CONFIRMED == emails.values("to").distinct().count()
    assert set(emails.values_list("status", flat=True)) == {Email.Status.SENT}
    written = "".join(path.read_text() for path in celery_worker.mail_dir.glob("*.log"))
    assert written.count("List-Unsubscribe-Post: List-Unsubscribe=One-Click") == CONFIRMED
    assert written.count("Subject: From the worker") == CONFIRMED
