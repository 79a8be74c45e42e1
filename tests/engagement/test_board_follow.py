"""Following a board (issue 14): the update subscriptions with a topic per board. Anyone follows a
board from its page (double opt-in, as the strategy's updates); when the board's papers or minutes
become public, on the day an officer chose, the portal writes one update to that board's
followers — only theirs — and a real Celery worker sends it, each address once, with its
one-click unsubscribe link. Each publication is announced once, however often the beat runs."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import Email
from engagement import services
from engagement.models import Subscription, Update
from engagement.selectors import update_list_sent
from tests.conftest import Cast, Worker
from tests.factories import BoardFactory
from timeline.models import AgendaItem, Board, Meeting

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _board(cast: Cast) -> Board:
    return Board.objects.get(strategy=cast.strategy, name="Kent Strategic Board")


def _meeting(board: Board, **fields: Any) -> Meeting:
    meeting = Meeting.objects.create(
        board=board, title="Strategic Board", starts_at=datetime(2026, 7, 30, 10, 0, tzinfo=LONDON), **fields
    )
    AgendaItem.objects.create(meeting=meeting, number=1, title="Apologies")
    return meeting


@pytest.mark.django_db
def test_anyone_follows_a_board_from_its_page_with_double_opt_in(
    cast: Cast, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    board = _board(cast)
    page = client.get(reverse("timeline:board-detail", kwargs={"strategy_slug": "kent", "pk": board.pk}))
    follow = reverse("engagement:board-subscribe", kwargs={"strategy_slug": "kent", "board_pk": board.pk})
    assert follow in page.content.decode()
    assert "Follow the Kent Strategic Board" in client.get(follow).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(follow, {"email": "Reader@Example.org", "website": ""})
        # The same address may also take the strategy's updates: another topic, another row.
        client.post(
            reverse("engagement:subscription-create", kwargs={"strategy_slug": "kent"}),
            {"email": "reader@example.org", "website": ""},
        )

    assert "following the Kent Strategic Board" in response.content.decode()
    followed = Subscription.objects.get(board=board)
    assert followed.status == Subscription.Status.PENDING and followed.email == "reader@example.org"
    assert Subscription.objects.filter(strategy=cast.strategy, board__isnull=True).count() == 1
    message = next(m for m in mailoutbox if "Kent Strategic Board" in m.subject)
    assert message.subject == "Confirm you want emails from the Kent Strategic Board"
    confirm = re.search(r"https?://\S+?(/\S*/confirm/\S+?/)", message.body)
    assert confirm
    done = client.post(confirm.group(1)).content.decode()
    assert "You will get an email when the Kent Strategic Board publishes its papers or minutes" in done
    followed.refresh_from_db()
    assert followed.status == Subscription.Status.CONFIRMED


@pytest.mark.django_db
def test_a_board_of_another_strategy_cannot_be_followed_here(cast: Cast, client: Client) -> None:
    other = Board.objects.get(strategy=cast.other_strategy)
    url = reverse("engagement:board-subscribe", kwargs={"strategy_slug": "kent", "board_pk": other.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"email": "a@example.org", "website": ""}).status_code == 404
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_each_publication_is_announced_once_on_its_day_to_its_boards_followers_only(cast: Cast) -> None:
    board = _board(cast)
    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind="federated")
    Subscription.objects.create(
        strategy=cast.strategy, board=board, email="f@example.org", status=Subscription.Status.CONFIRMED
    )
    meeting = _meeting(board, papers_published_on=date(2026, 7, 20))
    _meeting(federated, papers_published_on=date(2026, 7, 1))  # published long before: not announced
    held = _meeting(board, papers_published_on=date(2026, 6, 1), minutes_published_on=date(2026, 7, 17))

    with time_machine.travel(datetime(2026, 7, 19, 12, 0, tzinfo=LONDON), tick=False):
        assert services.board_publications_announce() == 1  # the minutes; the papers come tomorrow
    with time_machine.travel(datetime(2026, 7, 20, 7, 0, tzinfo=LONDON), tick=False):
        assert services.board_publications_announce() == 1
        assert services.board_publications_announce() == 0

    papers, minutes = Update.objects.get(meeting=meeting), Update.objects.get(meeting=held)
    assert (papers.announces, minutes.announces) == ("papers", "minutes")
    assert papers.board == board and papers.recipients == 1 and papers.status == Update.Status.QUEUED
    assert papers.subject == "Agenda and papers published: Kent Strategic Board, Thursday 30 July 2026"
    assert meeting.get_absolute_url() in papers.body
    # The public archive keeps the strategy's own updates; the boards' pages hold what they announce.
    Update.objects.filter(pk=papers.pk).update(status=Update.Status.SENT)
    assert not update_list_sent(strategy=cast.strategy).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_a_real_worker_sends_the_announcement_to_the_boards_followers_only(celery_worker: Worker, cast: Cast) -> None:
    board = _board(cast)
    for n in range(3):
        Subscription.objects.create(
            strategy=cast.strategy, board=board, email=f"f{n}@example.org", status=Subscription.Status.CONFIRMED
        )
    Subscription.objects.create(strategy=cast.strategy, email="all@example.org", status=Subscription.Status.CONFIRMED)
    Subscription.objects.create(strategy=cast.strategy, board=board, email="pending@example.org")
    meeting = _meeting(board, papers_published_on=date.today() - timedelta(days=1))

    assert services.board_publications_announce() == 1  # enqueued at once: no transaction is open

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and Update.objects.get(meeting=meeting).status != Update.Status.SENT:
        time.sleep(0.5)
    assert Update.objects.get(meeting=meeting).status == Update.Status.SENT, celery_worker.log.read_text()
    emails = Email.objects.filter(subject__startswith="Agenda and papers published: Kent Strategic Board")
    assert sorted(emails.values_list("to", flat=True)) == ["f0@example.org", "f1@example.org", "f2@example.org"]
    written = "".join(path.read_text() for path in celery_worker.mail_dir.glob("*.log"))
    assert written.count("List-Unsubscribe-Post: List-Unsubscribe=One-Click") == 3
    assert "You receive this because you follow the Kent Strategic Board" in written
