"""The minutes pages: writing from the recorded business, the stale-edit guard, each step's
page, the Minutes section of the meeting's page, and what a signed-out visitor reads."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.timeline.conftest import Process
from timeline import services as timeline_services
from timeline.minutes import services
from timeline.models import Meeting, Minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(process: Process) -> tuple[Meeting, Meeting]:
    def meeting(day: date, title: str) -> Meeting:
        return Meeting.objects.create(
            board=process.board, title=title, starts_at=timezone.make_aware(datetime.combine(day, datetime.min.time()))
        )

    return meeting(date(2026, 9, 10), "September board"), meeting(date(2026, 11, 5), "November board")


def _url(name: str, meeting: Meeting, **extra: object) -> str:
    return reverse(f"timeline:{name}", kwargs={"strategy_slug": meeting.board.strategy.slug, "pk": meeting.pk, **extra})


def test_an_officer_writes_circulates_approves_publishes_and_corrects(client, cast: Cast, meetings) -> None:
    first, second = meetings
    timeline_services.agenda_item_add(actor=cast.officer, meeting=first, title="Evidence base")
    client.force_login(cast.officer)
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'id="minutes"' in page and "Write the minutes" in page and "Thursday 24 September 2026" in page
    assert "Deadline missed" in page  # not circulated, and the day has passed

    form = client.get(_url("minutes-create", first)).content.decode()
    assert "## 1. Evidence base" in form
    response = client.post(_url("minutes-create", first), {"body": "## 1. Evidence base\n\nAgreed."})
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=first)

    # Two officers edit at once: the second save is refused, with both texts.
    opened = minutes.version
    assert client.post(_url("minutes-edit", first), {"body": "Theirs", "version": opened}).status_code == 302
    clash = client.post(_url("minutes-edit", first), {"body": "Mine", "version": opened})
    assert clash.status_code == 200
    assert "Someone else saved this draft of the minutes" in clash.content.decode()
    minutes.refresh_from_db()
    assert minutes.body == "Theirs\n"

    assert client.post(_url("minutes-circulate", first)).status_code == 302
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Record their approval" in page and "Circulated" in page

    approve = client.get(_url("minutes-approve", first)).content.decode()
    assert "November board, 5 November 2026" in approve
    assert client.post(_url("minutes-approve", first), {"meeting": second.pk}).status_code == 302
    assert second.decisions.get().text.startswith("The minutes of the meeting on 10 September 2026")

    refused = client.post(
        _url("minutes-publish", first),
        {"published_on_0": "1", "published_on_1": "11", "published_on_2": "2026"},
    )
    assert "cannot be published before the meeting that approved them" in refused.content.decode()
    done = client.post(
        _url("minutes-publish", first),
        {"published_on_0": "9", "published_on_1": "11", "published_on_2": "2026"},
    )
    assert done.status_code == 302
    minutes.refresh_from_db()
    assert minutes.published_on == date(2026, 11, 9)
    assert "Correct the minutes" in client.get(first.get_absolute_url()).content.decode()

    corrected = client.post(
        _url("minutes-correct", first),
        {"body": "Theirs, corrected", "reason": "A name was misspelt", "published_on_0": ""},
    )
    assert corrected.status_code == 302
    read = client.get(_url("minutes-version", first, number=1)).content.decode()
    assert "replaced by version 2 on" in read and "because A name was misspelt." in read


def test_a_signed_out_visitor_reads_published_minutes_sanitised(client, cast: Cast, meetings) -> None:
    first, second = meetings
    minutes = services.minutes_draft(
        actor=cast.officer, meeting=first, body="## Item\n\n<script>alert(1)</script> **Agreed**"
    )
    services.minutes_circulate(actor=cast.officer, minutes=minutes)
    assert client.get(_url("minutes-detail", first)).status_code == 302  # to sign in: not public yet
    services.minutes_approve(actor=cast.officer, minutes=Minutes.objects.get(pk=minutes.pk), at_meeting=second)
    services.minutes_publish(actor=cast.officer, minutes=Minutes.objects.get(pk=minutes.pk))
    response = client.get(_url("minutes-detail", first))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>Agreed</strong>" in page and "<script>alert" not in page
    assert "As a correct record at November board" in page
    assert "Write the minutes" not in page and "Edit the minutes" not in page


def test_the_section_tells_board_members_and_hides_drafts_from_the_public(client, cast: Cast, meetings) -> None:
    first, _ = meetings
    services.minutes_draft(actor=cast.officer, meeting=first, body="Draft")
    client.force_login(cast.board_member)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Read the minutes" in page and "Write the minutes" not in page and "Edit the minutes" not in page
    assert "Circulate to the board by" in page and "Draft" in page
    client.force_login(cast.councillor)
    assert client.get(_url("minutes-detail", first)).status_code == 404
