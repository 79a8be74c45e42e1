"""The daily reminders (timeline.reminders_send, beat at 07:00): the milestone digest to owners,
the officers' reminders before a meeting's papers or minutes are due, and the record of deadlines
missed. Each is claimed by a unique ReminderSent row before it is queued, so a second beat, or a
second run the same day, sends nothing again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.audit import AuditVerb
from core.models import AuditEvent, User
from core.selectors import user_list_officers
from core.services import audit_record, email_queue

from .deadlines import working_days_before
from .models import (
    Meeting,
    Milestone,
    ReminderSent,
)
from .selectors import meeting_deadlines, milestone_list_due_for_owner


def _claim_reminder(*, kind: str, user: User, day: date, meeting: Meeting | None = None) -> bool:
    """Record that a reminder goes out; False if one already did (a second beat, a re-run)."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, user=user, day=day, meeting=meeting)
    except IntegrityError:
        return False
    return True


def digest_send_for_day(*, day: date) -> int:
    """Email each owner one digest of their milestones overdue or due within seven days. Sends at
    most one per person per day, however often it runs and however many beats run it."""
    by_owner: dict[int, list[Milestone]] = {}
    for milestone in milestone_list_due_for_owner(today=day, days=7):
        by_owner.setdefault(milestone.owner_id or 0, []).append(milestone)
    sent = 0
    for milestones in by_owner.values():
        owner = milestones[0].owner
        assert owner is not None
        with transaction.atomic():
            if not _claim_reminder(kind=ReminderSent.Kind.DIGEST, user=owner, day=day):
                continue
            overdue = [m for m in milestones if m.due_date and m.due_date < day]
            soon = [m for m in milestones if m.due_date and m.due_date >= day]
            body = render_to_string(
                "timeline/email/digest.txt", {"owner": owner, "overdue": overdue, "soon": soon, "day": day}
            )
            email_queue(
                to=owner.email,
                subject=f"Your LIS milestones: {len(overdue)} overdue, {len(soon)} due this week",
                body=body,
                strategy=milestones[0].phase.strategy,
            )
            sent += 1
    return sent


def publication_reminders_send(*, day: date) -> int:
    """Remind a strategy's officers three working days before a meeting's papers or minutes are
    due, once per officer, meeting and kind."""
    sent = 0
    meetings = (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(starts_at__date__gte=day - timedelta(days=31), starts_at__date__lte=day + timedelta(days=31))
        .select_related("board__strategy")
    )
    for meeting in meetings:
        deadlines = meeting_deadlines(meeting, today=day)
        due: list[tuple[str, date]] = []
        if (
            meeting.papers_published_on is None
            and working_days_before(deadlines.papers.day, 3) <= day <= deadlines.papers.day
        ):
            due.append((ReminderSent.Kind.PAPERS, deadlines.papers.day))
        if (
            meeting.minutes_published_on is None
            and meeting.minutes_circulated_on is None
            and timezone.localtime(meeting.starts_at).date() < day
            and working_days_before(deadlines.minutes.day, 3) <= day <= deadlines.minutes.day
        ):
            due.append((ReminderSent.Kind.MINUTES, deadlines.minutes.day))
        for kind, deadline in due:
            for officer in user_list_officers(strategy=meeting.board.strategy):
                with transaction.atomic():
                    if not _claim_reminder(kind=kind, user=officer, day=day, meeting=meeting):
                        continue
                    what = "agenda and papers" if kind == ReminderSent.Kind.PAPERS else "minutes"
                    body = render_to_string(
                        "timeline/email/publication_reminder.txt",
                        {"officer": officer, "meeting": meeting, "what": what, "deadline": deadline},
                    )
                    email_queue(
                        to=officer.email,
                        subject=f"Publish the {what} of {meeting.title} by {deadline:%-d %B}",
                        body=body,
                        strategy=meeting.board.strategy,
                    )
                    sent += 1
    return sent


def deadline_misses_record(*, day: date) -> int:
    """Write one AuditEvent for each publication deadline a meeting has missed."""
    recorded = 0
    meetings = (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(starts_at__date__gte=day - timedelta(days=60), starts_at__date__lte=day + timedelta(days=14))
        .select_related("board__strategy")
    )
    for meeting in meetings:
        deadlines = meeting_deadlines(meeting, today=day)
        for kind, missed in (("papers", deadlines.papers_missed), ("minutes", deadlines.minutes_missed)):
            if not missed:
                continue
            already = AuditEvent.objects.filter(
                verb=AuditVerb.MEETING_DEADLINE_MISSED,
                target_type__model="meeting",
                target_id=str(meeting.pk),
                data__kind=kind,
            ).exists()
            if already:
                continue
            deadline = deadlines.papers if kind == "papers" else deadlines.minutes
            audit_record(
                actor=None,
                verb=AuditVerb.MEETING_DEADLINE_MISSED,
                target=meeting,
                strategy=meeting.board.strategy,
                data={"kind": kind, "deadline": deadline.day.isoformat()},
            )
            recorded += 1
    return recorded
