"""Registers of interests: the services' rules, the matching, the yearly reminder (once), the pages
and declaring from the register on the meeting page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.audit import AuditVerb
from core.exceptions import ApplicationError
from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import BoardMembershipFactory, UserFactory
from tests.timeline.conftest import Process
from timeline.interests import services
from timeline.interests.matching import entry_matches, names_in
from timeline.interests.selectors import declare_panel, interests_todos_for, register_rows_for_strategy
from timeline.interests.services import DeclarationChoice, Nature
from timeline.models import AgendaItem, BoardMembership, Declaration, InterestEntry, InterestRegister

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 20)


def _data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "category": InterestEntry.Category.DIRECTORSHIP,
        "description": "Non-executive director",
        "organisation": "Example Business Group",
        "starts_on": TODAY - timedelta(days=10),
        "gift_value": None,
    }
    return data | overrides


def _membership(cast: Cast, process: Process) -> BoardMembership:
    return BoardMembership.objects.get(board=process.board, user=cast.board_member)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 7, 20), tick=False):
        yield


# Services --------------------------------------------------------------------------------------


def test_a_member_adds_an_entry_and_the_trail_records_it(cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    assert entry.register.user == cast.board_member and entry.registered_on == TODAY
    assert not entry.registered_late
    event = AuditEvent.objects.get(verb=AuditVerb.INTEREST_ENTRY_ADDED)
    assert event.sentence == "Interest added to the register of Kent Board Member by Kent Board Member"


def test_an_entry_added_more_than_28_days_after_it_started_is_registered_late(cast: Cast, process: Process) -> None:
    InterestRegister.objects.create(strategy=cast.strategy, user=cast.board_member, opened_on=date(2025, 1, 6))

    def add(days_ago: int, description: str) -> InterestEntry:
        return services.interest_entry_add(
            actor=cast.board_member,
            strategy=cast.strategy,
            member=cast.board_member,
            data=_data(starts_on=TODAY - timedelta(days=days_ago), description=description),
        )

    assert not add(28, "Director").registered_late
    assert add(29, "Trustee").registered_late


def test_what_a_member_held_on_joining_is_late_only_28_days_after_the_register_opened(
    cast: Cast, process: Process
) -> None:
    register = InterestRegister.objects.create(strategy=cast.strategy, user=cast.board_member, opened_on=TODAY)
    entry = services.interest_entry_add(
        actor=cast.board_member,
        strategy=cast.strategy,
        member=cast.board_member,
        data=_data(starts_on=date(2015, 4, 1)),
    )
    assert entry.register == register and not entry.registered_late
    InterestRegister.objects.filter(pk=register.pk).update(opened_on=TODAY - timedelta(days=29))
    entry.refresh_from_db()
    assert entry.registered_late


def test_one_register_per_person_per_strategy_however_many_boards(cast: Cast, process: Process) -> None:
    second = process.board.strategy.boards.create(name="Federated board", kind="federated")
    BoardMembershipFactory(board=second, user=cast.board_member)
    for description in ("Director", "Trustee"):
        services.interest_entry_add(
            actor=cast.board_member,
            strategy=cast.strategy,
            member=cast.board_member,
            data=_data(description=description),
        )
    assert InterestRegister.objects.filter(user=cast.board_member).count() == 1
    rows = register_rows_for_strategy(strategy=cast.strategy, today=TODAY)
    (row,) = [row for row in rows if row.member == cast.board_member]
    assert row.current_count == 2 and len(row.boards) == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"starts_on": TODAY + timedelta(days=1)}, "starts_on"),
        ({"category": "gift", "gift_value": None}, "gift_value"),
        ({"category": "gift", "gift_value": 50}, "gift_value"),
        # A value typed for another kind of interest is refused, never silently dropped.
        ({"category": "securities", "gift_value": 500}, "gift_value"),
        ({"description": ""}, "description"),
    ],
)
def test_an_entry_is_refused_with_a_reason(
    cast: Cast, process: Process, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as error:
        services.interest_entry_add(
            actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data(**overrides)
        )
    assert error.value.field == field
    assert not InterestEntry.objects.exists()


def test_a_gift_over_the_threshold_shows_a_band(cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member,
        strategy=cast.strategy,
        member=cast.board_member,
        data=_data(category="gift", gift_value=180, description="Dinner"),
    )
    assert entry.gift_band == "£100 to £250"


def test_only_the_member_or_an_officer_changes_a_register(cast: Cast, process: Process) -> None:
    for actor in (cast.councillor, cast.partner, cast.other_officer):
        with pytest.raises(ApplicationError):
            services.interest_entry_add(actor=actor, strategy=cast.strategy, member=cast.board_member, data=_data())
    entry = services.interest_entry_add(
        actor=cast.officer, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    event = AuditEvent.objects.get(verb=AuditVerb.INTEREST_ENTRY_ADDED)
    assert event.data["on_behalf"] is True and event.actor == cast.officer
    assert entry.register.user == cast.board_member


def test_ending_keeps_the_entry_with_its_end_date(cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    with pytest.raises(ApplicationError):
        services.interest_entry_end(actor=cast.board_member, entry=entry, ends_on=TODAY - timedelta(days=11))
    ended = services.interest_entry_end(actor=cast.board_member, entry=entry, ends_on=TODAY - timedelta(days=1))
    assert ended.ends_on == TODAY - timedelta(days=1) and not ended.is_current(TODAY)
    assert InterestEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(ApplicationError, match="already ended"):
        services.interest_entry_end(actor=cast.board_member, entry=ended, ends_on=TODAY)
    assert AuditEvent.objects.filter(verb=AuditVerb.INTEREST_ENTRY_ENDED).count() == 1


def test_an_edit_on_an_old_version_is_refused(cast: Cast, process: Process) -> None:
    from core.exceptions import StaleEditError

    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    services.interest_entry_update(actor=cast.officer, entry=entry, version=1, data=_data(description="Director"))
    with pytest.raises(StaleEditError):
        services.interest_entry_update(actor=cast.board_member, entry=entry, version=1, data=_data(description="Chair"))
    entry.refresh_from_db()
    assert entry.description == "Director" and entry.version == 2


def test_only_the_member_confirms_their_register(cast: Cast, process: Process) -> None:
    with pytest.raises(ApplicationError):
        services.interest_register_review(actor=cast.officer, strategy=cast.strategy)
    register = services.interest_register_review(actor=cast.board_member, strategy=cast.strategy)
    assert register.reviewed_on == TODAY and not register.review_due(TODAY)
    assert register.review_due(TODAY + timedelta(days=365))
    assert AuditEvent.objects.filter(verb=AuditVerb.INTEREST_REGISTER_REVIEWED, actor=cast.board_member).exists()


# Reminders -------------------------------------------------------------------------------------


def test_the_review_reminder_goes_once_until_the_member_reviews(
    cast: Cast, process: Process, django_capture_on_commit_callbacks
) -> None:
    def send(day: date) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.register_review_reminders_send(day=day)

    mail.outbox.clear()
    assert send(TODAY) == 2  # the board members of both strategies, never confirmed
    assert sorted(message.to[0] for message in mail.outbox) == ["board@berkshire.example", "board@kent.example"]
    mail.outbox.clear()
    assert send(TODAY) == 0
    assert send(TODAY + timedelta(days=1)) == 0
    assert not mail.outbox
    services.interest_register_review(actor=cast.board_member, strategy=cast.strategy)
    assert send(TODAY + timedelta(days=364)) == 0
    assert send(TODAY + timedelta(days=365)) == 1
    assert mail.outbox[0].to == [cast.board_member.email]
    assert "register of interests" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(verb=AuditVerb.INTEREST_REVIEW_REMINDED).count() == 3


def test_the_review_due_shows_on_your_work(cast: Cast, process: Process) -> None:
    todos = interests_todos_for(user=cast.board_member, strategy=cast.strategy, today=TODAY)
    assert [todo.label for todo in todos["board_member"]] == ["Your register of interests: review due"]
    assert interests_todos_for(user=cast.councillor, strategy=cast.strategy, today=TODAY) == {}
    services.interest_register_review(actor=cast.board_member, strategy=cast.strategy)
    assert interests_todos_for(user=cast.board_member, strategy=cast.strategy, today=TODAY) == {}


# Matching --------------------------------------------------------------------------------------


def test_names_are_the_capitalised_words_that_are_not_common() -> None:
    assert names_in("Director of Thanet Harbour Trading Ltd", "") == ["Thanet", "Harbour", "Trading"]
    assert names_in("Member of the Kent Chamber of Commerce", "") == ["Chamber", "Commerce"]


def test_an_organisation_in_a_paper_title_matches_and_says_why() -> None:
    match = entry_matches(
        entry_pk=1,
        description="Non-executive director",
        organisation="Example Business Group",
        titles=[
            ("the item’s title", "Growth Deal pipeline: an investment proposal"),
            ("the paper’s title", "An investment proposal from Example Business Group (demo)"),
        ],
    )
    assert match is not None
    assert match.reasons == ("“Example Business Group” is in the paper’s title",)


def test_a_name_in_the_description_matches_whole_words_only() -> None:
    titles = [("the item’s title", "Manston airport: the business case")]
    assert entry_matches(entry_pk=1, description="Land at Manston Road", organisation="", titles=titles)
    assert not entry_matches(entry_pk=1, description="Land at Manstone", organisation="", titles=titles)
    assert not entry_matches(entry_pk=1, description="Director of a business", organisation="", titles=titles)


# Declaring from the register -------------------------------------------------------------------


def _item(process: Process, title: str) -> AgendaItem:
    number = process.meeting.agenda_items.count() + 1
    return AgendaItem.objects.create(meeting=process.meeting, number=number, title=title)


def test_the_meeting_panel_offers_the_matching_entries_to_the_boards_members_only(cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    items = [_item(process, "Skills plan"), _item(process, "Growth Deal pipeline")]
    titles = {items[1].pk: "A proposal from Example Business Group"}
    panel = declare_panel(
        meeting=process.meeting, user=cast.board_member, items=items, paper_titles=titles, today=TODAY
    )
    assert panel is not None
    assert panel.items[0].matches == []
    assert [match.entry for match in panel.items[1].matches] == [entry]
    for person in (cast.officer, cast.councillor, cast.outsider):
        assert (
            declare_panel(meeting=process.meeting, user=person, items=items, paper_titles=titles, today=TODAY) is None
        )
    assert (
        declare_panel(meeting=process.meeting, user=cast.board_member, items=[], paper_titles={}, today=TODAY) is None
    )


def test_declaring_from_the_register_creates_the_declaration_linked_to_its_entries(
    cast: Cast, process: Process
) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    item = _item(process, "Growth Deal pipeline")
    declaration = services.declaration_from_register(
        actor=cast.board_member,
        agenda_item=item,
        choice=DeclarationChoice(entries=[entry], nature=Nature.LEFT_ROOM),
    )
    assert declaration.interest == (
        "Non-executive director (Example Business Group) [directorships]. Left the room for the item."
    )
    assert list(declaration.register_entries.all()) == [entry]
    assert AuditEvent.objects.get(verb=AuditVerb.DECLARATION_FROM_REGISTER).sentence == (
        "Interest declared from the register by Kent Board Member on item 1: I will leave the room for the item"
    )
    with pytest.raises(ApplicationError, match="already declared"):
        services.declaration_from_register(
            actor=cast.board_member, agenda_item=item, choice=DeclarationChoice(entries=[entry], nature="no_part")
        )


def test_declaring_is_refused_with_a_reason(cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    item = _item(process, "Growth Deal pipeline")
    other_member = UserFactory(name="Another Member")
    BoardMembershipFactory(board=process.board, user=other_member)
    cases: list[tuple[Any, DeclarationChoice, str]] = [
        (cast.officer, DeclarationChoice(entries=[entry], nature="no_part"), "members of the meeting"),
        (other_member, DeclarationChoice(entries=[entry], nature="no_part"), "your own register"),
        (cast.board_member, DeclarationChoice(entries=[], nature="no_part"), "Choose the interests"),
        (cast.board_member, DeclarationChoice(entries=[entry], nature="other"), "Say what"),
    ]
    for actor, choice, message in cases:
        with pytest.raises(ApplicationError, match=message):
            services.declaration_from_register(actor=actor, agenda_item=item, choice=choice)
    assert not Declaration.objects.exists()


# Pages -----------------------------------------------------------------------------------------


def test_a_member_adds_an_entry_and_confirms_from_their_register_page(client, cast: Cast, process: Process) -> None:
    membership = _membership(cast, process)
    slug = cast.strategy.slug
    client.force_login(cast.board_member)
    response = client.get(reverse("timeline:interest-register-yours", kwargs={"strategy_slug": slug}))
    page = reverse("timeline:interest-register-detail", kwargs={"strategy_slug": slug, "pk": membership.pk})
    assert response.status_code == 302 and response["Location"] == page
    response = client.post(
        reverse("timeline:interest-entry-create", kwargs={"strategy_slug": slug, "pk": membership.pk}),
        {
            "category": "land",
            "description": "Owner of land at Manston Road",
            "organisation": "",
            "starts_on_0": "1",
            "starts_on_1": "5",
            "starts_on_2": "2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("timeline:interest-register-review", kwargs={"strategy_slug": slug, "pk": membership.pk}))
    html = client.get(page).content.decode()
    assert "Your register of interests" in html and "Owner of land at Manston Road" in html
    board = client.get(reverse("timeline:board-detail", kwargs={"strategy_slug": slug, "pk": process.board.pk}))
    assert f'href="{page}"' in board.content.decode()
    assert "Registered late" not in html and "20 July 2026" in html


def test_a_signed_out_visitor_reads_a_register_with_its_past_entries(client, cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    services.interest_entry_end(actor=cast.board_member, entry=entry, ends_on=TODAY)
    membership = _membership(cast, process)
    url = reverse(
        "timeline:interest-register-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": membership.pk}
    )
    html = client.get(url).content.decode()
    assert "Past interests" in html and "Non-executive director" in html
    assert "Confirm it is up to date" not in html and "Add an interest" not in html


def test_the_register_page_and_the_officers_list_hold_their_queries(
    client, cast: Cast, process: Process, django_assert_max_num_queries
) -> None:
    for n in range(12):
        member = UserFactory(name=f"Member {n}")
        BoardMembershipFactory(board=process.board, user=member)
        for description in ("Director", "Trustee", "Owner"):
            services.interest_entry_add(
                actor=cast.officer, strategy=cast.strategy, member=member, data=_data(description=description)
            )
    client.force_login(cast.officer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("timeline:interest-register-list", kwargs={"strategy_slug": cast.strategy.slug}))
    assert response.status_code == 200 and "Member 11" in response.content.decode()


def test_the_meeting_page_shows_the_panel_and_declares(client, cast: Cast, process: Process) -> None:
    entry = services.interest_entry_add(
        actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data()
    )
    item = _item(process, "Support for Example Business Group")
    client.force_login(cast.board_member)
    meeting_url = process.meeting.get_absolute_url()
    html = client.get(meeting_url).content.decode()
    assert "Your interests that may apply" in html
    assert "“Example Business Group” is in the item’s title" in html
    response = client.post(
        reverse(
            "timeline:declaration-from-register", kwargs={"strategy_slug": cast.strategy.slug, "pk": process.meeting.pk}
        ),
        {"agenda_item": item.pk, "entries": [entry.pk], "nature": "no_part", "details": ""},
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.user == cast.board_member and declaration.agenda_item == item
    html = client.get(meeting_url).content.decode()
    assert "Took no part in the item." in html


def test_your_work_says_the_review_is_due_until_the_member_confirms(client, cast: Cast, process: Process) -> None:
    client.force_login(cast.board_member)
    url = reverse("your-work", kwargs={"strategy_slug": cast.strategy.slug})
    html = client.get(url).content.decode()
    assert "Your register of interests: review due" in html
    assert reverse("timeline:interest-register-yours", kwargs={"strategy_slug": cast.strategy.slug}) in html
    services.interest_register_review(actor=cast.board_member, strategy=cast.strategy)
    assert "Your register of interests: review due" not in client.get(url).content.decode()


def test_a_members_register_is_in_their_data_download(cast: Cast, process: Process) -> None:
    from lis_portal.personal_data import personal_data_collect, personal_data_csv

    services.interest_entry_add(actor=cast.board_member, strategy=cast.strategy, member=cast.board_member, data=_data())
    (entry,) = personal_data_collect(person=cast.board_member)["interests"]
    assert entry["description"] == "Non-executive director" and entry["category"] == "Directorships"
    assert "interest," in personal_data_csv(person=cast.board_member)
