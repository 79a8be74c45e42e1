"""Update subscriptions through the real outbox: subscribe → email → confirm → an officer sends an
update → each confirmed address gets it exactly once, even when the task runs twice; one-click
unsubscribe by GET-confirm and by RFC 8058 POST."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import claims
from core.exceptions import ApplicationError
from core.models import AuditEvent, Email
from engagement import services
from engagement.models import Subscription, Update, UpdateDelivery
from engagement.services.updates import UPDATE_JOB, _update_send_batch
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _url(cast: Cast, name: str, **kwargs: Any) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def _link_in(body: str, part: str) -> str:
    match = re.search(rf"https?://\S+?(/\S*/{part}/\S+?/)", body)
    assert match, body
    return match.group(1)


def _subscribe(client: Client, cast: Cast, email: str, callbacks: Any) -> Any:
    with callbacks(execute=True):
        return client.post(_url(cast, "subscription-create"), {"email": email, "website": ""})


def test_subscribe_confirm_send_and_unsubscribe_through_the_outbox(
    cast: Cast, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    response = _subscribe(client, cast, "Reader@Example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert b"Check your email" in response.content
    subscription = Subscription.objects.get(strategy=cast.strategy)
    assert subscription.email == "reader@example.org"
    assert subscription.status == Subscription.Status.PENDING
    assert len(subscription.token_hash) == 64
    # The email went through core's outbox (an Email row, sent by the task).
    assert Email.objects.get(to="reader@example.org").status == Email.Status.SENT
    assert [m.to for m in mailoutbox] == [["reader@example.org"]]
    confirm = _link_in(mailoutbox[0].body, "confirm")
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    assert token not in subscription.token_hash  # only the hash is stored

    # GET shows a button and changes nothing; POST confirms; the link then works no more.
    page = client.get(confirm)
    assert page.status_code == 200 and b"Confirm subscription" in page.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.PENDING
    assert client.post(confirm).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert client.post(confirm).status_code == 400

    # 249 more confirmed, and some pending and unsubscribed who must get nothing.
    Subscription.objects.bulk_create(
        [
            Subscription(strategy=cast.strategy, email=f"s{i}@example.org", status=Subscription.Status.CONFIRMED)
            for i in range(249)
        ]
        + [Subscription(strategy=cast.strategy, email=f"p{i}@example.org") for i in range(7)]
        + [
            Subscription(strategy=cast.strategy, email=f"u{i}@example.org", status=Subscription.Status.UNSUBSCRIBED)
            for i in range(5)
        ]
        # Another strategy's confirmed subscriber gets nothing either.
        + [Subscription(strategy=cast.other_strategy, email="o@example.org", status=Subscription.Status.CONFIRMED)]
    )
    client.force_login(cast.officer)
    response = client.post(
        _url(cast, "update-create"), {"subject": "The draft is out", "body": "Read **it** <script>x</script>."}
    )
    update = Update.objects.get(strategy=cast.strategy)
    assert response.status_code == 302 and response["Location"] == update.get_absolute_url()
    detail = client.get(update.get_absolute_url())
    assert b"<strong>it</strong>" in detail.content and b"<script>x" not in detail.content
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(cast, "update-send", pk=update.pk))
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == Update.Status.SENT
    assert update.recipients == 250
    assert UpdateDelivery.objects.filter(update=update).count() == 250
    recipients = [m.to[0] for m in mailoutbox]
    assert len(recipients) == 250 == len(set(recipients))
    assert "reader@example.org" in recipients
    assert not any(r.startswith(("p", "u", "o@")) for r in recipients)
    message = next(m for m in mailoutbox if m.to == ["reader@example.org"])
    assert message.subject == "The draft is out"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = _link_in(message.body, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert AuditEvent.objects.filter(verb="update.sent", data__deliveries=250).count() == 1

    # Run the task twice more: once as it stands (sent: skipped), once re-queued as a sweep would
    # after a lost message. Still one delivery and one email per address.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.update_deliver(update_id=update.pk) == "skipped"
        Update.objects.filter(pk=update.pk).update(status=Update.Status.QUEUED)
        assert services.update_deliver(update_id=update.pk) == "sent"
    assert UpdateDelivery.objects.filter(update=update).count() == 250
    assert Email.objects.filter(subject="The draft is out").count() == 250
    assert len(mailoutbox) == 250

    # Progress on the update's page.
    page = client.get(update.get_absolute_url())
    assert b"250 of 250 queued" in page.content

    # Unsubscribe: the GET shows a button and changes nothing; the button's POST unsubscribes.
    client.logout()
    page = client.get(unsubscribe)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED
    assert client.post(unsubscribe).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_one_click_unsubscribe_needs_no_csrf_token(cast: Cast) -> None:
    subscription = Subscription.objects.create(
        strategy=cast.strategy, email="a@example.org", status=Subscription.Status.CONFIRMED
    )
    token = services.subscription_unsubscribe_token(subscription)
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url(cast, "subscription-unsubscribe", token=token), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    # Twice is harmless; a tampered token, or one used on the other strategy, is refused.
    assert client.post(_url(cast, "subscription-unsubscribe", token=token)).status_code == 200
    assert client.post(_url(cast, "subscription-unsubscribe", token=token + "x")).status_code == 400
    other = reverse(
        "engagement:subscription-unsubscribe", kwargs={"strategy_slug": cast.other_strategy.slug, "token": token}
    )
    assert client.post(other).status_code == 400


def test_subscribing_again_makes_no_duplicate_and_reveals_nothing(
    cast: Cast, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    Subscription.objects.create(strategy=cast.strategy, email="known@example.org", status=Subscription.Status.CONFIRMED)
    first = _subscribe(client, cast, "KNOWN@example.org", django_capture_on_commit_callbacks)
    second = _subscribe(client, cast, "new@example.org", django_capture_on_commit_callbacks)

    # The same page whether or not the address was subscribed (bar the address itself).
    def main(response: Any, address: str) -> str:
        html: str = response.content.decode()
        return html[html.index("<main") : html.index("</main>")].replace(address, "X")

    assert main(first, "KNOWN@example.org") == main(second, "new@example.org")
    assert Subscription.objects.filter(strategy=cast.strategy, email__iexact="known@example.org").count() == 1
    assert [m.to for m in mailoutbox] == [["new@example.org"]]  # the confirmed one is not emailed again
    # The same address on the other strategy is a separate subscription.
    services.subscription_request(strategy=cast.other_strategy, email="known@example.org")
    assert Subscription.objects.filter(email="known@example.org").count() == 2


def test_honeypot_and_bad_address_save_nothing(cast: Cast, client: Client, mailoutbox: list[Any]) -> None:
    robot = client.post(_url(cast, "subscription-create"), {"email": "bot@example.org", "website": "spam"})
    assert robot.status_code == 200 and b"Check your email" in robot.content
    bad = client.post(_url(cast, "subscription-create"), {"email": "not an address"})
    assert bad.status_code == 200
    assert b"Enter an email address in the correct format" in bad.content
    assert not Subscription.objects.exists()
    assert not mailoutbox


def test_rate_limit(cast: Cast, client: Client, settings: Any) -> None:
    settings.UPDATES_SUBSCRIBE_PER_HOUR = 3
    for i in range(3):
        assert (
            b"Check your email"
            in client.post(_url(cast, "subscription-create"), {"email": f"r{i}@example.org"}).content
        )
    refused = client.post(_url(cast, "subscription-create"), {"email": "r9@example.org"})
    assert b"Try again later" in refused.content
    assert Subscription.objects.count() == 3


def test_expired_confirmation_link_is_refused(
    cast: Cast, client: Client, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    _subscribe(client, cast, "late@example.org", django_capture_on_commit_callbacks)
    confirm = _link_in(mailoutbox[0].body, "confirm")
    Subscription.objects.update(token_expires_at="2000-01-01T00:00Z")
    response = client.post(confirm)
    assert response.status_code == 400 and b"expired" in response.content
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_sending_twice_or_to_no_one_is_refused(cast: Cast) -> None:
    update = services.update_create(actor=cast.officer, strategy=cast.strategy, subject="S", body="B")
    with pytest.raises(ApplicationError, match="no one to send it to"):
        services.update_send(actor=cast.officer, update=update)
    Subscription.objects.create(strategy=cast.strategy, email="a@example.org", status=Subscription.Status.CONFIRMED)
    services.update_send(actor=cast.officer, update=update)
    with pytest.raises(ApplicationError, match="already"):
        services.update_send(actor=cast.officer, update=update)


def test_stale_edit_is_refused(cast: Cast, client: Client) -> None:
    update = services.update_create(actor=cast.officer, strategy=cast.strategy, subject="S", body="B")
    services.update_edit(actor=cast.officer, update=update, subject="S2", body="B", version=1)
    client.force_login(cast.officer)
    response = client.post(
        _url(cast, "update-edit", pk=update.pk), {"subject": "Mine", "body": "B", "version": "1", "save": "1"}
    )
    assert response.status_code == 200 and b"Someone else saved this update" in response.content
    update.refresh_from_db()
    assert update.subject == "S2"


def test_preview_renders_sanitised_markdown_and_saves_nothing(cast: Cast, client: Client) -> None:
    client.force_login(cast.officer)
    response = client.post(
        _url(cast, "update-create"),
        {"subject": "S", "body": "## Heading\n\n[x](javascript:alert(1)) <img src=x onerror=y>", "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h3>Heading</h3>" in html  # `## Heading` straight under the page's h2: no level skipped
    assert "javascript:" not in html.split("data-preview", 1)[1].split("</div>", 1)[0]
    assert "<img" not in html
    assert not Update.objects.exists()


def test_list_pages_do_not_grow_queries_with_rows(cast: Cast, client: Client) -> None:
    client.force_login(cast.officer)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.update_create(actor=cast.officer, strategy=cast.strategy, subject="One", body="B")
    Update.objects.update(status=Update.Status.SENT, sent_at="2026-01-01T00:00Z")
    few = (count(_url(cast, "update-list")), count(_url(cast, "update-archive")))
    for i in range(10):
        services.update_create(actor=cast.officer, strategy=cast.strategy, subject=f"U{i}", body="B")
    Update.objects.update(status=Update.Status.SENT, sent_at="2026-01-01T00:00Z")
    Subscription.objects.bulk_create(
        [Subscription(strategy=cast.strategy, email=f"q{i}@example.org") for i in range(30)]
    )
    assert (count(_url(cast, "update-list")), count(_url(cast, "update-archive"))) == few


def test_a_send_cut_short_is_resumed_by_the_sweep_without_sending_twice(
    cast: Cast, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    Subscription.objects.bulk_create(
        [
            Subscription(strategy=cast.strategy, email=f"c{i}@example.org", status=Subscription.Status.CONFIRMED)
            for i in range(150)
        ]
    )
    update = services.update_create(actor=cast.officer, strategy=cast.strategy, subject="Resumed", body="B")
    with django_capture_on_commit_callbacks(execute=False):
        services.update_send(actor=cast.officer, update=update)
    # A worker claimed it, committed one batch of 100, and died: its lease ran out an hour ago.
    claim = claims.claim(UPDATE_JOB, update.pk)
    assert isinstance(claim, claims.Claim)
    with django_capture_on_commit_callbacks(execute=True):
        assert _update_send_batch(Update.objects.get(pk=update.pk), claim, batch_size=100) == 100
    assert len(mailoutbox) == 100
    Update.objects.filter(pk=update.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.update_requeue_stale(older_than=timedelta(minutes=15)) == 1
    update.refresh_from_db()
    assert update.status == Update.Status.SENT and update.attempts == 2 and update.restarts == 1
    # The dead worker's claim can write nothing more: its next batch is refused, and rolled back.
    with pytest.raises(claims.ClaimLost):
        _update_send_batch(update, claim, batch_size=100)
    assert UpdateDelivery.objects.filter(update=update).count() == 150
    assert len(mailoutbox) == 150 == len({m.to[0] for m in mailoutbox})
