"""Emails leave through Celery: enqueued after commit, claimed once, sent by a real worker."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Email
from core.services import email_deliver, email_queue, email_requeue_stale
from tests.conftest import Worker

pytestmark = pytest.mark.django_db


def test_email_is_queued_and_sent_only_after_commit(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = email_queue(to="a@example.org", subject="Hello", body="Body")
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert email.attempts == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


@pytest.mark.parametrize("line_break", ["\r\n", "\n", "\r", "\x00", "\u2028", "\x85"])
def test_a_line_break_in_a_persons_text_never_reaches_a_header(django_capture_on_commit_callbacks, line_break) -> None:
    # A priority's title goes into its receipt's subject (issue 13, item 9: BadHeaderError, stuck "sending").
    with django_capture_on_commit_callbacks(execute=True):
        email = email_queue(to="a@example.org", subject=f"Receipt: Ports{line_break}Bcc: x@evil.example", body="B")
    email.refresh_from_db()
    assert email.status == Email.Status.SENT
    assert mail.outbox[-1].subject == "Receipt: Ports Bcc: x@evil.example"
    assert mail.outbox[-1].bcc == []


def test_an_email_that_cannot_be_sent_records_why_and_fails() -> None:
    email = Email.objects.create(to="a@example.org", subject="Bad\nSubject", body="Body")  # written around the queue
    assert email_deliver(email_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED and email.last_error.startswith("Bad header:")


def test_delivering_twice_sends_once() -> None:
    email = Email.objects.create(to="a@example.org", subject="Hello", body="Body")
    assert email_deliver(email_id=email.pk) == "sent"
    assert email_deliver(email_id=email.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_stale_emails_are_requeued_and_poison_ones_fail(settings) -> None:
    old = timezone.now() - timedelta(hours=1)
    lost = Email.objects.create(to="lost@example.org", subject="Lost", body="b", created_at=old)
    crashed = Email.objects.create(
        to="crash@example.org", subject="Crash", body="b", status=Email.Status.SENDING, claimed_at=old, attempts=1
    )
    poison = Email.objects.create(
        to="poison@example.org", subject="Poison", body="b", status=Email.Status.SENDING, claimed_at=old, attempts=3
    )
    fresh = Email.objects.create(
        to="fresh@example.org",
        subject="Fresh",
        body="b",
        status=Email.Status.SENDING,
        claimed_at=timezone.now(),
        attempts=1,
    )
    assert email_requeue_stale(older_than=timedelta(minutes=10)) == 2
    for email in (lost, crashed, poison, fresh):
        email.refresh_from_db()
    assert lost.status == crashed.status == Email.Status.SENT
    assert poison.status == Email.Status.FAILED and "three attempts" in poison.last_error
    assert fresh.status == Email.Status.SENDING
    assert sorted(m.to[0] for m in mail.outbox) == ["crash@example.org", "lost@example.org"]


@pytest.mark.celery_worker
def test_a_real_worker_sends_a_queued_email_end_to_end(celery_worker: Worker) -> None:
    email = email_queue(to="worker@example.org", subject="From the worker", body="Sent by Celery.")
    # Outside any atomic block (transactional test), on_commit runs at once: the task is on Redis.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == Email.Status.SENT:
            break
        time.sleep(0.2)
    assert email.status == Email.Status.SENT, celery_worker.log.read_text()
    assert email.attempts == 1
    written = list(celery_worker.mail_dir.glob("*.log"))
    assert len(written) == 1
    assert "Subject: From the worker" in written[0].read_text()
    assert "worker@example.org" in written[0].read_text()
