"""The registers of interests' URLs × every role × two strategies, as data.

A member's register is public with the strategy (everybody, signed out too, for a published one;
its members, board members and administrators for an unpublished one). The member and the
strategy's officers (and administrators) add, change and end its entries; only the member confirms
it up to date and declares from it, on a meeting of their board. Officers see the list of every
member's register. Everybody else: 404, and anonymous visitors are sent to sign in."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from core.models import Strategy
from tests.conftest import Cast
from tests.permissions import ROLES, WHICH, action_failures, page_failures, sign_in, strategy_of
from tests.timeline.conftest import make_process
from timeline.interests import services
from timeline.models import AgendaItem, BoardMembership

EVERYBODY = set(ROLES)
OFFICERS = {"officer", "admin"}
CHANGERS = {"board_member", "officer", "admin"}
MEMBER = {"board_member"}

# (url name, which object it needs, who may GET it in their own strategy)
PAGES = [
    ("interest-register-list", None, OFFICERS),
    ("interest-register-detail", "membership", EVERYBODY),
    ("interest-entry-create", "membership", CHANGERS),
    ("interest-entry-edit", "entry", CHANGERS),
    ("interest-entry-end", "entry", CHANGERS),
]
# POST-only actions: the member's own.
ACTIONS = [
    ("interest-register-review", "membership", MEMBER),
    ("declaration-from-register", "meeting", MEMBER),
]


def _objects(strategy: Strategy) -> dict[str, int]:
    process = make_process(strategy)
    AgendaItem.objects.create(meeting=process.meeting, number=1, title="Skills plan")
    membership = BoardMembership.objects.select_related("user").get(board=process.board)
    entry = services.interest_entry_add(
        actor=membership.user,
        strategy=strategy,
        member=membership.user,
        data={
            "category": "employment",
            "description": "Managing director",
            "organisation": "Harbour Trading",
            "starts_on": date(2026, 1, 5),
        },
    )
    return {"membership": membership.pk, "entry": entry.pk, "meeting": process.meeting.pk}


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    """As tests/permissions.py, but a public page answers everybody in both (published) strategies."""
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    return 302 if role == "anonymous" else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_interest_pages(client, cast: Cast, role: str, which: str) -> None:
    objects = {"own": _objects(cast.strategy), "other": _objects(cast.other_strategy)}
    sign_in(client, cast, role)
    failures = page_failures(
        client,
        namespace="timeline",
        pages=PAGES,
        strategy=strategy_of(cast, which),
        objects=objects[which],
        role=role,
        own=which == "own",
        expected=_expected,
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_interest_actions(client, cast: Cast, role: str, which: str) -> None:
    objects = {"own": _objects(cast.strategy), "other": _objects(cast.other_strategy)}
    sign_in(client, cast, role)
    failures = action_failures(
        client,
        namespace="timeline",
        actions=ACTIONS,
        strategy=strategy_of(cast, which),
        objects=objects[which],
        role=role,
        own=which == "own",
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_your_register_leads_a_board_member_to_their_register(client, cast: Cast, role: str, which: str) -> None:
    strategy = strategy_of(cast, which)
    objects = _objects(strategy)
    sign_in(client, cast, role)
    response = client.get(reverse("timeline:interest-register-yours", kwargs={"strategy_slug": strategy.slug}))
    if role == "board_member" and which == "own":
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "timeline:interest-register-detail", kwargs={"strategy_slug": strategy.slug, "pk": objects["membership"]}
        )
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 404, (role, which)


# Before publication: the register is for the strategy's members, board members and administrators.
UNPUBLISHED = {"councillor", "officer", "board_member", "partner", "admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("published", [False, True])
def test_a_register_is_public_once_the_strategy_is_published(client, cast: Cast, role: str, published: bool) -> None:
    objects = _objects(cast.strategy)
    Strategy.objects.filter(pk=cast.strategy.pk).update(is_published=published)
    sign_in(client, cast, role)
    url = reverse(
        "timeline:interest-register-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["membership"]}
    )
    response = client.get(url)
    if published or role in UNPUBLISHED:
        assert response.status_code == 200, role
        assert "Managing director" in response.content.decode()
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 404, role
