"""The Strategic Board's minutes (content/minutes.toml), written through timeline's minutes
services as on their replayed days: a draft from the meeting's recorded business with the demo's
discussion, circulated to the board, approved at a later meeting and published.

Found again by the meeting: minutes already there are left alone, and the meeting's record of them
(status, circulation and publication days), which boards.py brings back to "held", is set again
from them."""

from __future__ import annotations

from datetime import time

from django.utils import timezone

from core.models import User
from timeline.minutes import selectors, services
from timeline.models import Meeting, Minutes

from .content import Content, Entry
from .records import Replay

DRAFTS_AT, STEPS_AT = time(15), time(11)


def _meeting(entry: Entry, key: str, meetings: dict[str, Meeting]) -> Meeting:
    title = entry.text(key)
    if title not in meetings:
        raise entry.error(f"“{key}” is “{title}”, which is not a meeting of boards.toml.")
    return meetings[title]


def _with_discussion(text: str, paragraphs: list[str]) -> str:
    """The portal's draft with the demo's discussion in place of its prompt under each item."""
    for paragraph in paragraphs:
        text = text.replace(selectors.DISCUSSION_PROMPT, paragraph, 1)
    return text.replace(selectors.DISCUSSION_PROMPT + "\n\n", "")


def _sync_meeting(meeting: Meeting) -> None:
    """The meeting's record of its minutes, from the minutes."""
    versions = list(meeting.minutes.order_by("number"))
    first = versions[0]
    published = [minutes.published_on for minutes in versions if minutes.published_on]
    values: dict[str, object] = {
        "minutes_circulated_on": timezone.localtime(first.circulated_at).date() if first.circulated_at else None,
        "minutes_published_on": min(published) if published else None,
    }
    if published and meeting.status != Meeting.Status.CANCELLED:
        values["status"] = Meeting.Status.MINUTES_PUBLISHED
    Meeting.objects.filter(pk=meeting.pk).update(**values)


def load_minutes(content: Content, *, meetings: list[Meeting], replay: Replay, officer: User) -> int:
    """Write each meeting's minutes; returns how many meetings have minutes."""
    file = content.file("minutes.toml", required=[], optional=["minutes"])
    by_title = {meeting.title: meeting for meeting in meetings}
    for entry in file.entries(
        "minutes",
        name="meeting",
        required=["meeting", "drafted_on", "circulated_on", "discussion"],
        optional=["approved_at", "published_on"],
    ):
        meeting = _meeting(entry, "meeting", by_title)
        if not meeting.minutes.exists():
            _write(entry, meeting=meeting, meetings=by_title, replay=replay, officer=officer)
        _sync_meeting(meeting)
    return Minutes.objects.filter(meeting__in=meetings).values("meeting").distinct().count()


def _write(entry: Entry, *, meeting: Meeting, meetings: dict[str, Meeting], replay: Replay, officer: User) -> None:
    if ("approved_at" in entry.data) != ("published_on" in entry.data):
        raise entry.error("“approved_at” and “published_on” go together: minutes are published once approved.")
    with replay.living(entry.day("drafted_on"), DRAFTS_AT):
        body = _with_discussion(selectors.minutes_prefill(meeting=meeting), entry.texts("discussion"))
        minutes = services.minutes_draft(actor=officer, meeting=meeting, body=body)
    with replay.living(entry.day("circulated_on"), STEPS_AT):
        services.minutes_circulate(actor=officer, minutes=minutes)
    if "approved_at" not in entry.data:
        return
    approving = _meeting(entry, "approved_at", meetings)
    with replay.living(timezone.localtime(approving.starts_at).date() - replay.shift, time(17)):
        services.minutes_approve(actor=officer, minutes=Minutes.objects.get(pk=minutes.pk), at_meeting=approving)
    with replay.living(entry.day("published_on"), STEPS_AT):
        services.minutes_publish(
            actor=officer, minutes=Minutes.objects.get(pk=minutes.pk), on=replay.day(entry.day("published_on"))
        )
