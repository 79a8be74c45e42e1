"""A password reset link goes through the outbox and a real Celery worker on Redis: the web request
only queues it (here its own mail server is a closed port, and the request neither waits for nor
notices it), the worker sends it, and the link in the email sets a new password."""

from __future__ import annotations

import email
import re
import socket
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from core.models import Email
from tests.conftest import Cast, Worker

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://[^/]+(/accounts/password-reset/[^\s]+/)")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sent(email_row: Email, worker: Worker) -> Email:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        email_row.refresh_from_db()
        if email_row.status == Email.Status.SENT:
            return email_row
        time.sleep(0.2)
    raise AssertionError(f"not sent: {email_row.status} {email_row.last_error}\n{worker.log.read_text()}")


@pytest.mark.celery_worker
def test_the_reset_link_arrives_through_the_worker_and_works(
    client, cast: Cast, celery_worker: Worker, settings
) -> None:
    cache.clear()
    # No mail server for the web process: a send from the request would fail (or hang) here.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 5

    response = client.post(reverse("accounts:password-reset"), {"email": "partner@kent.example"})

    assert response.status_code == 302
    assert mail.outbox == []
    row = _sent(Email.objects.get(to="partner@kent.example"), celery_worker)
    assert row.attempts == 1
    [written] = celery_worker.mail_dir.glob("*.log")
    message = email.message_from_string(written.read_text())
    assert message["Subject"] == "Reset your LIS Portal password"
    assert message["To"] == "partner@kent.example"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    link = LINK.search(payload.decode())
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    cast.partner.refresh_from_db()
    assert cast.partner.check_password("a-new-long-passphrase")
