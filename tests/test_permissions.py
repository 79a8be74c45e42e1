"""Every URL × every role × two strategies, as data. A person outside a strategy gets 404 for its
private pages (not 403), so even whether something exists stays private."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.permissions import ROLES, WHICH, sign_in

# (url name, who may see it in their own strategy). Public pages: everybody.
PUBLIC = set(ROLES)
MEMBERS = {"councillor", "officer", "partner", "admin"}
OFFICERS = {"officer", "admin"}

STRATEGY_PAGES = [
    ("strategy-overview", PUBLIC),
    ("timeline:index", PUBLIC),
    ("evidence:index", MEMBERS),
    ("engagement:index", MEMBERS),
    ("documents:index", MEMBERS | {"board_member"}),
    ("audit-log", OFFICERS),
    ("failed-emails", OFFICERS),
    ("your-work", MEMBERS | {"board_member"}),
]

SITE_PAGES = ["home", "accessibility", "privacy", "cookies", "accounts:login", "accounts:password-reset"]


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if allowed is PUBLIC:
        return 200
    if role in allowed and (own or role == "admin"):
        return 200
    if role == "anonymous" and allowed is not PUBLIC:
        return 302  # to sign in
    return 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "allowed"), STRATEGY_PAGES, ids=[name for name, _ in STRATEGY_PAGES])
@pytest.mark.parametrize("which", WHICH)
def test_strategy_page_access(client, cast: Cast, role: str, url_name: str, allowed: set[str], which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    sign_in(client, cast, role)
    response = client.get(reverse(url_name, kwargs={"strategy_slug": strategy.slug}))
    expected = _expected(role, allowed, own=which == "own")
    assert response.status_code == expected, f"{role} on {url_name} of the {which} strategy"
    if expected == 302:
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", SITE_PAGES)
def test_site_pages_open_to_everybody(client, cast: Cast, role: str, url_name: str) -> None:
    sign_in(client, cast, role)
    response = client.get(reverse(url_name))
    # A signed-in person asking for the sign-in page is sent on to their home page.
    expected = 302 if (url_name == "accounts:login" and role != "anonymous") else 200
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_administrators(client, cast: Cast, role: str) -> None:
    sign_in(client, cast, role)
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == "admin" else 302)


@pytest.mark.django_db
def test_unknown_strategy_is_404_for_everybody(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    assert client.get("/no-such-strategy/").status_code == 404
    assert client.get("/no-such-strategy/timeline/").status_code == 404


@pytest.mark.django_db
def test_unpublished_strategy_overview_hidden_from_public(client, cast: Cast) -> None:
    cast.other_strategy.is_published = False
    cast.other_strategy.save()
    url = cast.other_strategy.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(cast.officer)  # an officer of the *other* strategy's neighbour
    assert client.get(url).status_code == 404
    client.force_login(cast.other_officer)
    assert client.get(url).status_code == 200
