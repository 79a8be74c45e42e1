"""The harness the permission tables share: the roles, who gets what, and the loop that asks for
every page of a table as one person. Each tests/**/test_permissions*.py holds its table as data
(url name, the object it needs, who may GET it in their own strategy) and calls these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.test import Client
from django.urls import reverse

from core.models import Strategy
from tests.conftest import Cast

ROLES = ["anonymous", "outsider", "councillor", "officer", "board_member", "partner", "admin"]
WHICH = ["own", "other"]

Page = tuple[str, str | None, set[str]]


def expected_status(role: str, allowed: set[str], *, own: bool, ok: int = 200) -> int:
    """`ok` for the people allowed in their own strategy (administrators in every strategy);
    anonymous visitors are sent to sign in (302); everybody else gets 404."""
    if role in allowed and (own or role == "admin"):
        return ok
    return 302 if role == "anonymous" else 404


def sign_in(client: Client, cast: Cast, role: str) -> None:
    """Sign `client` in as the cast's person of `role` (nobody, for anonymous)."""
    person = cast.person(role)
    if person is not None:
        client.force_login(person)


def strategy_of(cast: Cast, which: str) -> Strategy:
    return cast.strategy if which == "own" else cast.other_strategy


def pk_kwargs(strategy: Strategy, needs: str | None, objects: Mapping[str, Any]) -> dict[str, object]:
    """A page's address: the strategy's slug, and the pk of the object it needs, if any."""
    kwargs: dict[str, object] = {"strategy_slug": strategy.slug}
    if needs:
        kwargs["pk"] = objects[needs]
    return kwargs


def page_failures(
    client: Client,
    *,
    namespace: str,
    pages: Iterable[Page],
    strategy: Strategy,
    objects: Mapping[str, Any],
    role: str,
    own: bool,
    expected: Callable[..., int] = expected_status,
    url_kwargs: Callable[[Strategy, str | None, Mapping[str, Any]], dict[str, object]] = pk_kwargs,
    on_response: Callable[[str, Any], None] | None = None,
) -> list[str]:
    """GET every page of the table; a line for each whose status is not `expected(role, allowed,
    own=own)`. An expected redirect must lead to sign in; `on_response(name, response)` may check more."""
    failures = []
    for name, needs, allowed in pages:
        response = client.get(reverse(f"{namespace}:{name}", kwargs=url_kwargs(strategy, needs, objects)))
        want = expected(role, allowed, own=own)
        if response.status_code != want:
            failures.append(f"{name} ({needs}): {response.status_code}, expected {want}")
        elif want == 302:
            assert response.url.startswith(reverse("accounts:login"))  # type: ignore[attr-defined]
        if on_response is not None:
            on_response(name, response)
    return failures
