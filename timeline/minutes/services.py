"""Every change to a meeting's minutes, each in one transaction with its audit event.

The states of a version: draft → circulated (each board member emailed a link) → approved (a
decision of a later meeting of the same board) → published (on a chosen day). A published version
is never edited: `minutes_correct` publishes the next version with its reason. Refusals are
ApplicationErrors that say what to do.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import User
from core.services import audit_record, email_queue

from ..models import BoardMembership, Decision, Meeting, Minutes
from ..services import decision_record

EDITABLE = (Minutes.Status.DRAFT, Minutes.Status.CIRCULATED)


def _meeting_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.starts_at).date()


def _clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise ApplicationError("Enter the minutes.", field="body")
    return text + "\n"


def _lock(minutes: Minutes) -> Minutes:
    return Minutes.objects.select_for_update().select_related("meeting__board__strategy").get(pk=minutes.pk)


def minutes_draft(*, actor: User, meeting: Meeting, body: str) -> Minutes:
    """Start the minutes of `meeting`: version 1, a draft."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("board__strategy").get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ApplicationError("This meeting was cancelled, so it has no minutes.")
        if meeting.minutes.exists():
            raise ApplicationError("This meeting’s minutes are already started: edit them instead.")
        minutes = Minutes(meeting=meeting, number=1, body=_clean_body(body), created_by=actor)
        validate(minutes)
        minutes.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.MINUTES_DRAFTED,
            target=minutes,
            strategy=meeting.board.strategy,
            data={"number": minutes.number},
        )
    return minutes


def minutes_update(*, actor: User, minutes: Minutes, body: str, version: int) -> Minutes:
    """Save an edit of a draft or circulated version made on `version`; refused if someone saved
    it since (with both texts), or once it is approved."""
    with transaction.atomic():
        current = _lock(minutes)
        refuse_if_stale(
            current, version=version, noun="draft of the minutes", saved={"body": current.body}, yours={"body": body}
        )
        if current.status not in EDITABLE:
            raise ApplicationError(
                f"Version {current.number} of these minutes is {current.get_status_display().lower()}, so it can no "
                "longer be changed. Correct the published minutes instead, which makes a new version."
            )
        text = _clean_body(body)
        if text == current.body:
            return current
        current.body = text
        validate(current, exclude=["version"])
        save_new_version(current)
        audit_record(
            actor=actor,
            verb=AuditVerb.MINUTES_CHANGED,
            target=current,
            strategy=current.meeting.board.strategy,
            data={"number": current.number, "status": current.status},
        )
    return current


def _minutes_link(minutes: Minutes) -> str:
    meeting = minutes.meeting
    path = reverse("timeline:minutes-detail", kwargs={"strategy_slug": meeting.board.strategy.slug, "pk": meeting.pk})
    return str(settings.SITE_URL).rstrip("/") + path


def minutes_circulate(*, actor: User, minutes: Minutes) -> int:
    """Send the draft to the members of the meeting's board (each emailed a link, through the
    outbox) and mark it circulated. Returns how many were emailed."""
    with transaction.atomic():
        current = _lock(minutes)
        meeting = current.meeting
        if current.status != Minutes.Status.DRAFT:
            raise ApplicationError(
                f"These minutes are already {current.get_status_display().lower()}: only a draft is circulated."
            )
        if meeting.starts_at > timezone.now():
            raise ApplicationError(
                f"The meeting has not taken place yet: circulate its minutes after {_meeting_day(meeting):%-d %B %Y}."
            )
        members = [
            membership.user
            for membership in BoardMembership.objects.filter(board=meeting.board, user__is_active=True)
            .exclude(user__email="")
            .select_related("user")
            .order_by("user__name")
        ]
        if not members:
            raise ApplicationError(f"The {meeting.board} has no members to circulate the minutes to. Add them first.")
        current.status = Minutes.Status.CIRCULATED
        current.circulated_at = timezone.now()
        validate(current, exclude=["version"])
        save_new_version(current)
        # The meeting's record of it, which its deadline (and the officers' reminders) read.
        Meeting.objects.filter(pk=meeting.pk, minutes_circulated_on__isnull=True).update(
            minutes_circulated_on=timezone.localdate()
        )
        link = _minutes_link(current)
        for member in members:
            email_queue(
                to=member.email,
                subject=f"Draft minutes of {meeting.title}, {_meeting_day(meeting):%-d %B %Y}",
                body=render_to_string(
                    "timeline/email/minutes_circulated.txt",
                    {"member": member, "meeting": meeting, "minutes": current, "link": link},
                ),
                strategy=meeting.board.strategy,
            )
        audit_record(
            actor=actor,
            verb=AuditVerb.MINUTES_CIRCULATED,
            target=current,
            strategy=meeting.board.strategy,
            data={"number": current.number, "recipients": len(members)},
        )
    return len(members)


def approval_text(meeting: Meeting) -> str:
    return f"The minutes of the meeting on {_meeting_day(meeting):%-d %B %Y} were approved as a correct record."


