"""Every minutes URL × every role × two strategies, with the publication date not yet come and
come, as data.

Published minutes whose day has come are public: everyone who sees the strategy reads them (the
superseded versions too), whichever strategy. Drafts, circulated and approved minutes, and
published ones before their day: officers and the members of the meeting's board. Officers alone
write and move them on. Everybody else gets 404; anonymous visitors are sent to sign in (the link
a board member is emailed leads there)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Strategy
from tests.conftest import Cast
from tests.permissions import ROLES, WHICH, action_failures, page_failures, sign_in, strategy_of
from tests.timeline.conftest import make_process
from timeline.minutes import services
from timeline.models import Meeting

EVERYBODY = set(ROLES)
OFFICERS = {"officer", "admin"}
BOARD = {"officer", "board_member", "admin"}
NOBODY: set[str] = set()
BODY = "## 1. Evidence\n\nAgreed.\n"
PUBLISHED_ON = date(2026, 11, 9)
WHEN = {  # the day the pages are asked for: before the publication date, and on it
    "before": timezone.make_aware(datetime(2026, 11, 8, 12, 0)),
    "after": timezone.make_aware(datetime(2026, 11, 9, 12, 0)),
}

# (url name, the meeting it needs[@v<number>], who may GET it in their own strategy, before / after)
PAGES: list[tuple[str, str, set[str], set[str]]] = [
    ("minutes-detail", "none", NOBODY, NOBODY),
    ("minutes-detail", "draft", BOARD, BOARD),
    ("minutes-detail", "circulated", BOARD, BOARD),
    ("minutes-detail", "approved", BOARD, BOARD),
    ("minutes-detail", "published", BOARD, EVERYBODY),
    ("minutes-detail", "corrected", BOARD, EVERYBODY),
    ("minutes-version", "draft@v1", BOARD, BOARD),
    ("minutes-version", "published@v1", BOARD, EVERYBODY),
    ("minutes-version", "published@v2", NOBODY, NOBODY),
    ("minutes-version", "corrected@v1", BOARD, EVERYBODY),
    ("minutes-version", "corrected@v2", BOARD, EVERYBODY),
    ("minutes-create", "none", OFFICERS, OFFICERS),
    ("minutes-edit", "draft", OFFICERS, OFFICERS),
    ("minutes-edit", "circulated", OFFICERS, OFFICERS),
    ("minutes-approve", "circulated", OFFICERS, OFFICERS),
    ("minutes-publish", "approved", OFFICERS, OFFICERS),
    ("minutes-correct", "published", OFFICERS, OFFICERS),
]
# POST-only: officers get it done; everybody else is refused.
ACTIONS = [("minutes-circulate", "draft", OFFICERS)]


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def make_minutes(strategy: Strategy) -> dict[str, int]:
    """A meeting of the strategy's Strategic Board with minutes in each state, approved at the
    board's meeting of 5 November 2026 and published on 9 November."""
    process = make_process(strategy)
    officer = strategy.lead.memberships.filter(role="officer").first().user  # type: ignore[union-attr]
    board = process.board

    def meeting(day: date, title: str) -> Meeting:
        return Meeting.objects.create(board=board, title=title, starts_at=_at(day))

    approving = meeting(date(2026, 11, 5), "November board")
    states = {"draft": date(2026, 9, 1), "circulated": date(2026, 9, 10), "approved": date(2026, 9, 20)}
    states |= {"published": date(2026, 10, 1), "corrected": date(2026, 10, 2)}
    pks = {"none": process.meeting.pk}
    for state, day in states.items():
        held = meeting(day, f"Board of {day:%-d %B}")
        pks[state] = held.pk
        minutes = services.minutes_draft(actor=officer, meeting=held, body=BODY)
        if state == "draft":
            continue
        services.minutes_circulate(actor=officer, minutes=minutes)
        if state == "circulated":
            continue
        services.minutes_approve(actor=officer, minutes=minutes, at_meeting=approving)
        if state == "approved":
            continue
        published = services.minutes_publish(actor=officer, minutes=minutes, on=PUBLISHED_ON)
        if state == "corrected":
            services.minutes_correct(
                actor=officer, minutes=published, body=BODY + "\nFixed.\n", reason="A typo", on=PUBLISHED_ON
            )
    return pks


def _url_kwargs(strategy: Strategy, needs: str | None, objects: Mapping[str, Any]) -> dict[str, object]:
    assert needs is not None
    state, _, version = needs.partition("@v")
    kwargs: dict[str, object] = {"strategy_slug": strategy.slug, "pk": objects[state]}
    if version:
        kwargs["number"] = int(version)
    return kwargs


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    return 302 if role == "anonymous" else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("when", list(WHEN))
def test_minutes_pages(client, cast: Cast, role: str, which: str, when: str) -> None:
    make_minutes(cast.strategy)
    objects = make_minutes(cast.other_strategy) if which == "other" else make_minutes_again(cast.strategy)
    sign_in(client, cast, role)
    pages = [(name, needs, before if when == "before" else after) for name, needs, before, after in PAGES]
    with time_machine.travel(WHEN[when], tick=False):
        failures = page_failures(
            client,
            namespace="timeline",
            pages=pages,
            strategy=strategy_of(cast, which),
            objects=objects,
            role=role,
            own=which == "own",
            expected=_expected,
            url_kwargs=_url_kwargs,
        )
    assert not failures, f"{role} in the {which} strategy, {when} the publication date:\n" + "\n".join(failures)


def make_minutes_again(strategy: Strategy) -> dict[str, int]:
    """The meetings `make_minutes` made for `strategy`, by state."""
    meetings = Meeting.objects.filter(board__strategy=strategy)
    pks = {"none": meetings.filter(minutes__isnull=True).exclude(title="November board").get().pk}
    for meeting in meetings.filter(minutes__number=1).distinct():
        latest = meeting.minutes.order_by("-number").first()
        assert latest is not None
        pks["corrected" if latest.number == 2 else latest.status] = meeting.pk
    return pks


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_minutes_actions(client, cast: Cast, role: str, which: str) -> None:
    strategy = strategy_of(cast, which)
    objects = make_minutes(strategy)
    sign_in(client, cast, role)
    failures = action_failures(
        client,
        namespace="timeline",
        actions=ACTIONS,
        strategy=strategy,
        objects=objects,
        role=role,
        own=which == "own",
        url_kwargs=_url_kwargs,
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)
    circulated = Meeting.objects.get(pk=objects["draft"]).minutes.get().status == "circulated"
    assert circulated == (role in OFFICERS and (which == "own" or role == "admin"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_published_minutes_of_an_unpublished_strategy_stay_with_its_people(client, cast: Cast, role: str) -> None:
    objects = make_minutes(cast.strategy)
    cast.strategy.is_published = False
    cast.strategy.save()
    sign_in(client, cast, role)
    url = reverse("timeline:minutes-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["published"]})
    readers = {"councillor", "officer", "board_member", "partner", "admin"}
    assert client.get(url).status_code == (200 if role in readers else 404)
