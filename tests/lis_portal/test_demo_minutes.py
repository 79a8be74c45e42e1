"""The demo's Strategic Board minutes (content/minutes.toml), written through timeline's minutes
services: the first two past meetings' approved at the next meeting and published, the third's
circulated and awaiting the upcoming meeting. Loading twice gives the same rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from timeline.models import Decision, Meeting, Minutes
from timeline.selectors import meeting_deadlines

pytestmark = pytest.mark.django_db

SCOPING = "Strategic Board: closing the scoping of the Local Industrial Strategy (demo)"
EVIDENCE = "Strategic Board: the evidence base and emerging propositions (demo)"
FINALISATION = "Strategic Board: progress, structure and process for finalisation"


def _state() -> list[tuple[object, ...]]:
    return list(
        Minutes.objects.order_by("pk").values_list(
            "pk", "meeting__title", "number", "status", "published_on", "approved_by_decision_id", "body"
        )
    ) + list(
        Meeting.objects.order_by("pk").values_list("pk", "status", "minutes_published_on", "minutes_circulated_on")
    )


def test_the_past_meetings_have_minutes_through_the_services_and_a_reload_keeps_them(client: Client) -> None:
    call_command("loaddemo", stdout=io.StringIO())
    first = _state()
    decisions = Decision.objects.count()
    today = timezone.localdate()

    scoping = Minutes.objects.select_related("meeting", "approved_by_decision__meeting").get(meeting__title=SCOPING)
    assert scoping.status == Minutes.Status.PUBLISHED and scoping.published_on is not None
    assert scoping.published_on <= today
    assert scoping.approved_by_decision is not None and scoping.approved_by_decision.meeting is not None
    assert scoping.approved_by_decision.meeting.title == EVIDENCE
    assert scoping.approved_by_decision.text.startswith("The minutes of the meeting on ")
    assert "Illustrative (demo wording)" in scoping.body and "**Decision (approved):**" in scoping.body
    assert scoping.meeting.status == Meeting.Status.MINUTES_PUBLISHED
    assert scoping.meeting.minutes_published_on == scoping.published_on
    assert not meeting_deadlines(scoping.meeting, today=today).minutes_missed  # circulated in time

    evidence = Minutes.objects.select_related("approved_by_decision__meeting").get(meeting__title=EVIDENCE)
    assert evidence.status == Minutes.Status.PUBLISHED
    approval = evidence.approved_by_decision
    assert approval is not None and approval.meeting is not None and approval.meeting.title == FINALISATION

    awaiting = Minutes.objects.select_related("meeting").get(meeting__title=FINALISATION)
    assert awaiting.status == Minutes.Status.CIRCULATED and awaiting.published_on is None
    assert awaiting.meeting.status == Meeting.Status.HELD and awaiting.meeting.minutes_circulated_on is not None

    page = client.get(
        reverse(
            "timeline:minutes-detail",
            kwargs={"strategy_slug": "south-east", "pk": scoping.meeting_id},
        )
    )
    assert page.status_code == 200 and "Illustrative (demo wording)" in page.content.decode()
    hidden = reverse("timeline:minutes-detail", kwargs={"strategy_slug": "south-east", "pk": awaiting.meeting_id})
    assert client.get(hidden).status_code == 302  # not public: a signed-out visitor is asked to sign in

    call_command("loaddemo", stdout=io.StringIO())
    assert _state() == first
    assert Decision.objects.count() == decisions
