"""The demo replays the evidence phase's past: the closed consultation, coded and answered, with its
"you said, we did" page; the workshops held with feedback; the Strategic Board meetings that closed
scoping and the evidence phase; a closed review window on the draft; and the overview's demo note."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Strategy, User
from documents.models import BoardPaper, ReviewComment, ReviewWindow
from documents.selectors import documents_todos_for
from engagement.models import Consultation, ConsultationResponse, Event
from timeline.models import Decision, Meeting, Phase

pytestmark = pytest.mark.django_db

CONSULTATION = "Partners’ and the public’s views on the emerging propositions (demo consultation)"


def load() -> None:
    call_command("loaddemo", stdout=io.StringIO())


def test_the_closed_consultation_is_coded_answered_and_published_and_the_workshops_were_held(client: Client) -> None:
    load()
    consultation = Consultation.objects.get(strategy__slug="south-east", title=CONSULTATION)
    assert consultation.phase.stage == "evidence"
    assert consultation.closes_at < timezone.now()
    responses = consultation.responses.all()
    assert 10 <= responses.count() <= 20
    assert all(r.status == ConsultationResponse.Status.SUBMITTED for r in responses)
    signed_in = responses.filter(organisation__isnull=False, channel="")
    public = responses.filter(organisation__isnull=True)
    assert signed_in.count() >= 5 and public.count() >= 5
    assert public.filter(channel="", confirmed_at__isnull=False).count() >= 4  # sent online and confirmed
    assert responses.exclude(channel="").count() >= 2  # entered by the officer from offline input
    assert responses.filter(coded_at__isnull=False).count() >= responses.count() - 2
    assert responses.exclude(reply="").count() >= responses.count() - 2
    assert responses.filter(coded_at__isnull=True, reply="").exists()  # one still on the officer's list
    assert all(r.submitted_at and r.submitted_at < consultation.closes_at for r in responses)
    assert all("(demo" in r.respondent_name for r in public)
    # The replies' audit events carry their replayed moments, not the moment of the load.
    replied = AuditEvent.objects.filter(verb="response.replied", strategy__slug="south-east")
    assert replied.count() == responses.exclude(reply="").count()
    assert all(event.created_at.date() < timezone.localdate() for event in replied)

    # Its "you said, we did" page is published to anyone once it has closed.
    url = reverse(
        "engagement:consultation-published",
        kwargs={"strategy_slug": "south-east", "pk": consultation.pk},
    )
    body = client.get(url).content.decode()
    assert "Demo reply: we have added rural access to skills" in body
    assert "Tonbridge and Malling Borough Council" in body
    assert "Sam Example (demo)" in body
    assert "Pat Example" not in body  # a member of the public who asked not to be published

    workshops = Event.objects.filter(strategy__slug="south-east", kind=Event.Kind.WORKSHOP).select_related("feedback")
    assert workshops.count() == 9
    for workshop in workshops:
        assert workshop.starts_at < timezone.now()
        assert workshop.attending.count() >= 3, workshop
        assert workshop.feedback is not None, workshop
        assert workshop.feedback.closes_at < timezone.now()
        assert workshop.feedback.responses.filter(status=ConsultationResponse.Status.SUBMITTED).exists(), workshop


def test_past_meetings_closed_scoping_and_evidence_and_the_draft_was_reviewed() -> None:
    load()
    south_east = Strategy.objects.get(slug="south-east")
    for stage in ("scoping", "evidence"):
        phase = Phase.objects.get(strategy=south_east, stage=stage)
        decision = Decision.objects.select_related("meeting__board").get(closes_phase=phase)
        meeting = decision.meeting
        assert meeting is not None and decision.kind == Decision.Kind.MEETING
        assert meeting.board.name == "Strategic Board"
        assert meeting.status == Meeting.Status.MINUTES_PUBLISHED
        assert meeting.minutes_published_on is not None and meeting.minutes_published_on <= timezone.localdate()
        assert timezone.localtime(meeting.starts_at).date() == phase.actual_end
        assert decision.milestone is not None and decision.milestone.phase == phase
        assert decision.outcome == Decision.Outcome.APPROVED
        assert meeting.agenda_items.count() >= 2
        assert BoardPaper.objects.filter(agenda_item__meeting=meeting).count() == meeting.agenda_items.count()

    window = ReviewWindow.objects.get(draft__strategy=south_east)
    assert window.closed_at is not None and window.version.number == 1
    comments = ReviewComment.objects.filter(window=window, parent__isnull=True)
    assert comments.count() >= 4
    assert comments.filter(replies__isnull=False).distinct().count() >= 2
    assert comments.filter(resolved_at__isnull=False).exists()
    awaiting = comments.filter(replies__isnull=True, resolved_at__isnull=True)
    assert awaiting.exists()
    officer = User.objects.get(email="officer@example.org")
    todos = documents_todos_for(user=officer, strategy=south_east)
    titles = {todo.label: todo.count for todos_ in todos.values() for todo in todos_}
    assert titles["Review comments awaiting a reply: version 1 of the draft"] == awaiting.count()


def test_the_overview_says_what_the_demo_invents_and_what_is_real(client: Client) -> None:
    load()
    body = client.get(reverse("strategy-overview", kwargs={"strategy_slug": "south-east"})).content.decode()
    note = body.split('<div class="govuk-inset-text"><strong>Demo:</strong>')[1].split("</div>")[0]
    assert "illustrative" in note and "open data" in note
    assert "<a " not in note
    lighter = client.get(reverse("strategy-overview", kwargs={"strategy_slug": "enterprise-m3"})).content.decode()
    assert "<strong>Demo:</strong>" in lighter
    Strategy.objects.filter(slug="enterprise-m3").update(demo_note="")
    real = client.get(reverse("strategy-overview", kwargs={"strategy_slug": "enterprise-m3"})).content.decode()
    assert "<strong>Demo:</strong>" not in real


def test_the_drafting_consultations_link_what_they_consult_on(client: Client) -> None:
    """The public consultation on the vision links version 2 of the draft and a one-page PDF, which
    a signed-out visitor opens from its response page; the partners' one links six propositions."""
    load()
    public = Consultation.objects.get(
        strategy__slug="south-east", title="Your views on the draft strategy’s vision (demo consultation)"
    )
    page = client.get(
        reverse("engagement:public-response-create", kwargs={"strategy_slug": "south-east", "pk": public.pk})
    ).content.decode()
    assert ": draft, version 2" in page and "The draft vision in one page (demo)" in page
    draft = client.get(reverse("documents:consulted-draft", kwargs={"strategy_slug": "south-east", "pk": public.pk}))
    assert draft.status_code == 200 and "Infrastructure" in draft.content.decode()
    document = public.documents.get()
    assert document.title == "The draft vision in one page (demo)"
    partners = Consultation.objects.get(
        strategy__slug="south-east", title="Partners’ views on the emerging propositions (demo consultation)"
    )
    assert partners.propositions.count() == 6
