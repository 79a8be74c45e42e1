"""Every updates URL × every role × two strategies, as data (the harness of test_permissions.py).

The sign-up, confirm and unsubscribe pages and the archive of sent updates are public, in both
strategies, for everyone signed in or not. The officers' pages (counts, drafts, sending) are for the
strategy's officers and administrators: others get 404 and anonymous visitors are sent to sign in.
An update of one strategy is never reachable through the other's addresses, and a draft is never public."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.models import Strategy
from engagement import services
from engagement.models import Subscription, Update
from engagement.services.updates import _token_hash
from tests.conftest import Cast
from tests.engagement.test_permissions import OFFICERS
from tests.permissions import ROLES, WHICH, sign_in

EVERYONE = set(ROLES)

# (url name, which object it needs, who may GET it in their own strategy)
PAGES: list[tuple[str, str | None, set[str]]] = [
    ("update-archive", None, EVERYONE),
    ("update-public", "sent", EVERYONE),
    ("update-public", "draft", set()),
    ("subscription-create", None, EVERYONE),
    ("subscription-confirm", "confirm_token", EVERYONE),
    ("subscription-unsubscribe", "unsubscribe_token", EVERYONE),
    ("update-list", None, OFFICERS),
    ("update-create", None, OFFICERS),
    ("update-detail", "draft", OFFICERS),
    ("update-detail", "sent", OFFICERS),
    ("update-edit", "draft", OFFICERS),
]
PUBLIC = {"update-archive", "update-public", "subscription-create", "subscription-confirm", "subscription-unsubscribe"}


def _objects(cast: Cast, strategy: Strategy) -> dict[str, Any]:
    officer = cast.officer if strategy == cast.strategy else cast.other_officer
    draft = services.update_create(actor=officer, strategy=strategy, subject="Draft", body="Not yet.")
    sent = services.update_create(actor=officer, strategy=strategy, subject="Sent", body="Out.")
    Update.objects.filter(pk=sent.pk).update(status=Update.Status.SENT, sent_at="2026-01-01T00:00Z")
    confirmed = Subscription.objects.create(
        strategy=strategy, email="reader@example.org", status=Subscription.Status.CONFIRMED
    )
    pending = Subscription.objects.create(strategy=strategy, email="pending@example.org")
    token = "a-confirmation-token-" + strategy.slug
    Subscription.objects.filter(pk=pending.pk).update(
        token_hash=_token_hash(token), token_expires_at="2099-01-01T00:00Z"
    )
    return {
        "draft": {"pk": draft.pk},
        "sent": {"pk": sent.pk},
        "confirm_token": {"token": token},
        "unsubscribe_token": {"token": services.subscription_unsubscribe_token(confirmed)},
    }


def _expected(role: str, name: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or name in PUBLIC or role == "admin"):
        return 200
    return 302 if role == "anonymous" and name not in PUBLIC else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_updates_pages(client: Any, cast: Cast, role: str, which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    objects = _objects(cast, strategy)
    sign_in(client, cast, role)
    failures = []
    for name, needs, allowed in PAGES:
        kwargs: dict[str, object] = {"strategy_slug": strategy.slug, **(objects[needs] if needs else {})}
        response = client.get(reverse(f"engagement:{name}", kwargs=kwargs))
        expected = _expected(role, name, allowed, own=which == "own")
        if response.status_code != expected:
            failures.append(f"{name} ({needs}): {response.status_code}, expected {expected}")
        if expected == 302 and response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login"))
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_update_send(client: Any, cast: Cast, role: str, which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    objects = _objects(cast, strategy)
    sign_in(client, cast, role)
    pk = objects["draft"]["pk"]
    response = client.post(reverse("engagement:update-send", kwargs={"strategy_slug": strategy.slug, "pk": pk}))
    may = role in OFFICERS and (which == "own" or role == "admin")
    status = Update.objects.get(pk=pk).status
    if may:
        assert response.status_code == 302
        assert status != Update.Status.DRAFT
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert status == Update.Status.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_subscribe_post_is_open_to_everyone(client: Any, cast: Cast, role: str) -> None:
    cache.clear()
    sign_in(client, cast, role)
    for strategy in (cast.strategy, cast.other_strategy):
        url = reverse("engagement:subscription-create", kwargs={"strategy_slug": strategy.slug})
        assert client.post(url, {"email": f"{role}@example.org"}).status_code == 200
        assert Subscription.objects.filter(strategy=strategy, email=f"{role}@example.org").exists()


@pytest.mark.django_db
def test_an_update_or_link_is_not_reachable_through_the_other_strategy(client: Any, cast: Cast) -> None:
    objects = _objects(cast, cast.strategy)
    client.force_login(cast.admin)
    other = cast.other_strategy.slug
    for name, needs in (("update-public", "sent"), ("update-detail", "sent"), ("update-edit", "draft")):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": other, **objects[needs]})
        assert client.get(url).status_code == 404, name
    url = reverse("engagement:update-send", kwargs={"strategy_slug": other, **objects["draft"]})
    assert client.post(url).status_code == 404
    # A link's token names its own strategy: on the other one it is refused and changes nothing.
    for name, needs in (("subscription-confirm", "confirm_token"), ("subscription-unsubscribe", "unsubscribe_token")):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": other, **objects[needs]})
        assert client.post(url).status_code == 400, name
    assert set(Subscription.objects.values_list("status", flat=True)) == {"confirmed", "pending"}


@pytest.mark.django_db
def test_an_unpublished_strategy_has_no_public_updates_pages(client: Any, cast: Cast) -> None:
    Strategy.objects.filter(pk=cast.other_strategy.pk).update(is_published=False)
    for name in ("update-archive", "subscription-create"):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": cast.other_strategy.slug})
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_unsubscribing_works_after_the_strategy_is_unpublished(client: Any, cast: Cast) -> None:
    subscription = Subscription.objects.create(
        strategy=cast.other_strategy, email="a@example.org", status=Subscription.Status.CONFIRMED
    )
    Strategy.objects.filter(pk=cast.other_strategy.pk).update(is_published=False)
    slug = cast.other_strategy.slug
    token = services.subscription_unsubscribe_token(subscription)
    url = reverse("engagement:subscription-unsubscribe", kwargs={"strategy_slug": slug, "token": token})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
    bad = reverse("engagement:subscription-unsubscribe", kwargs={"strategy_slug": slug, "token": "nope"})
    assert client.post(bad).status_code == 404
