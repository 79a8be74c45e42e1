"""Daily reminders: one digest per owner per day, however often the task runs; publication
reminders to officers three working days ahead; missed deadlines audited once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import MilestoneFactory
from tests.timeline.conftest import Process
from timeline import reminders
from timeline.models import Meeting, Milestone, ReminderSent
from timeline.tasks import reminders_send

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 15)


def _own(process: Process, owner, *, due: date, status: str = Milestone.Status.IN_PROGRESS) -> Milestone:
    return MilestoneFactory(phase=process.phases[0], owner=owner, due_date=due, status=status)


def test_one_digest_per_owner_per_day_however_often_it_runs(
    cast: Cast, process: Process, django_capture_on_commit_callbacks
) -> None:
    _own(process, cast.officer, due=DAY - timedelta(days=2))  # overdue
    _own(process, cast.officer, due=DAY + timedelta(days=3))  # due this week
    _own(process, cast.officer, due=DAY + timedelta(days=30))  # not yet
    MilestoneFactory(
        phase=process.phases[0],
        owner=cast.officer,
        due_date=DAY - timedelta(days=1),
        status=Milestone.Status.DONE,
        completed_on=DAY,
    )
    _own(process, cast.councillor, due=DAY + timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.digest_send_for_day(day=DAY) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.digest_send_for_day(day=DAY) == 0  # a second beat, the same day
    assert sorted(m.to[0] for m in mail.outbox) == ["councillor@kent.example", "officer@kent.example"]
    officer_mail = next(m for m in mail.outbox if m.to == ["officer@kent.example"])
    assert "1 overdue, 1 due this week" in officer_mail.subject
    assert ReminderSent.objects.filter(kind="digest", day=DAY).count() == 2
    # The next day it goes again.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.digest_send_for_day(day=DAY + timedelta(days=1)) == 2


def test_publication_reminder_three_working_days_ahead_once(
    cast: Cast, process: Process, django_capture_on_commit_callbacks
) -> None:
    # A meeting on Thu 10 Sep 2026: papers due by Wed 2 Sep (clear days 3, 4, 7, 8, 9 Sep). The
    # reminder goes three working days before that: Thu 27 Aug (Mon 31 Aug is a bank holiday).
    meeting = Meeting.objects.create(
        board=process.board,
        title="September Strategic Board",
        starts_at=timezone.make_aware(datetime(2026, 9, 10, 10, 0)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.publication_reminders_send(day=date(2026, 8, 26)) == 0
        assert reminders.publication_reminders_send(day=date(2026, 8, 27)) == 1
        assert reminders.publication_reminders_send(day=date(2026, 8, 28)) == 0
        assert reminders.publication_reminders_send(day=date(2026, 9, 1)) == 0
    assert [m.to for m in mail.outbox] == [["officer@kent.example"]]
    assert "by 2 September" in mail.outbox[0].subject
    assert meeting.title in mail.outbox[0].body


def test_missed_deadline_is_audited_once(cast: Cast, process: Process) -> None:
    process.meeting.status = Meeting.Status.CANCELLED  # only the meeting below is in question
    process.meeting.save()
    meeting = Meeting.objects.create(
        board=process.board, title="Late papers", starts_at=timezone.make_aware(datetime(2026, 9, 10, 10, 0))
    )
    assert reminders.deadline_misses_record(day=date(2026, 9, 3)) == 1
    assert reminders.deadline_misses_record(day=date(2026, 9, 4)) == 0
    event = AuditEvent.objects.get(verb="meeting.deadline_missed", target_id=str(meeting.pk))
    assert event.data == {"kind": "papers", "deadline": "2026-09-02"}
    assert event.strategy == cast.strategy


def test_the_task_runs_all_three_for_today(cast: Cast, process: Process, django_capture_on_commit_callbacks) -> None:
    _own(process, cast.officer, due=DAY)
    at_seven = datetime(2026, 6, 15, 7, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(at_seven), django_capture_on_commit_callbacks(execute=True):
        first = reminders_send.delay().get()
        second = reminders_send.delay().get()
    assert first["digests"] == 1
    assert second["digests"] == 0
    assert (first["register_reviews"], second["register_reviews"]) == (2, 0)  # each strategy's board member, once
    assert len([m for m in mail.outbox if "register of interests" not in m.subject]) == 1
