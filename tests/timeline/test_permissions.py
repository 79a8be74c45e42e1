"""Every timeline URL × every role × two strategies, as data.

Public pages answer everybody: the published timeline, the boards, their meetings and calendar
feeds (a meeting's business is its page's rule: tests/documents/test_permissions.py). The process
(dashboard, milestones, Gantt, decisions) answers people taking part and board members. Officers
alone change anything. Everybody else: 404, and anonymous visitors are sent to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.permissions import ROLES, WHICH, page_failures, sign_in
from tests.timeline.conftest import Process, make_process
from timeline.models import Decision

EVERYBODY = set(ROLES)
VIEWERS = {"councillor", "officer", "board_member", "partner", "admin"}
OFFICERS = {"officer", "admin"}
BOARD = {"officer", "board_member", "admin"}

# (url name, which object it needs, who may GET it in their own strategy)
PAGES = [
    ("index", None, EVERYBODY),
    ("gantt", None, VIEWERS),
    ("calendar", None, EVERYBODY),
    ("dashboard", None, VIEWERS),
    ("milestone-list", None, VIEWERS),
    ("milestone-create", None, OFFICERS),
    ("milestone-detail", "milestone", VIEWERS),
    ("milestone-edit", "milestone", OFFICERS),
    ("phase-edit", "phase", OFFICERS),
    ("board-list", None, EVERYBODY),
    ("board-detail", "board", EVERYBODY),
    ("board-calendar", "board", EVERYBODY),
    ("meeting-list", None, EVERYBODY),
    ("meeting-create", None, OFFICERS),
    ("meeting-edit", "meeting", OFFICERS),
    ("agenda-item-create", "meeting", OFFICERS),
    ("attendance-edit", "meeting", OFFICERS),
    ("declaration-create", "meeting", OFFICERS),
    ("decision-create", "meeting", OFFICERS),
    ("decision-list", None, EVERYBODY),
    ("decision-detail", "unpublished_decision", BOARD),
    ("decision-detail", "published_decision", EVERYBODY),
]

# Timeline's address of a meeting redirects everybody to the meeting's one page (documents').
REDIRECTS = [("meeting-detail", "meeting", EVERYBODY, "documents:meeting-detail")]

# POST-only actions: officers are redirected back; everybody else is refused.
ACTIONS = [("milestone-status", {"status": "in_progress"}), ("milestone-move", {"direction": "down"})]


def _objects(process: Process) -> dict[str, int]:
    meeting = process.meeting
    return {
        "milestone": process.scoping_milestones[0].pk,
        "phase": process.phases[1].pk,
        "board": process.board.pk,
        "meeting": meeting.pk,
        "unpublished_decision": Decision.objects.create(
            meeting=meeting, text="Private", outcome="approved", is_published=False
        ).pk,
        "published_decision": Decision.objects.create(meeting=meeting, text="Public", outcome="approved").pk,
    }


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    return 302 if role == "anonymous" else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_timeline_pages(client, cast: Cast, role: str, which: str) -> None:
    own = make_process(cast.strategy)
    other = make_process(cast.other_strategy)
    process, strategy = (own, cast.strategy) if which == "own" else (other, cast.other_strategy)
    sign_in(client, cast, role)
    failures = page_failures(
        client,
        namespace="timeline",
        pages=PAGES,
        strategy=strategy,
        objects=_objects(process),
        role=role,
        own=which == "own",
        expected=_expected,
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_timeline_redirects(client, cast: Cast, role: str, which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    objects = _objects(make_process(strategy))
    sign_in(client, cast, role)
    for name, needs, allowed, target in REDIRECTS:
        kwargs = {"strategy_slug": strategy.slug, "pk": objects[needs]}
        response = client.get(reverse(f"timeline:{name}", kwargs=kwargs))
        if role in allowed and (which == "own" or role == "admin" or allowed is EVERYBODY):
            assert response.status_code == 302, (name, role, which)
            assert response["Location"] == reverse(target, kwargs=kwargs)
        elif role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:login"))
        else:
            assert response.status_code == 404, (name, role, which)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_timeline_actions(client, cast: Cast, process: Process, role: str, name: str, data: dict[str, str]) -> None:
    sign_in(client, cast, role)
    milestone = process.scoping_milestones[0]
    url = reverse(f"timeline:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": milestone.pk})
    assert client.get(url).status_code in (302 if role == "anonymous" else 405, 405)
    response = client.post(url, data)
    if role in OFFICERS:
        assert response.status_code == 302
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        milestone.refresh_from_db()
        assert milestone.status == "not_started" and milestone.order == 1
