"""A meeting's minutes: the text a draft starts from, the states (draft → circulated → approved
at a later meeting → published), each refusal with its reason, the ten-working-day deadline for
circulating, and corrections that keep the version they replace."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import BoardFactory, BoardMembershipFactory, UserFactory
from tests.timeline.conftest import Process
from timeline import reminders as timeline_reminders
from timeline import services as timeline_services
from timeline.minutes import selectors, services
from timeline.models import Attendance, Decision, Meeting, Minutes
from timeline.selectors import meeting_deadlines

pytestmark = pytest.mark.django_db

BODY = "## Attendance\n\nPresent: everyone.\n\n## 1. Evidence\n\nDiscussed and agreed.\n"


def _meeting(process: Process, day: date, title: str = "Strategic Board") -> Meeting:
    return Meeting.objects.create(
        board=process.board, title=title, starts_at=timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    )


@pytest.fixture
def meetings(process: Process) -> tuple[Meeting, Meeting]:
    """Two past meetings of the board: 10 September and 5 November 2026."""
    return _meeting(process, date(2026, 9, 10), "September board"), _meeting(process, date(2026, 11, 5), "November")


def _meeting_after(meeting: Meeting) -> Meeting:
    return Meeting.objects.create(board=meeting.board, title="Another", starts_at=meeting.starts_at + timedelta(days=1))


def _circulated(cast: Cast, meeting: Meeting) -> Minutes:
    minutes = services.minutes_draft(actor=cast.officer, meeting=meeting, body=BODY)
    services.minutes_circulate(actor=cast.officer, minutes=minutes)
    return Minutes.objects.get(pk=minutes.pk)


def _published(cast: Cast, meetings: tuple[Meeting, Meeting], on: date | None = None) -> Minutes:
    first, second = meetings
    minutes = _circulated(cast, first)
    services.minutes_approve(actor=cast.officer, minutes=minutes, at_meeting=second)
    return services.minutes_publish(actor=cast.officer, minutes=Minutes.objects.get(pk=minutes.pk), on=on)


def test_the_draft_starts_from_the_recorded_business(cast: Cast, process: Process, meetings) -> None:
    meeting = meetings[0]
    item = timeline_services.agenda_item_add(
        actor=cast.officer, meeting=meeting, title="Evidence base", presenter="Ann"
    )
    timeline_services.attendance_record(actor=cast.officer, meeting=meeting, statuses={cast.board_member.pk: "present"})
    timeline_services.declaration_add(
        actor=cast.officer, agenda_item=item, user=cast.board_member, interest="Governor of the college"
    )
    timeline_services.decision_record(
        actor=cast.officer, meeting=meeting, text="Evidence agreed.", outcome="approved", agenda_item=item
    )
    text = selectors.minutes_prefill(meeting=meeting)
    assert "**Present:** Kent Board Member" in text
    assert "**Apologies:** None" in text
    assert "- Item 1: Kent Board Member: Governor of the college" in text
    assert "## 1. Evidence base" in text and "Presented by Ann." in text
    assert selectors.DISCUSSION_PROMPT in text
    assert "**Decision (approved):** Evidence agreed." in text


def test_draft_circulate_approve_publish(
    cast: Cast, process: Process, meetings, django_capture_on_commit_callbacks
) -> None:
    first, second = meetings
    second_member = BoardMembershipFactory(board=process.board, user=UserFactory(email="chair@kent.example")).user
    minutes = services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    assert (minutes.number, minutes.status) == (1, Minutes.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.minutes_circulate(actor=cast.officer, minutes=minutes) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["board@kent.example", second_member.email])
    assert mail.outbox[0].subject == "Draft minutes of September board, 10 September 2026"
    assert f"/kent/timeline/meetings/{first.pk}/minutes/" in mail.outbox[0].body
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED and minutes.circulated_at is not None

    decision = services.minutes_approve(actor=cast.officer, minutes=minutes, at_meeting=second)
    assert decision.meeting == second
    assert decision.outcome == Decision.Outcome.APPROVED
    assert decision.text == "The minutes of the meeting on 10 September 2026 were approved as a correct record."
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_by_decision == decision

    published = services.minutes_publish(actor=cast.officer, minutes=minutes, on=date(2026, 11, 9))
    assert published.status == Minutes.Status.PUBLISHED and published.published_on == date(2026, 11, 9)
    first.refresh_from_db()
    assert first.status == Meeting.Status.MINUTES_PUBLISHED
    assert first.minutes_published_on == date(2026, 11, 9)
    verbs = list(AuditEvent.objects.filter(target_type__model="minutes").order_by("pk").values_list("verb", flat=True))
    assert verbs == ["minutes.drafted", "minutes.circulated", "minutes.approved", "minutes.published"]
    assert AuditEvent.objects.filter(verb="meeting.status_changed", target_id=str(first.pk)).exists()


def test_publishing_defaults_to_today(cast: Cast, meetings) -> None:
    assert _published(cast, meetings).published_on == timezone.localdate()


def test_drafting_is_refused_twice_and_for_a_cancelled_meeting(cast: Cast, meetings) -> None:
    first, second = meetings
    services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    with pytest.raises(ApplicationError, match="already started: edit them instead"):
        services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    second.status = Meeting.Status.CANCELLED
    second.save()
    with pytest.raises(ApplicationError, match="cancelled, so it has no minutes"):
        services.minutes_draft(actor=cast.officer, meeting=second, body=BODY)
    with pytest.raises(ApplicationError, match="Enter the minutes") as error:
        services.minutes_draft(actor=cast.officer, meeting=_meeting_after(first), body="   ")
    assert error.value.field == "body"


def test_circulating_is_refused_before_the_meeting_twice_and_without_members(
    cast: Cast, process: Process, meetings
) -> None:
    future = _meeting(process, timezone.localdate() + timedelta(days=20), "Future")
    minutes = services.minutes_draft(actor=cast.officer, meeting=future, body=BODY)
    with pytest.raises(ApplicationError, match="has not taken place yet"):
        services.minutes_circulate(actor=cast.officer, minutes=minutes)
    circulated = _circulated(cast, meetings[0])
    with pytest.raises(ApplicationError, match="already circulated to the board: only a draft is circulated"):
        services.minutes_circulate(actor=cast.officer, minutes=circulated)
    empty = BoardFactory(strategy=cast.strategy, name="Empty board")
    lonely = Meeting.objects.create(board=empty, title="Nobody", starts_at=meetings[0].starts_at)
    draft = services.minutes_draft(actor=cast.officer, meeting=lonely, body=BODY)
    with pytest.raises(ApplicationError, match="has no members to circulate the minutes to"):
        services.minutes_circulate(actor=cast.officer, minutes=draft)


def test_approval_is_refused_with_reasons(cast: Cast, process: Process, meetings) -> None:
    first, second = meetings
    draft = services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    with pytest.raises(ApplicationError, match="circulate them first"):
        services.minutes_approve(actor=cast.officer, minutes=draft, at_meeting=second)
    services.minutes_circulate(actor=cast.officer, minutes=draft)
    earlier = _meeting(process, date(2026, 8, 20), "August")
    other_board = BoardFactory(strategy=cast.strategy, name="Federated board", kind="federated")
    elsewhere = Meeting.objects.create(board=other_board, title="Elsewhere", starts_at=second.starts_at)
    future = _meeting(process, timezone.localdate() + timedelta(days=20), "Future")
    cancelled = _meeting(process, date(2026, 10, 1), "Cancelled")
    cancelled.status = Meeting.Status.CANCELLED
    cancelled.save()
    for at, reason in (
        (earlier, "approved at a later meeting"),
        (first, "approved at a later meeting"),
        (elsewhere, "choose a meeting of the Kent Strategic Board"),
        (future, "has not met yet"),
        (cancelled, "was cancelled"),
    ):
        with pytest.raises(ApplicationError, match=reason) as error:
            services.minutes_approve(actor=cast.officer, minutes=draft, at_meeting=at)
        assert error.value.field == "meeting"
    assert not Decision.objects.exists()
    services.minutes_approve(actor=cast.officer, minutes=draft, at_meeting=second)
    with pytest.raises(ApplicationError, match="already approved"):
        services.minutes_approve(actor=cast.officer, minutes=draft, at_meeting=second)


def test_publishing_is_refused_before_approval_and_before_the_approving_meeting(cast: Cast, meetings) -> None:
    first, second = meetings
    minutes = _circulated(cast, first)
    with pytest.raises(ApplicationError, match="Only approved minutes can be published"):
        services.minutes_publish(actor=cast.officer, minutes=minutes)
    services.minutes_approve(actor=cast.officer, minutes=minutes, at_meeting=second)
    with pytest.raises(ApplicationError, match=r"before the meeting that approved them \(5 November 2026\)") as error:
        services.minutes_publish(actor=cast.officer, minutes=minutes, on=date(2026, 11, 4))
    assert error.value.field == "published_on"
    published = services.minutes_publish(actor=cast.officer, minutes=minutes, on=date(2026, 11, 5))
    with pytest.raises(ApplicationError, match=r"already published\. To change them, correct them"):
        services.minutes_publish(actor=cast.officer, minutes=published)


def test_edits_use_the_version_and_stop_at_approval(cast: Cast, meetings) -> None:
    first, second = meetings
    minutes = services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    opened = minutes.version
    saved = services.minutes_update(actor=cast.other_officer, minutes=minutes, body=BODY + "\nMore.", version=opened)
    assert saved.version == opened + 1
    with pytest.raises(StaleEditError) as error:
        services.minutes_update(actor=cast.officer, minutes=minutes, body=BODY + "\nMine.", version=opened)
    assert [conflict.field for conflict in error.value.conflicts] == ["body"]
    services.minutes_circulate(actor=cast.officer, minutes=saved)
    circulated = Minutes.objects.get(pk=minutes.pk)
    edited = services.minutes_update(
        actor=cast.officer, minutes=circulated, body=BODY + "\nAfter comments.", version=circulated.version
    )
    assert edited.status == Minutes.Status.CIRCULATED
    services.minutes_approve(actor=cast.officer, minutes=edited, at_meeting=second)
    approved = Minutes.objects.get(pk=minutes.pk)
    with pytest.raises(ApplicationError, match="approved, so it can no longer be changed"):
        services.minutes_update(actor=cast.officer, minutes=approved, body="Other", version=approved.version)
    assert AuditEvent.objects.filter(verb="minutes.changed").count() == 2


# A meeting on Thursday 10 September 2026: ten clear working days after it end on Thursday 24 September.
DEADLINE = date(2026, 9, 24)


def test_the_ten_working_day_deadline_for_circulating(cast: Cast, process: Process, meetings) -> None:
    first = meetings[0]
    assert selectors.minutes_section(meeting=first, user=cast.officer, today=DEADLINE).deadline.day == DEADLINE
    assert not meeting_deadlines(first, today=DEADLINE).minutes_missed
    assert meeting_deadlines(first, today=DEADLINE + timedelta(days=1)).minutes_missed
    minutes = services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    with time_machine.travel(timezone.make_aware(datetime(2026, 9, 24, 17, 0)), tick=False):
        services.minutes_circulate(actor=cast.officer, minutes=minutes)
    first.refresh_from_db()
    assert first.minutes_circulated_on == DEADLINE
    assert not meeting_deadlines(first, today=date(2026, 12, 1)).minutes_missed  # circulated in time
    # Circulated, the officers are not reminded to publish within the ten days.
    assert timeline_reminders.publication_reminders_send(day=date(2026, 9, 21)) == 0


def test_circulating_late_misses_the_deadline(cast: Cast, process: Process, meetings) -> None:
    first = meetings[0]
    minutes = services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    with time_machine.travel(timezone.make_aware(datetime(2026, 9, 25, 9, 0)), tick=False):
        services.minutes_circulate(actor=cast.officer, minutes=minutes)
    first.refresh_from_db()
    section = selectors.minutes_section(meeting=first, user=cast.officer, today=date(2026, 12, 1))
    assert section.circulated_on == date(2026, 9, 25)
    assert section.circulation_missed
    # The public is not told about the board's private business.
    assert not selectors.minutes_section(meeting=first, user=cast.outsider, today=date(2026, 12, 1)).circulation_missed


def test_a_correction_is_a_new_version_and_keeps_the_old(cast: Cast, meetings) -> None:
    first, _ = meetings
    v1 = _published(cast, meetings, on=date(2026, 11, 9))
    with pytest.raises(ApplicationError, match="Say why") as error:
        services.minutes_correct(actor=cast.officer, minutes=v1, body=BODY + "\nFixed.", reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(ApplicationError, match="same as the published text"):
        services.minutes_correct(actor=cast.officer, minutes=v1, body=BODY, reason="Typo")
    with pytest.raises(ApplicationError, match="before the version it corrects"):
        services.minutes_correct(
            actor=cast.officer, minutes=v1, body=BODY + "\nFixed.", reason="Typo", on=date(2026, 11, 8)
        )
    v2 = services.minutes_correct(
        actor=cast.officer, minutes=v1, body=BODY + "\nFixed.", reason="A name was misspelt", on=date(2026, 11, 20)
    )
    assert (v2.number, v2.status, v2.published_on) == (2, Minutes.Status.PUBLISHED, date(2026, 11, 20))
    assert v2.approved_by_decision_id == v1.approved_by_decision_id
    v1.refresh_from_db()
    assert v1.body == BODY and v1.status == Minutes.Status.PUBLISHED  # never edited in place
    first.refresh_from_db()
    assert first.minutes_published_on == date(2026, 11, 9)  # the first publication meets the deadline
    with pytest.raises(ApplicationError, match="Only the latest published version"):
        services.minutes_correct(actor=cast.officer, minutes=v1, body="Again", reason="Again")

    before = selectors.minutes_section(meeting=first, user=cast.outsider, today=date(2026, 11, 19))
    assert before.current_public == v1 and before.versions[0].replaced_by is None
    assert [row.minutes for row in before.versions] == [v1]
    after = selectors.minutes_section(meeting=first, user=cast.outsider, today=date(2026, 11, 20))
    assert after.current_public == v2
    assert after.versions[0].replaced_by == v2
    assert AuditEvent.objects.get(verb="minutes.corrected").sentence.endswith(
        "version 2, published on 20 November 2026, because A name was misspelt"
    )


def test_the_database_keeps_one_unpublished_version_and_its_dates(cast: Cast, meetings) -> None:
    first = meetings[0]
    services.minutes_draft(actor=cast.officer, meeting=first, body=BODY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.create(meeting=first, number=2, body=BODY, correction_reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.create(meeting=meetings[1], number=1, body=BODY, status="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        Minutes.objects.create(meeting=meetings[1], number=1, body=BODY, status="circulated")


def test_attendance_statuses_are_all_listed(cast: Cast, meetings) -> None:
    text = selectors.minutes_prefill(meeting=meetings[0])
    for status in Attendance.Status:
        assert f"**{status.label}:** None" in text
    assert "None were declared." in text