def minutes_approve(*, actor: User, minutes: Minutes, at_meeting: Meeting) -> Decision:
    """Record that `at_meeting` (a later meeting of the same board, which has begun) approved the
    circulated minutes as a correct record: a decision of that meeting, outcome approved."""
    with transaction.atomic():
        current = _lock(minutes)
        meeting = current.meeting
        if current.status != Minutes.Status.CIRCULATED:
            raise ApplicationError(
                "Only minutes circulated to the board can be approved: circulate them first."
                if current.status == Minutes.Status.DRAFT
                else f"These minutes are already {current.get_status_display().lower()}."
            )
        if at_meeting.board_id != meeting.board_id:
            raise ApplicationError(
                f"Minutes are approved by the board that met: choose a meeting of the {meeting.board}.", field="meeting"
            )
        if at_meeting.starts_at <= meeting.starts_at:
            raise ApplicationError(
                "Minutes are approved at a later meeting: choose one after this meeting.", field="meeting"
            )
        if at_meeting.status == Meeting.Status.CANCELLED:
            raise ApplicationError(f"{at_meeting} was cancelled: choose the meeting that met.", field="meeting")
        if at_meeting.starts_at > timezone.now():
            raise ApplicationError(
                f"{at_meeting.title} has not met yet: record the approval on or after "
                f"{_meeting_day(at_meeting):%-d %B %Y}.",
                field="meeting",
            )
        decision = decision_record(
            actor=actor, meeting=at_meeting, text=approval_text(meeting), outcome=Decision.Outcome.APPROVED
        )
        current.status = Minutes.Status.APPROVED
        current.approved_by_decision = decision
        validate(current, exclude=["version"])
        save_new_version(current)
        audit_record(
            actor=actor,
            verb=AuditVerb.MINUTES_APPROVED,
            target=current,
            strategy=meeting.board.strategy,
            data={"number": current.number, "approved_at": str(at_meeting), "decision": decision.pk},
        )
    return decision


def _check_publication_day(*, minutes: Minutes, on: date, earliest: date, after: str) -> None:
    if on < earliest:
        raise ApplicationError(
            f"The minutes cannot be published before {after} ({earliest:%-d %B %Y}). Choose that day or later.",
            field="published_on",
        )


def _mark_meeting_published(*, actor: User, meeting: Meeting, on: date) -> None:
    """The meeting's own record of it, which the deadlines and reminders read."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = meeting.status
    meeting.minutes_published_on = meeting.minutes_published_on or on
    if meeting.status != Meeting.Status.CANCELLED:
        meeting.status = Meeting.Status.MINUTES_PUBLISHED
    meeting.save(update_fields=["minutes_published_on", "status"])
    if before != meeting.status:
        audit_record(
            actor=actor,
            verb=AuditVerb.MEETING_STATUS_CHANGED,
            target=meeting,
            strategy=meeting.board.strategy,
            data={"from": before, "to": meeting.status},
        )


def minutes_publish(*, actor: User, minutes: Minutes, on: date | None = None) -> Minutes:
    """Publish approved minutes: they appear publicly from `on` (today by default), and the
    meeting records its minutes published."""
    day = on or timezone.localdate()
    with transaction.atomic():
        current = _lock(minutes)
        if current.status != Minutes.Status.APPROVED:
            raise ApplicationError(
                "Only approved minutes can be published: record their approval at the board’s next meeting first."
                if current.status in EDITABLE
                else "These minutes are already published. To change them, correct them: that makes a new version."
            )
        decision = current.approved_by_decision
        assert decision is not None and decision.meeting is not None  # approval is a decision of a meeting
        _check_publication_day(
            minutes=current, on=day, earliest=_meeting_day(decision.meeting), after="the meeting that approved them"
        )
        current.status = Minutes.Status.PUBLISHED
        current.published_on = day
        validate(current, exclude=["version"])
        save_new_version(current)
        _mark_meeting_published(actor=actor, meeting=current.meeting, on=day)
        audit_record(
            actor=actor,
            verb=AuditVerb.MINUTES_PUBLISHED,
            target=current,
            strategy=current.meeting.board.strategy,
            data={"number": current.number, "published_on": day.isoformat()},
        )
    return current


def minutes_correct(*, actor: User, minutes: Minutes, body: str, reason: str, on: date | None = None) -> Minutes:
    """Correct published minutes: the next version, published from `on` (today by default) with
    its reason. The version it replaces is kept, unchanged, and stays readable."""
    day = on or timezone.localdate()
    with transaction.atomic():
        current = _lock(minutes)
        meeting = Meeting.objects.select_for_update().select_related("board__strategy").get(pk=current.meeting_id)
        latest = meeting.minutes.aggregate(n=Max("number"))["n"]
        if current.status != Minutes.Status.PUBLISHED or current.number != latest:
            raise ApplicationError(
                "Only the latest published version of the minutes can be corrected.",
            )
        text = _clean_body(body)
        if text == current.body:
            raise ApplicationError(
                "The correction is the same as the published text: change the minutes.", field="body"
            )
        if not reason.strip():
            raise ApplicationError("Say why the minutes are corrected: readers see it.", field="reason")
        assert current.published_on is not None
        _check_publication_day(minutes=current, on=day, earliest=current.published_on, after="the version it corrects")
        correction = Minutes(
            meeting=meeting,
            number=current.number + 1,
            body=text,
            status=Minutes.Status.PUBLISHED,
            circulated_at=current.circulated_at,
            approved_by_decision_id=current.approved_by_decision_id,
            published_on=day,
            correction_reason=reason.strip(),
            created_by=actor,
        )
        validate(correction)
        try:
            correction.save()
        except IntegrityError as error:
            raise ApplicationError("Someone corrected these minutes at the same time: reload the page.") from error
        audit_record(
            actor=actor,
            verb=AuditVerb.MINUTES_CORRECTED,
            target=correction,
            strategy=meeting.board.strategy,
            data={"number": correction.number, "published_on": day.isoformat(), "reason": correction.correction_reason},
        )
    return correction
