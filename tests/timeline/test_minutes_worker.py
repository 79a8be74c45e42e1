"""Circulating minutes emails each board member a link through the outbox and a real Celery
worker on Redis: the officer's request only queues the emails; the worker sends them."""

from __future__ import annotations

import email
import time
from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import Email
from tests.conftest import Cast, Worker
from tests.factories import BoardMembershipFactory, UserFactory
from timeline.models import Board, Meeting, Minutes

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.celery_worker
def test_the_board_gets_the_circulated_minutes_through_the_worker(client, cast: Cast, celery_worker: Worker) -> None:
    board = cast.strategy.boards.get(kind=Board.Kind.STRATEGIC)
    chair = BoardMembershipFactory(board=board, user=UserFactory(email="chair@kent.example", name="Kent Chair")).user
    meeting = Meeting.objects.create(
        board=board, title="September board", starts_at=timezone.make_aware(datetime(2026, 9, 10, 10, 0))
    )
    Minutes.objects.create(meeting=meeting, body="## 1. Evidence\n\nAgreed.\n", created_by=cast.officer)
    client.force_login(cast.officer)
    url = reverse("timeline:minutes-circulate", kwargs={"strategy_slug": cast.strategy.slug, "pk": meeting.pk})

    assert client.post(url).status_code == 302

    assert mail.outbox == []  # the request only queued them
    rows = Email.objects.filter(subject="Draft minutes of September board, 10 September 2026")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and rows.filter(status=Email.Status.SENT).count() < 2:
        time.sleep(0.3)
    assert sorted(rows.filter(status=Email.Status.SENT).values_list("to", flat=True)) == sorted(
        [chair.email, cast.board_member.email]
    ), celery_worker.log.read_text()
    written = [email.message_from_string(path.read_text()) for path in celery_worker.mail_dir.glob("*.log")]
    assert sorted(message["To"] for message in written) == sorted([chair.email, cast.board_member.email])
    payload = written[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert f"/kent/timeline/meetings/{meeting.pk}/minutes/" in payload.decode()
