"""The calendar feeds, parsed back with icalendar; the secret address and its reset."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from icalendar import Calendar, Event

from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import BoardFactory, BoardMembershipFactory, MilestoneFactory, PhaseFactory
from timeline.calendars import MEETING_LENGTH
from timeline.models import CalendarFeed, Decision, Meeting, Milestone, Phase
from timeline.services import calendar_feed_get_or_create

LONDON = ZoneInfo("Europe/London")


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.events}


def _strategy_dates(strategy) -> dict[str, Any]:
    board = strategy.boards.first()
    phase = PhaseFactory(
        strategy=strategy,
        stage=Phase.Stage.SCOPING,
        order=1,
        name="Scoping",
        planned_start=date(2026, 6, 1),
        planned_end=date(2026, 7, 31),
        actual_start=date(2026, 6, 1),
        closing_board=board,
    )
    key = MilestoneFactory(phase=phase, title="Agree approach", is_key=True, due_date=date(2026, 6, 20))
    ordinary = MilestoneFactory(phase=phase, title="Review evidence", due_date=date(2026, 6, 25))
    undated = MilestoneFactory(phase=phase, title="Key but undated", is_key=True, due_date=None)
    meeting = Meeting.objects.create(
        board=board,
        title="Strategic Board, June",
        starts_at=datetime(2026, 6, 12, 10, 0, tzinfo=LONDON),
        location="County Hall, Maidstone",
        online_url="https://meet.example.org/board",
    )
    cancelled = Meeting.objects.create(
        board=board,
        title="Strategic Board, July",
        starts_at=datetime(2026, 7, 10, 10, 0, tzinfo=LONDON),
        status=Meeting.Status.CANCELLED,
    )
    decision = Decision.objects.create(meeting=meeting, text="Approach agreed.", outcome=Decision.Outcome.APPROVED)
    return {
        "phase": phase,
        "key": key,
        "ordinary": ordinary,
        "undated": undated,
        "meeting": meeting,
        "cancelled": cancelled,
        "decision": decision,
    }


# The public feed ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_feed_has_phases_key_milestones_and_meetings(client, cast: Cast) -> None:
    dates = _strategy_dates(cast.strategy)
    response = client.get(reverse("timeline:calendar", kwargs={"strategy_slug": cast.strategy.slug}))
    calendar = _parse(response)
    assert "no-cache" in response["Cache-Control"]
    assert str(calendar["X-WR-CALNAME"]) == f"{cast.strategy.name}: timeline"
    assert str(calendar["PRODID"]).startswith("-//LIS Portal//")
    assert str(calendar["VERSION"]) == "2.0"

    events = _events(calendar)
    phase, key, meeting = dates["phase"], dates["key"], dates["meeting"]
    assert set(events) == {
        f"phase-{phase.pk}@lis-portal",
        f"milestone-{key.pk}@lis-portal",
        f"meeting-{meeting.pk}@lis-portal",
    }  # no ordinary or undated milestone, no cancelled meeting, no decision

    phase_event = events[f"phase-{phase.pk}@lis-portal"]
    assert phase_event.start == date(2026, 6, 1)
    assert phase_event.end == date(2026, 8, 1)  # all-day: DTEND is the day after the last
    assert "Scoping" in str(phase_event["SUMMARY"])
    assert "Under way since 1 June 2026" in str(phase_event["DESCRIPTION"])

    milestone_event = events[f"milestone-{key.pk}@lis-portal"]
    assert milestone_event.start == date(2026, 6, 20)
    assert milestone_event.end == date(2026, 6, 21)
    assert str(milestone_event["SUMMARY"]) == "Key milestone due: Agree approach"

    meeting_event = events[f"meeting-{meeting.pk}@lis-portal"]
    assert meeting_event.start == datetime(2026, 6, 12, 9, 0, tzinfo=UTC)  # 10:00 BST
    assert meeting_event.end - meeting_event.start == MEETING_LENGTH
    assert str(meeting_event["LOCATION"]) == "County Hall, Maidstone"
    assert "https://meet.example.org/board" in str(meeting_event["DESCRIPTION"])
    assert str(meeting_event["STATUS"]) == "CONFIRMED"

    assert str(meeting_event["URL"]) == f"http://testserver{meeting.get_absolute_url()}"  # its public page
    for event in events.values():
        assert isinstance(event.stamp, datetime)
        if event is not meeting_event:
            assert str(event["URL"]) == f"http://testserver/{cast.strategy.slug}/timeline/"


@pytest.mark.django_db
def test_public_feed_uids_are_stable(client, cast: Cast) -> None:
    _strategy_dates(cast.strategy)
    url = reverse("timeline:calendar", kwargs={"strategy_slug": cast.strategy.slug})
    first = _events(_parse(client.get(url)))
    second = _events(_parse(client.get(url)))
    assert set(first) == set(second)
    assert str(_parse(client.get(url))["UID"]) == f"strategy-{cast.strategy.pk}@lis-portal"


@pytest.mark.django_db
def test_public_feed_query_count_does_not_grow(client, cast: Cast, django_assert_num_queries) -> None:
    dates = _strategy_dates(cast.strategy)
    url = reverse("timeline:calendar", kwargs={"strategy_slug": cast.strategy.slug})
    with django_assert_num_queries(4):  # strategy, phases, their milestones, meetings
        client.get(url)
    for n in range(60):
        MilestoneFactory(phase=dates["phase"], title=f"Key {n}", is_key=True, due_date=date(2026, 7, 1))
        Meeting.objects.create(
            board=dates["meeting"].board, title=f"Meeting {n}", starts_at=datetime(2026, 6, 1, 9, tzinfo=UTC)
        )
    with django_assert_num_queries(4):
        response = client.get(url)
    assert len(_events(_parse(response))) == 3 + 60 + 60


# The personal feed --------------------------------------------------------------------------


@pytest.fixture
def personal(cast: Cast) -> dict[str, Any]:
    """The board member owns milestones in both strategies and sits on a board of each."""
    person = cast.board_member
    dates = _strategy_dates(cast.strategy)
    dates["key"].owner = person
    dates["key"].save()
    other_board = BoardFactory(strategy=cast.other_strategy, name="Berkshire Federated Board")
    BoardMembershipFactory(board=other_board, user=person)
    other_phase = PhaseFactory(strategy=cast.other_strategy, name="Scoping")
    return {
        **dates,
        "person": person,
        "mine_elsewhere": MilestoneFactory(
            phase=other_phase, title="Berkshire task", owner=person, due_date=date(2026, 6, 5)
        ),
        "mine_done": MilestoneFactory(
            phase=other_phase,
            title="Done already",
            owner=person,
            due_date=date(2026, 6, 2),
            status=Milestone.Status.DONE,
            completed_on=date(2026, 6, 1),
        ),
        "mine_undated": MilestoneFactory(phase=other_phase, title="No date", owner=person),
        "someone_elses": MilestoneFactory(
            phase=other_phase, title="Not mine", owner=cast.other_officer, due_date=date(2026, 6, 5)
        ),
        "other_board_meeting": Meeting.objects.create(
            board=other_board, title="Berkshire board", starts_at=datetime(2026, 6, 20, 14, tzinfo=LONDON)
        ),
        "not_my_board": Meeting.objects.create(
            board=BoardFactory(strategy=cast.other_strategy, name="Another board"),
            title="Not my board",
            starts_at=datetime(2026, 6, 21, 14, tzinfo=LONDON),
        ),
        "feed": calendar_feed_get_or_create(user=person),
    }


def _feed_url(token: str) -> str:
    return reverse("calendars:calendar-feed", kwargs={"token": token})


@pytest.mark.django_db
def test_personal_feed_has_my_milestones_and_my_boards_meetings(client, personal) -> None:
    response = client.get(_feed_url(personal["feed"].token))  # no sign-in: the token is the key
    calendar = _parse(response)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert str(calendar["X-WR-CALNAME"]) == "LIS Portal: my milestones and meetings"

    events = _events(calendar)
    assert set(events) == {
        f"milestone-{personal['key'].pk}@lis-portal",
        f"milestone-{personal['mine_elsewhere'].pk}@lis-portal",
        f"meeting-{personal['meeting'].pk}@lis-portal",
        f"meeting-{personal['cancelled'].pk}@lis-portal",
        f"meeting-{personal['other_board_meeting'].pk}@lis-portal",
    }
    elsewhere = events[f"milestone-{personal['mine_elsewhere'].pk}@lis-portal"]
    assert elsewhere.start == date(2026, 6, 5)
    assert "Berkshire task" in str(elsewhere["SUMMARY"])
    assert str(elsewhere["URL"]).endswith(personal["mine_elsewhere"].get_absolute_url())
    cancelled = events[f"meeting-{personal['cancelled'].pk}@lis-portal"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Cancelled: ")
    berkshire = events[f"meeting-{personal['other_board_meeting'].pk}@lis-portal"]
    assert berkshire.start == datetime(2026, 6, 20, 13, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_personal_feed_query_count_does_not_grow(client, personal, django_assert_num_queries) -> None:
    url = _feed_url(personal["feed"].token)
    with django_assert_num_queries(3):  # the feed and its person, milestones, meetings
        client.get(url)
    for n in range(40):
        MilestoneFactory(
            phase=personal["phase"], title=f"Mine {n}", owner=personal["person"], due_date=date(2026, 7, 1)
        )
    with django_assert_num_queries(3):
        response = client.get(url)
    assert len(_events(_parse(response))) == 5 + 40


@pytest.mark.django_db
def test_unknown_token_is_404(client, personal) -> None:
    assert client.get(_feed_url("not-a-token")).status_code == 404
    assert client.get(_feed_url(personal["feed"].token[:-1])).status_code == 404


@pytest.mark.django_db
def test_feed_of_a_deactivated_person_is_404(client, personal) -> None:
    person = personal["person"]
    person.is_active = False
    person.save()
    assert client.get(_feed_url(personal["feed"].token)).status_code == 404


# The settings page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_settings_page_needs_sign_in(client) -> None:
    url = reverse("calendars:calendar-settings")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert client.post(url).status_code == 302
    assert not CalendarFeed.objects.exists()


@pytest.mark.django_db
def test_settings_page_shows_the_secret_address(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    response = client.get(reverse("calendars:calendar-settings"))
    assert response.status_code == 200
    feed = CalendarFeed.objects.get(user=cast.officer)
    html = response.content.decode()
    assert f"http://testserver/calendar/{feed.token}.ics" in html
    assert f"webcal://testserver/calendar/{feed.token}.ics" in html
    assert "Anyone who has this address can see" in html
    assert "Reset the address" in html
    assert "private" in response["Cache-Control"]
    # A second visit shows the same address.
    client.get(reverse("calendars:calendar-settings"))
    assert CalendarFeed.objects.get(user=cast.officer).token == feed.token


@pytest.mark.django_db
def test_reset_stops_the_old_address(client, personal) -> None:
    person = personal["person"]
    old = personal["feed"].token
    client.force_login(person)
    response = client.post(reverse("calendars:calendar-settings"))
    assert response.status_code == 302 and response.url == reverse("calendars:calendar-settings")
    assert "has been reset" in str(next(iter(get_messages(response.wsgi_request))))
    new = CalendarFeed.objects.get(user=person).token
    assert new != old
    assert AuditEvent.objects.filter(verb="calendar_feed.reset").exists()

    client.logout()  # calendar apps fetch without signing in
    assert client.get(_feed_url(old)).status_code == 404
    assert len(_events(_parse(client.get(_feed_url(new))))) == 5

    client.force_login(person)
    page = client.get(reverse("calendars:calendar-settings"))
    assert new in page.content.decode() and old not in page.content.decode()


@pytest.mark.django_db
def test_public_feed_leaves_out_decisions_and_other_strategies(client, cast: Cast) -> None:
    _strategy_dates(cast.strategy)
    other = _strategy_dates(cast.other_strategy)
    events = _events(_parse(client.get(reverse("timeline:calendar", kwargs={"strategy_slug": cast.strategy.slug}))))
    assert f"phase-{other['phase'].pk}@lis-portal" not in events
    assert not any(uid.startswith("decision-") for uid in events)
    assert all(event.start >= date(2026, 6, 1) for event in events.values() if not isinstance(event.start, datetime))
    assert timedelta(0) < MEETING_LENGTH
