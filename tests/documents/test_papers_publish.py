"""Publishing a meeting's agenda and papers (issue 14): officers choose the day, from today up to
the deadline; from that day a signed-out visitor reads the agenda, each paper that is not exempt
(as a page and as a PDF), the public pack, attendance, declarations and the published decisions,
and an exempt paper by its title and paragraph only; before it, the meeting's details and when the
papers are due. A late publication says so."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent
from documents.models import Pack
from tests.conftest import Cast
from tests.documents.conftest import EXEMPT_MARKER, Papers
from timeline.models import AgendaItem, Attendance, Decision, Declaration, Meeting
from timeline.services import meeting_papers_publish

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# The fixture's meeting is on Thursday 30 July 2026: its papers are due by Wednesday 22 July.
BEFORE = datetime(2026, 7, 15, 9, 0, tzinfo=LONDON)


def _url(cast: Cast, name: str, pk: int) -> str:
    return reverse(f"documents:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": pk})


def _pack(cast: Cast, papers: Papers, kind: str) -> Pack:
    name = default_storage.save(f"documents/packs/test-{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.7 test"))
    return Pack.objects.create(
        strategy=cast.strategy,
        kind=kind,
        meeting=papers.process.meeting,
        fingerprint=uuid.uuid4().hex,
        status=Pack.Status.READY,
        file=name,
        sha256="0" * 64,
        page_count=3,
    )


def _publish(client: Client, cast: Cast, meeting: Meeting, day: date) -> Any:
    return client.post(
        _url(cast, "papers-publish", meeting.pk), {"on_0": str(day.day), "on_1": str(day.month), "on_2": str(day.year)}
    )


@time_machine.travel(BEFORE, tick=False)
def test_an_officer_publishes_today_and_a_signed_out_visitor_reads_the_public_business(
    client, cast: Cast, papers: Papers
) -> None:
    meeting = papers.process.meeting
    public_pack, members_pack = _pack(cast, papers, Pack.Kind.PUBLIC), _pack(cast, papers, Pack.Kind.MEMBERS)
    Decision.objects.create(meeting=meeting, agenda_item=papers.items[1], text="Approved the draft", outcome="approved")
    Decision.objects.create(meeting=meeting, text="A confidential decision", outcome="approved", is_published=False)
    Decision.objects.create(
        meeting=meeting, text="Public next week", outcome="approved", published_on=date(2026, 7, 22)
    )
    Attendance.objects.create(meeting=meeting, user=cast.board_member, status=Attendance.Status.PRESENT)
    Declaration.objects.create(agenda_item=papers.items[2], user=cast.board_member, interest="Director of a bidder")
    visitor = Client()
    before = visitor.get(_url(cast, "meeting-detail", meeting.pk)).content.decode()
    assert papers.open_paper.title not in before
    assert "The agenda and papers will appear here when they are published, by Wednesday 22 July 2026" in before
    assert visitor.get(_url(cast, "paper-detail", papers.open_paper.pk)).status_code == 302  # to sign in

    client.force_login(cast.officer)
    form = client.get(_url(cast, "papers-publish", meeting.pk)).content.decode()
    response = _publish(client, cast, meeting, BEFORE.date())

    assert "Title only: exempt (paragraph 3)" in form and "public pack of" in form
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.papers_published_on == BEFORE.date()
    assert meeting.status == Meeting.Status.PAPERS_PUBLISHED
    event = AuditEvent.objects.get(verb="meeting.papers_published", target_id=str(meeting.pk))
    assert event.data == {"on": "2026-07-15", "late": False}

    page = visitor.get(_url(cast, "meeting-detail", meeting.pk)).content.decode()
    assert "Published Wednesday 15 July 2026." in page
    assert papers.open_paper.title in page and papers.exempt_paper.title in page
    assert _url(cast, "paper-detail", papers.open_paper.pk) in page
    assert _url(cast, "paper-pdf", papers.open_paper.pk) in page
    assert _url(cast, "paper-pdf", papers.exempt_paper.pk) not in page
    assert "Approved the draft" in page and "A confidential decision" not in page
    assert "Public next week" not in page  # its publication day has not come
    assert "Director of a bidder" in page and "Present" in page
    assert public_pack.get_absolute_url() in page and members_pack.get_absolute_url() not in page
    assert EXEMPT_MARKER not in page
    paper = visitor.get(_url(cast, "paper-detail", papers.open_paper.pk)).content.decode()
    assert "The board <strong>approves</strong> the draft." in paper
    exempt = visitor.get(_url(cast, "paper-detail", papers.exempt_paper.pk)).content.decode()
    assert "Exempt (paragraph 3)" in exempt and EXEMPT_MARKER not in exempt
    pdf = visitor.get(_url(cast, "paper-pdf", papers.open_paper.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert visitor.get(_url(cast, "paper-pdf", papers.exempt_paper.pk)).status_code == 302
    assert visitor.get(reverse("documents:pack-download", kwargs={"strategy_slug": "kent", "pk": public_pack.pk}))[
        "Content-Type"
    ] == ("application/pdf")
    # Signed-out downloads are not audit events (anyone could fill the log).
    assert not AuditEvent.objects.filter(verb__in=["paper.downloaded", "pack.downloaded"]).exists()


@time_machine.travel(BEFORE, tick=False)
def test_papers_published_on_a_later_day_appear_that_day(client, cast: Cast, papers: Papers) -> None:
    meeting = papers.process.meeting
    client.force_login(cast.officer)

    response = _publish(client, cast, meeting, date(2026, 7, 20))

    assert response.status_code == 302
    officer_page = client.get(_url(cast, "meeting-detail", meeting.pk)).content.decode()
    assert "To be published on Monday 20 July 2026: everyone sees them from then." in officer_page
    assert "Change the publication date" in officer_page
    visitor = Client()
    assert papers.open_paper.title not in visitor.get(_url(cast, "meeting-detail", meeting.pk)).content.decode()
    with time_machine.travel(datetime(2026, 7, 20, 0, 1, tzinfo=LONDON), tick=False):
        assert papers.open_paper.title in visitor.get(_url(cast, "meeting-detail", meeting.pk)).content.decode()


@time_machine.travel(BEFORE, tick=False)
@pytest.mark.parametrize(
    ("day", "message"),
    [
        (date(2026, 7, 14), "Choose today or a later day: papers cannot be published in the past."),
        (date(2026, 7, 23), "Choose a day on or before the deadline, 22 July 2026"),
    ],
)
def test_a_day_in_the_past_or_after_the_deadline_is_refused(
    client, cast: Cast, papers: Papers, day: date, message: str
) -> None:
    client.force_login(cast.officer)

    response = _publish(client, cast, papers.process.meeting, day)

    assert response.status_code == 200
    assert message in response.content.decode()
    papers.process.meeting.refresh_from_db()
    assert papers.process.meeting.papers_published_on is None


def test_published_papers_stay_published_and_a_cancelled_or_empty_meeting_has_none(cast: Cast, papers: Papers) -> None:
    meeting = papers.process.meeting
    with time_machine.travel(BEFORE, tick=False):
        meeting_papers_publish(actor=cast.officer, meeting=meeting, on=BEFORE.date())
        with pytest.raises(ApplicationError, match="published on 15 July 2026 and stay published"):
            meeting_papers_publish(actor=cast.officer, meeting=meeting, on=BEFORE.date())
        empty = Meeting.objects.create(board=meeting.board, title="Empty", starts_at=meeting.starts_at)
        with pytest.raises(ApplicationError, match="Add the agenda before publishing it"):
            meeting_papers_publish(actor=cast.officer, meeting=empty, on=BEFORE.date())
        AgendaItem.objects.create(meeting=empty, number=1, title="Apologies")
        Meeting.objects.filter(pk=empty.pk).update(status=Meeting.Status.CANCELLED)
        with pytest.raises(ApplicationError, match="cancelled"):
            meeting_papers_publish(actor=cast.officer, meeting=empty, on=BEFORE.date())


def test_papers_published_after_the_deadline_say_so_in_public(cast: Cast, papers: Papers) -> None:
    meeting = papers.process.meeting
    late = datetime(2026, 7, 27, 9, 0, tzinfo=LONDON)
    with time_machine.travel(late, tick=False):
        with pytest.raises(ApplicationError, match="has passed: publish them today"):
            meeting_papers_publish(actor=cast.officer, meeting=meeting, on=date(2026, 7, 28))
        meeting_papers_publish(actor=cast.officer, meeting=meeting, on=late.date())
        page = Client().get(_url(cast, "meeting-detail", meeting.pk)).content.decode()

    assert "Published Monday 27 July 2026, after the deadline of 22 July 2026" in page
    assert "Published late" in page


@time_machine.travel(BEFORE, tick=False)
def test_the_public_meeting_page_reads_a_fixed_number_of_queries(cast: Cast, papers: Papers) -> None:
    meeting = papers.process.meeting
    meeting_papers_publish(actor=cast.officer, meeting=meeting, on=BEFORE.date())
    Decision.objects.create(meeting=meeting, text="The first decision", outcome="approved")
    visitor = Client()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert visitor.get(_url(cast, "meeting-detail", meeting.pk)).status_code == 200
        return len(queries)

    few = count()
    for number in range(4, 14):
        AgendaItem.objects.create(meeting=meeting, number=number, title=f"Item {number}")
        Decision.objects.create(meeting=meeting, text=f"Decision {number}", outcome="approved")
    assert count() == few


def test_robots_keep_crawlers_out_of_accounts_calendars_and_subscription_links() -> None:
    text = Client().get("/robots.txt").content.decode()
    for path in ("/accounts/", "/admin/", "/calendar/", "/*/engagement/updates/confirm/"):
        assert f"Disallow: {path}" in text
