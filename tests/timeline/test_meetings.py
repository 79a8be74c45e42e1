"""Boards and their meetings: who sees what, officers creating and editing meetings, the agenda,
attendance and declarations, the publication deadlines, and query counts that stay put."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import BoardFactory, BoardMembershipFactory, MilestoneFactory, PhaseFactory, UserFactory
from timeline.models import AgendaItem, Attendance, Board, BoardMembership, Decision, Declaration, Meeting

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 5, 1, 9, 0, tzinfo=LONDON)


def at(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def kent_board(cast: Cast) -> Board:
    return Board.objects.get(strategy=cast.strategy, name="Kent Strategic Board")


def make_meeting(
    board: Board, starts_at: datetime | None = None, *, title: str = "Strategic Board", **fields: object
) -> Meeting:
    return Meeting.objects.create(board=board, title=title, starts_at=starts_at or at(2026, 6, 18), **fields)


def url(name: str, cast: Cast, **kwargs: object) -> str:
    return reverse(f"timeline:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def meeting_page(cast: Cast, pk: int) -> str:
    """The meeting's one page, which moved to documents (timeline's address redirects there)."""
    return reverse("documents:meeting-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": pk})


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    return client


def meeting_post(board: Board, **overrides: str) -> dict[str, str]:
    data = {
        "board": str(board.pk),
        "title": "Strategic Board: agreeing the evidence base",
        "day_0": "4",
        "day_1": "10",
        "day_2": "2026",
        "start_time": "14:00",
        "location": "Kent House, Maidstone",
        "online_url": "",
        "status": Meeting.Status.SCHEDULED,
        "notes": "",
    }
    data.update(overrides)
    return data


# Who sees a meeting ----------------------------------------------------------------------------

PRIVATE = {"officer", "board_member", "admin"}
ROLES = ["officer", "board_member", "admin", "councillor", "partner", "outsider", "other_officer", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
def test_a_meetings_page_is_public_and_its_agenda_from_the_day_papers_are_published(cast: Cast, role: str) -> None:
    meeting = make_meeting(kent_board(cast), starts_at=at(2026, 6, 18))
    AgendaItem.objects.create(meeting=meeting, number=1, title="Skills capital programme")
    client = client_for(cast, role)

    with time_machine.travel(TODAY, tick=False):
        response = client.get(url("meeting-detail", cast, pk=meeting.pk))
        before = client.get(meeting_page(cast, meeting.pk))
        Meeting.objects.filter(pk=meeting.pk).update(papers_published_on=date(2026, 5, 2))
        scheduled = client.get(meeting_page(cast, meeting.pk)).content.decode()
        Meeting.objects.filter(pk=meeting.pk).update(papers_published_on=date(2026, 5, 1))
        after = client.get(meeting_page(cast, meeting.pk)).content.decode()

    # Timeline's address leads everybody to the meeting's one page, in documents.
    assert response.status_code == 302
    assert response["Location"] == meeting_page(cast, meeting.pk)
    assert before.status_code == 200
    assert ("Skills capital programme" in before.content.decode()) == (role in PRIVATE)
    assert ("Skills capital programme" in scheduled) == (role in PRIVATE)
    assert "Skills capital programme" in after
    if role not in PRIVATE:
        assert "The agenda and papers will appear here when they are published" in before.content.decode()
        assert "Published Friday 1 May 2026" in after


def test_a_member_of_another_board_of_the_strategy_reads_only_what_is_published(cast: Cast) -> None:
    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind=Board.Kind.FEDERATED)
    meeting = make_meeting(federated)
    AgendaItem.objects.create(meeting=meeting, number=1, title="Federated business")

    response = client_for(cast, "board_member").get(meeting_page(cast, meeting.pk))

    assert response.status_code == 200
    assert "Federated business" not in response.content.decode()


def test_a_meeting_of_another_strategy_is_404_under_this_strategys_address(cast: Cast) -> None:
    other = make_meeting(Board.objects.get(strategy=cast.other_strategy))

    for role in ("officer", "admin", "anonymous"):
        assert client_for(cast, role).get(url("meeting-detail", cast, pk=other.pk)).status_code == 404
        assert client_for(cast, role).get(meeting_page(cast, other.pk)).status_code == 404
    assert client_for(cast, "officer").get(url("meeting-edit", cast, pk=other.pk)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_meeting_list_is_public(cast: Cast, role: str) -> None:
    make_meeting(kent_board(cast), title="Strategic Board in June")
    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind=Board.Kind.FEDERATED)
    make_meeting(federated, title="Federated Board in June")

    response = client_for(cast, role).get(url("meeting-list", cast))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Strategic Board in June" in page and "Federated Board in June" in page
    assert ("Add a meeting" in page) == (role in {"officer", "admin"})
    assert (url("milestone-list", cast) + "?mine=1" in page) == (role == "board_member")


def test_the_meeting_list_counts_only_the_decisions_a_person_may_see(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast), title="Strategic Board in June")
    Decision.objects.create(meeting=meeting, text="Public", outcome="approved")
    Decision.objects.create(meeting=meeting, text="Private", outcome="approved", is_published=False)

    def count(role: str) -> str:
        page = client_for(cast, role).get(url("meeting-list", cast)).content.decode()
        row = page.split("Strategic Board in June", 1)[1].split("</tr>", 1)[0]
        return row.rsplit('govuk-table__cell--numeric">', 1)[1].split("<", 1)[0]

    assert count("officer") == "2"
    assert count("board_member") == "2"
    assert count("councillor") == "1"
    assert count("anonymous") == "1"


# Boards ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_board_pages_are_public(cast: Cast, role: str) -> None:
    board = kent_board(cast)

    client = client_for(cast, role)

    assert client.get(url("board-list", cast)).status_code == 200
    assert client.get(url("board-detail", cast, pk=board.pk)).status_code == 200
    assert client.get(url("board-calendar", cast, pk=board.pk)).status_code == 200


def test_board_pages_show_members_with_their_organisation_role_and_meetings(cast: Cast) -> None:
    board = kent_board(cast)
    BoardMembershipFactory(
        board=board,
        user=UserFactory(name="Chris Chair"),
        role=BoardMembership.Role.CHAIR,
        organisation_name="Ashford Engineering Ltd",
    )
    BoardMembershipFactory(board=board, user=UserFactory(name="Olly Observer"), role=BoardMembership.Role.OBSERVER)
    meeting = make_meeting(board, starts_at=at(2026, 10, 4))

    anonymous = client_for(cast, "anonymous")
    listing = anonymous.get(url("board-list", cast)).content.decode()
    detail = anonymous.get(url("board-detail", cast, pk=board.pk)).content.decode()

    for page in (listing, detail):
        assert "Chris Chair" in page
        assert "Ashford Engineering Ltd" in page
        assert "Olly Observer" in page
        assert "Kent Board Member" in page
        assert "4 " in page and "Oct" in page
        assert meeting_page(cast, meeting.pk) in page
    assert "(chair)" in listing and "(observer)" in listing
    assert "Chair" in detail and "Observer" in detail
    assert url("board-calendar", cast, pk=board.pk) in detail


def test_a_board_of_another_strategy_is_404(cast: Cast) -> None:
    other = Board.objects.get(strategy=cast.other_strategy)

    assert client_for(cast, "officer").get(url("board-detail", cast, pk=other.pk)).status_code == 404


# Creating and editing meetings -------------------------------------------------------------------


def test_officer_creates_a_meeting(cast: Cast) -> None:
    board = kent_board(cast)

    officer = client_for(cast, "officer")

    response = officer.post(url("meeting-create", cast), meeting_post(board))

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting_page(cast, meeting.pk)
    assert meeting.board == board
    assert meeting.starts_at == at(2026, 10, 4, 14, 0)
    assert meeting.location == "Kent House, Maidstone"
    assert meeting.status == Meeting.Status.SCHEDULED
    assert AuditEvent.objects.filter(verb="meeting.created", target_id=str(meeting.pk)).exists()
    page = officer.get(response["Location"]).content.decode()
    assert "Strategic Board: agreeing the evidence base has been added." in page


@pytest.mark.parametrize("role", ["board_member", "councillor", "partner", "outsider", "other_officer"])
def test_only_officers_create_and_edit_meetings(cast: Cast, role: str) -> None:
    board = kent_board(cast)
    meeting = make_meeting(board)
    client = client_for(cast, role)

    assert client.get(url("meeting-create", cast)).status_code == 404
    assert client.post(url("meeting-create", cast), meeting_post(board)).status_code == 404
    assert client.get(url("meeting-edit", cast, pk=meeting.pk)).status_code == 404
    assert (
        client.post(url("meeting-edit", cast, pk=meeting.pk), meeting_post(board, title="Hijacked")).status_code == 404
    )
    assert Meeting.objects.get().title == "Strategic Board"


def test_a_meeting_needs_a_date_and_a_time(cast: Cast) -> None:
    board = kent_board(cast)

    response = client_for(cast, "officer").post(
        url("meeting-create", cast), meeting_post(board, day_0="", day_1="", day_2="", start_time="25:00")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: Add a meeting" in page
    assert "Enter the date of the meeting" in page
    assert "Enter a time on the 24-hour clock, like 14:00" in page
    assert not Meeting.objects.exists()


def test_a_meeting_can_only_be_of_a_board_of_this_strategy(cast: Cast) -> None:
    other_board = Board.objects.get(strategy=cast.other_strategy)

    response = client_for(cast, "officer").post(url("meeting-create", cast), meeting_post(other_board))

    assert response.status_code == 200
    assert "Choose a board of this strategy" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_part_date_is_an_error_not_an_empty_date(cast: Cast) -> None:
    board = kent_board(cast)

    response = client_for(cast, "officer").post(
        url("meeting-create", cast), meeting_post(board, day_0="28", day_1="", day_2="2026")
    )

    assert response.status_code == 200
    assert "Enter the date of the meeting" in response.content.decode()
    assert not Meeting.objects.exists()


def test_officer_edits_a_meeting(cast: Cast) -> None:
    board = kent_board(cast)
    meeting = make_meeting(board)
    officer = client_for(cast, "officer")

    form_page = officer.get(url("meeting-edit", cast, pk=meeting.pk)).content.decode()
    with time_machine.travel(TODAY, tick=False):
        response = officer.post(
            url("meeting-edit", cast, pk=meeting.pk),
            meeting_post(
                board,
                title="Strategic Board (moved)",
                day_0="19",
                day_1="6",
                day_2="2026",
                start_time="9.30",
                status=Meeting.Status.HELD,
                online_url="https://meet.example.org/kent",
            ),
        )

    assert 'value="18"' in form_page and 'value="14:00"' in form_page
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Strategic Board (moved)"
    assert meeting.starts_at == at(2026, 6, 19, 9, 30)
    assert meeting.status == Meeting.Status.HELD
    assert meeting.papers_published_on is None  # published from the meeting's page, on a chosen day
    assert "Papers published" not in form_page
    assert meeting.online_url == "https://meet.example.org/kent"
    assert AuditEvent.objects.filter(verb="meeting.status_changed", target_id=str(meeting.pk)).exists()


# Deadlines ---------------------------------------------------------------------------------------


def test_meeting_page_shows_deadlines_and_flags_a_missed_one(cast: Cast) -> None:
    # Thu 10 Oct 2019: papers by Wed 2 Oct (published 1 Oct, in time); minutes by Thu 24 Oct
    # (published 30 Oct, late).
    meeting = make_meeting(
        kent_board(cast),
        starts_at=at(2019, 10, 10),
        status=Meeting.Status.MINUTES_PUBLISHED,
        papers_published_on=date(2019, 10, 1),
        minutes_published_on=date(2019, 10, 30),
    )

    page = client_for(cast, "officer").get(meeting_page(cast, meeting.pk)).content.decode()

    papers = page.split('id="papers-deadline"', 1)[1].split("</dd>", 1)[0]
    minutes = page.split('id="minutes-deadline"', 1)[1].split("</dd>", 1)[0]
    assert "Published Tuesday 1 October 2019." in papers
    assert "govuk-tag--red" not in papers
    assert "Due by Thursday 24 October 2019" in minutes
    assert "Published 30 October 2019" in minutes
    assert '<strong class="govuk-tag govuk-tag--red">Deadline missed</strong>' in minutes
    assert "not in the portal’s list yet" not in page


def test_meeting_list_flags_missed_deadlines(cast: Cast) -> None:
    board = kent_board(cast)
    make_meeting(board, title="On time", starts_at=at(2026, 6, 18), papers_published_on=date(2026, 6, 9))
    make_meeting(board, title="Late papers", starts_at=at(2026, 5, 7))

    with time_machine.travel(TODAY, tick=False):
        page = client_for(cast, "officer").get(url("meeting-list", cast)).content.decode()

    late_row = page.split("Late papers", 1)[1].split("</tr>", 1)[0]
    on_time_row = page.split("On time", 1)[1].split("</tr>", 1)[0]
    # Thu 7 May 2026: the early May bank holiday is Mon 4 May, so papers were due by Tue 28 Apr.
    assert "28 Apr 2026" in late_row
    assert "govuk-tag--red" in late_row
    assert "govuk-tag--red" not in on_time_row


def test_deadlines_past_the_bundled_bank_holidays_say_so(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast), starts_at=at(2035, 3, 15))

    officer = client_for(cast, "officer")
    detail = officer.get(meeting_page(cast, meeting.pk)).content.decode()
    listing = officer.get(url("meeting-list", cast)).content.decode()

    for page in (detail, listing):
        assert "are not in the portal’s list yet" in page
        assert "bank holidays not counted" in page


def test_a_cancelled_meeting_misses_no_deadline(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast), starts_at=at(2019, 10, 10), status=Meeting.Status.CANCELLED)

    page = client_for(cast, "officer").get(meeting_page(cast, meeting.pk)).content.decode()

    assert "Deadline missed" not in page
    assert "Record decision" not in page


# Agenda, attendance, declarations -----------------------------------------------------------------


def test_officer_adds_agenda_items_numbered_in_turn(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast))
    officer = client_for(cast, "officer")

    first = officer.post(url("agenda-item-create", cast, pk=meeting.pk), {"title": "Welcome and apologies"})
    second = officer.post(
        url("agenda-item-create", cast, pk=meeting.pk), {"title": "The evidence base", "presenter": "Head of Strategy"}
    )

    assert first.status_code == second.status_code == 302
    assert list(meeting.agenda_items.values_list("number", "title")) == [
        (1, "Welcome and apologies"),
        (2, "The evidence base"),
    ]
    page = officer.get(meeting_page(cast, meeting.pk)).content.decode()
    assert "1. Welcome and apologies" in page
    assert "2. The evidence base" in page
    assert "Presented by Head of Strategy" in page


def test_an_agenda_item_needs_a_title(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast))

    response = client_for(cast, "officer").post(url("agenda-item-create", cast, pk=meeting.pk), {"title": ""})

    assert response.status_code == 200
    assert "Enter the title of the agenda item" in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(
    "name", ["agenda-item-create", "attendance-edit", "declaration-create", "decision-create", "meeting-edit"]
)
@pytest.mark.parametrize("role", ["board_member", "councillor", "outsider", "anonymous"])
def test_only_officers_reach_the_meeting_actions(cast: Cast, name: str, role: str) -> None:
    meeting = make_meeting(kent_board(cast))

    response = client_for(cast, role).get(url(name, cast, pk=meeting.pk))

    assert response.status_code == (302 if role == "anonymous" else 404)


def test_officer_records_attendance_for_each_member(cast: Cast) -> None:
    board = kent_board(cast)
    chair = BoardMembershipFactory(board=board, user=UserFactory(name="Chris Chair"), role="chair").user
    meeting = make_meeting(board)
    officer = client_for(cast, "officer")

    form_page = officer.get(url("attendance-edit", cast, pk=meeting.pk)).content.decode()
    response = officer.post(
        url("attendance-edit", cast, pk=meeting.pk),
        {f"member_{chair.pk}": "present", f"member_{cast.board_member.pk}": "apologies"},
    )

    assert "Chris Chair (chair)" in form_page
    assert form_page.count('type="radio"') == 6
    assert response.status_code == 302
    assert dict(meeting.attendance.values_list("user__name", "status")) == {
        "Chris Chair": "present",
        "Kent Board Member": "apologies",
    }
    page = officer.get(meeting_page(cast, meeting.pk)).content.decode()
    attendance = page.split('id="attendance"', 1)[1].split("</table>", 1)[0]
    assert "Present" in attendance and "Apologies" in attendance


def test_attendance_needs_a_status_for_every_member(cast: Cast) -> None:
    board = kent_board(cast)
    chair = BoardMembershipFactory(board=board, user=UserFactory(name="Chris Chair"), role="chair").user
    meeting = make_meeting(board)

    response = client_for(cast, "officer").post(
        url("attendance-edit", cast, pk=meeting.pk), {f"member_{chair.pk}": "present"}
    )

    assert response.status_code == 200
    assert "Choose present, apologies or absent for Kent Board Member" in response.content.decode()
    assert not Attendance.objects.exists()


def test_officer_adds_a_declaration_shown_under_its_agenda_item(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast))
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Skills funding")
    officer = client_for(cast, "officer")

    response = officer.post(
        url("declaration-create", cast, pk=meeting.pk),
        {"user": cast.board_member.pk, "agenda_item": item.pk, "interest": "Governor of Kent College; left the room."},
    )

    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert (declaration.user, declaration.agenda_item) == (cast.board_member, item)
    page = officer.get(meeting_page(cast, meeting.pk)).content.decode()
    item_block = page.split('id="item-1"', 1)[1].split("</li>", 2)[0]
    assert "Kent Board Member: Governor of Kent College; left the room." in page
    assert "Declarations of interest" in item_block


def test_a_declaration_is_only_for_a_member_of_the_board_and_an_item_of_the_meeting(cast: Cast) -> None:
    board = kent_board(cast)
    meeting = make_meeting(board)
    elsewhere = AgendaItem.objects.create(meeting=make_meeting(board, title="Another"), number=1, title="Other")
    AgendaItem.objects.create(meeting=meeting, number=1, title="Skills funding")

    response = client_for(cast, "officer").post(
        url("declaration-create", cast, pk=meeting.pk),
        {"user": cast.councillor.pk, "agenda_item": elsewhere.pk, "interest": "A conflict"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a member of this meeting’s board" in page
    assert "Choose an item on this meeting’s agenda" in page
    assert not Declaration.objects.exists()


def test_a_meeting_without_agenda_asks_for_an_item_before_a_declaration(cast: Cast) -> None:
    meeting = make_meeting(kent_board(cast))

    page = client_for(cast, "officer").get(url("declaration-create", cast, pk=meeting.pk)).content.decode()

    assert "this meeting has none yet" in page


# Query counts ------------------------------------------------------------------------------------


def _fill_meeting(cast: Cast, meeting: Meeting, size: int) -> None:
    board = meeting.board
    for n in range(1, size + 1):
        member = BoardMembershipFactory(board=board, user=UserFactory(name=f"Member {n:02d}")).user
        item = AgendaItem.objects.create(meeting=meeting, number=n, title=f"Item {n}")
        Attendance.objects.create(meeting=meeting, user=member, status=Attendance.Status.PRESENT)
        Declaration.objects.create(agenda_item=item, user=member, interest="An interest")
        decision = Decision.objects.create(meeting=meeting, agenda_item=item, text=f"Decision {n}", outcome="approved")
        phase = PhaseFactory(strategy=cast.strategy) if n == 1 else cast.strategy.phases.get()
        MilestoneFactory(phase=phase, decision=decision, owner=member, due_date=date(2026, 7, 1))


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("role", "queries"), [("officer", 22), ("board_member", 23)])
def test_meeting_detail_query_count_does_not_grow(
    cast: Cast, size: int, role: str, queries: int, django_assert_num_queries
) -> None:
    """The meeting's one page (documents'): session, user, two-factor device, strategy, the person's roles, the
    meeting, then the meeting again with its agenda, declarations and their people, attendance
    and its people, decisions, their actions and owners, and the board's members; the papers and
    their appendices, and the packs (an officer also the draft, for the pack request); the minutes' versions;
    a board member their register's entries, for "Your interests that may apply"."""
    meeting = make_meeting(kent_board(cast))
    _fill_meeting(cast, meeting, size)
    client = client_for(cast, role)

    with django_assert_num_queries(queries):
        response = client.get(meeting_page(cast, meeting.pk))

    assert response.status_code == 200
    assert response.content.decode().count("Decision ") >= size


@pytest.mark.parametrize("size", [2, 20])
def test_meeting_list_query_count_does_not_grow(cast: Cast, size: int, django_assert_num_queries) -> None:
    board = kent_board(cast)
    for n in range(size):
        meeting = make_meeting(board, title=f"Meeting {n}", starts_at=at(2026, 1 + n % 12, 1 + n))
        Decision.objects.create(meeting=meeting, text="Agreed", outcome="approved")
    member = client_for(cast, "board_member")

    with django_assert_num_queries(8):  # 7, and the device that verified the member's sign-in
        response = member.get(url("meeting-list", cast))

    assert response.content.decode().count('class="govuk-tag govuk-tag--') >= size


@pytest.mark.parametrize("size", [2, 20])
def test_board_list_query_count_does_not_grow(cast: Cast, size: int, django_assert_num_queries) -> None:
    for n in range(size):
        board = BoardFactory(strategy=cast.strategy, name=f"Federated Board {n}", kind=Board.Kind.FEDERATED)
        BoardMembershipFactory(board=board)
        make_meeting(board)
    councillor = client_for(cast, "councillor")

    with django_assert_num_queries(9):
        response = councillor.get(url("board-list", cast))

    assert response.content.decode().count('class="govuk-summary-card__title"') == size + 1
