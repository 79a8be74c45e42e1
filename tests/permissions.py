"""The harness the permission tables share: the roles, who gets what, and the loops that ask for
every page of a table, and do every action of one, as one person. Each tests/**/test_permissions*.py
holds its tables as data (url name, the object it needs, who may GET it, or POST to it, in their own
strategy) and calls these."""

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


def action_failures(
    client: Client,
    *,
    namespace: str,
    actions: Iterable[Page],
    strategy: Strategy,
    objects: Mapping[str, Any],
    role: str,
    own: bool,
    data: Mapping[str, Any] | None = None,
    url_kwargs: Callable[[Strategy, str | None, Mapping[str, Any]], dict[str, object]] = pk_kwargs,
) -> list[str]:
    """POST `data` (nothing, by default) to every action of the table (URLs that take only POST);
    a line for each answered wrongly. The people allowed (in their own strategy; administrators in
    every one) get the action done or its form back with errors (302 or 200, not a redirect to sign
    in); anonymous visitors are sent to sign in; everybody else gets 404. A GET of an action is 405
    for every signed-in person, whoever they are (anonymous visitors are sent to sign in first)."""
    failures = []
    login = reverse("accounts:login")
    for name, needs, allowed in actions:
        url = reverse(f"{namespace}:{name}", kwargs=url_kwargs(strategy, needs, objects))
        got = client.get(url).status_code
        if got != (302 if role == "anonymous" else 405):
            failures.append(f"GET {name} ({needs}): {got}, expected 405")
        response = client.post(url, dict(data or {}))
        to_sign_in = response.status_code == 302 and response.url.startswith(login)  # type: ignore[attr-defined]
        if role in allowed and (own or role == "admin"):
            if response.status_code not in (200, 302) or to_sign_in:
                failures.append(f"POST {name} ({needs}): {response.status_code}, expected it done (302 or 200)")
            continue
        want = expected_status(role, allowed, own=own)
        if response.status_code != want or (want == 302 and not to_sign_in):
            failures.append(f"POST {name} ({needs}): {response.status_code}, expected {want}")
    return failures
