"""A strategy's "your work" page: each role's to-dos, gathered from each app's `<app>_todos_for`,
every count leading to the list it counts, and the page's queries constant in the rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, Role, Strategy
from core.views import PREVIOUS_SIGN_IN
from documents.models import DraftSection, DraftStrategy, DraftVersion, Pack, ReviewComment, ReviewWindow
from engagement.models import Call, Consultation, ConsultationResponse, Event, Priority
from tests.conftest import Cast
from tests.factories import MembershipFactory, OrganisationFactory
from tests.timeline.conftest import Process, make_process
from timeline.models import AgendaItem, Meeting, Milestone

pytestmark = pytest.mark.django_db


@dataclass
class Work:
    """Rows of every kind the landing page counts, made `n` at a time (`add`)."""

    cast: Cast
    strategy: Strategy
    process: Process
    call: Call
    consultation: Consultation
    window: ReviewWindow
    section: DraftSection
    made: int = 0

    def add(self, n: int) -> None:
        now = timezone.now()
        council = self.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
        board = self.process.board
        for i in range(self.made, self.made + n):
            phase = self.process.phases[1]
            Milestone.objects.create(phase=phase, title=f"Late {i}", order=i, due_date=now.date() - timedelta(days=3))
            Milestone.objects.create(phase=phase, title=f"Risky {i}", order=i, status=Milestone.Status.AT_RISK)
            common = {"call": self.call, "organisation": council, "author": self.cast.councillor}
            Priority.objects.create(
                **common, title=f"Submitted {i}", status=Priority.Status.SUBMITTED, submitted_at=now
            )
            Priority.objects.create(**common, title=f"Draft {i}")
            Priority.objects.create(
                **common,
                title=f"Answered {i}",
                status=Priority.Status.SUBMITTED,
                submitted_at=now - timedelta(days=2),
                response="Thank you.",
                responded_at=now,
            )
            other = OrganisationFactory(name=f"College {i}", slug=f"college-{i}", kind=Organisation.Kind.COLLEGE)
            self.strategy.partners.add(other)
            ConsultationResponse.objects.create(
                consultation=self.consultation, organisation=other, status="submitted", submitted_at=now
            )
            ReviewComment.objects.create(window=self.window, section=self.section, body=f"Comment {i}")
            meeting = Meeting.objects.create(board=board, title=f"Board {i}", starts_at=now + timedelta(days=20 + i))
            AgendaItem.objects.create(meeting=meeting, number=1, title="Minutes")
            Pack.objects.create(
                strategy=self.strategy, kind="members", meeting=meeting, fingerprint=uuid.uuid4().hex, status="failed"
            )
            Pack.objects.create(
                strategy=self.strategy,
                kind="members",
                meeting=meeting,
                fingerprint=uuid.uuid4().hex,
                status="ready",
                file="documents/packs/x.pdf",
                sha256="a" * 64,
                page_count=12,
                finished_at=now,
            )
        self.made += n


def make_work(cast: Cast) -> Work:
    strategy = cast.strategy
    process = make_process(strategy)
    now = timezone.now()
    call = Call.objects.create(
        strategy=strategy,
        phase=process.phases[2],
        title="Councils’ priorities",
        description="Tell us.",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=10),
    )
    consultation = Consultation.objects.create(
        strategy=strategy,
        phase=process.phases[2],
        title="The emerging propositions",
        description="Tell us.",
        audience="public",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=14),
    )
    draft = DraftStrategy.objects.create(strategy=strategy, title="Draft")
    section = DraftSection.objects.create(draft=draft, order=1, title="Ambition")
    version = DraftVersion.objects.create(
        draft=draft,
        number=1,
        note="For review",
        status="working",
        sections=[{"id": section.pk, "title": "Ambition", "body": "Growth."}],
    )
    window = ReviewWindow.objects.create(draft=draft, version=version)
    return Work(cast, strategy, process, call, consultation, window, section)


def url(strategy: Strategy) -> str:
    return reverse("your-work", kwargs={"strategy_slug": strategy.slug})


def test_officer_sees_what_needs_doing_each_count_linking_to_its_filtered_list(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(2)
    client.force_login(cast.officer)
    body = client.get(url(cast.strategy)).content.decode()
    slug = cast.strategy.slug
    assert "Running the strategy" in body
    assert f'href="/{slug}/timeline/milestones/?due=overdue"' in body
    assert f'href="/{slug}/timeline/milestones/?status=at_risk"' in body
    call_list = f"/{slug}/engagement/calls/{work.call.pk}/priorities/"
    assert f'href="{call_list}?status=submitted&amp;coded=no"' in body
    assert f'href="{call_list}?status=submitted&amp;responded=no"' in body
    responses = f"/{slug}/engagement/consultations/{work.consultation.pk}/responses/"
    assert f'href="{responses}?coded=no"' in body and f'href="{responses}?replied=no"' in body
    assert f'href="/{slug}/documents/reviews/{work.window.pk}/?awaiting=reply"' in body
    assert f'href="/{slug}/documents/packs/?status=failed"' in body
    assert "Publish the papers by" in body
    # The officer takes no part as a councillor or a board member here.
    assert "Your council’s part" not in body and "Your board meetings" not in body


def test_each_filtered_list_counts_what_the_landing_page_counts(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(3)
    Milestone.objects.create(
        phase=work.process.phases[1],
        title="Done late",
        status="done",
        due_date=timezone.localdate() - timedelta(days=9),
        completed_on=timezone.localdate(),
    )
    ReviewComment.objects.create(window=work.window, section=work.section, body="Resolved", resolved_at=timezone.now())
    answered = ReviewComment.objects.create(window=work.window, section=work.section, body="Answered")
    ReviewComment.objects.create(window=work.window, section=work.section, parent=answered, body="Reply")
    client.force_login(cast.officer)
    slug = cast.strategy.slug
    milestones = client.get(f"/{slug}/timeline/milestones/?due=overdue")
    # The three scoping milestones of the process (due in July) are overdue too; the done one is not.
    overdue = {m.title for m in milestones.context["page"].object_list}
    assert overdue == {"Agree approach", "Review evidence", "Engagement plan", "Late 0", "Late 1", "Late 2"}
    priorities = client.get(f"/{slug}/engagement/calls/{work.call.pk}/priorities/?status=submitted&coded=no")
    assert priorities.context["page"].paginator.count == 6  # submitted and answered ones, none coded
    unanswered = client.get(f"/{slug}/engagement/calls/{work.call.pk}/priorities/?status=submitted&responded=no")
    assert unanswered.context["page"].paginator.count == 3
    review = client.get(f"/{slug}/documents/reviews/{work.window.pk}/?awaiting=reply")
    shown = [c.body for row in review.context["rows"] for c in row["comments"]]
    assert shown == ["Comment 0", "Comment 1", "Comment 2"]
    assert "Showing only the comments awaiting a reply" in review.content.decode()
    everything = client.get(f"/{slug}/documents/reviews/{work.window.pk}/")
    assert len([c for row in everything.context["rows"] for c in row["comments"]]) == 5
    packs = client.get(f"/{slug}/documents/packs/?status=failed")
    assert {p.status for p in packs.context["packs"]} == {"failed"} and len(packs.context["packs"]) == 3
    body = client.get(url(cast.strategy)).content.decode()
    for count in (3, 6):
        assert f'<strong class="govuk-tag govuk-tag--blue">{count}</strong>' in body


def test_councillor_sees_open_calls_and_consultations_drafts_and_answers(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(2)
    client.force_login(cast.councillor)
    body = client.get(url(cast.strategy)).content.decode()
    assert "Your council’s part" in body and "Running the strategy" not in body
    assert "Call for priorities: Councils’ priorities" in body and "Closes " in body
    assert "Consultation: The emerging propositions" in body
    assert "Your council’s priorities still drafts (not submitted)" in body
    # A line that never goes away leads to all the council's priorities (6: every status); with
    # no sign-in remembered, every answer counts in its hint (and the hint says no more than that).
    todos = client.get(url(cast.strategy)).context["sections"][0][2]
    todo = next(t for t in todos if t.label == "Your council’s priorities")
    assert todo.count == 6 and todo.url == f"/{cast.strategy.slug}/engagement/priorities/"
    assert todo.hint == "2 answered by the LEP"
    assert f'href="{todo.url}"' in body and ">Your council’s priorities</a>" in body


def test_the_count_of_drafts_leads_to_the_council_s_drafts_only(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(2)
    now = timezone.now()
    closed = Call.objects.create(
        strategy=cast.strategy,
        phase=work.process.phases[0],
        title="Scoping priorities",
        description="An earlier call.",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    council = cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    Priority.objects.create(call=closed, organisation=council, author=cast.councillor, title="Too late to submit")
    client.force_login(cast.councillor)
    response = client.get(url(cast.strategy))
    todo = next(t for t in response.context["sections"][0][2] if "still drafts" in t.label)
    assert todo.count == 2
    assert todo.url == f"/{cast.strategy.slug}/engagement/priorities/?status=draft&call_open=yes"
    assert f'href="{todo.url.replace("&", "&amp;")}"' in response.content.decode()
    listing = client.get(todo.url)
    shown = [p.title for p in listing.context["page"].object_list]
    assert sorted(shown) == ["Draft 0", "Draft 1"]  # not the submitted ones, not the closed call's draft
    assert "2 priorities match the filter" in listing.content.decode()
    everything = client.get(f"/{cast.strategy.slug}/engagement/priorities/")
    assert everything.context["page"].paginator.count == 7


def test_answers_count_since_the_previous_sign_in(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(2)
    Priority.objects.filter(title="Answered 0").update(responded_at=timezone.now() - timedelta(days=9))
    cast.councillor.set_password("a long enough password")
    cast.councillor.last_login = timezone.now() - timedelta(days=5)
    cast.councillor.save()
    response = client.post(
        reverse("accounts:login"), {"username": cast.councillor.email, "password": "a long enough password"}
    )
    assert response.status_code == 302
    assert client.session[PREVIOUS_SIGN_IN]
    body = client.get(url(cast.strategy)).content.decode()
    # The line stays, whatever was answered when; what is new since the last sign-in is its hint.
    assert ">Your council’s priorities</a>" in body
    assert "1 answered by the LEP since you last signed in" in body
    Priority.objects.filter(title="Answered 1").update(responded_at=timezone.now() - timedelta(days=9))
    body = client.get(url(cast.strategy)).content.decode()
    assert ">Your council’s priorities</a>" in body and "No new answers since you last signed in" in body


def test_board_member_sees_next_meetings_with_agenda_and_ready_pack(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(4)
    client.force_login(cast.board_member)
    body = client.get(url(cast.strategy)).content.decode()
    assert "Your board meetings" in body and "Running the strategy" not in body
    assert body.count("Agenda and papers for Kent Strategic Board: Board") == 3  # the next three, the board named once
    meeting = Meeting.objects.get(title="Board 0")
    ready = Pack.objects.get(meeting=meeting, status="ready")
    assert f'href="/{cast.strategy.slug}/documents/meetings/{meeting.pk}/"' in body
    assert f'href="/{cast.strategy.slug}/documents/packs/{ready.pk}/">Members’ pack, ready (12 pages)' in body


def test_other_strategys_work_never_shows(client, cast: Cast) -> None:
    make_work(cast).add(2)
    MembershipFactory(user=cast.officer, organisation=cast.other_strategy.lead, role=Role.OFFICER)
    client.force_login(cast.officer)
    body = client.get(url(cast.other_strategy)).content.decode()
    assert "Running the strategy" in body and "Nothing needs doing here now." in body


@pytest.mark.parametrize("role", ["officer", "councillor", "board_member"])
def test_queries_constant_in_the_rows(client, cast: Cast, django_assert_num_queries, role: str) -> None:
    work = make_work(cast)
    work.add(1)
    client.force_login(getattr(cast, role))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(cast.strategy)).status_code == 200
    work.add(19)
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url(cast.strategy)).content.decode()
    if role == "officer":
        assert '<strong class="govuk-tag govuk-tag--blue">20</strong>' in body


def test_board_meeting_named_after_its_board_names_the_board_once(client, cast: Cast) -> None:
    process = make_process(cast.strategy)
    Meeting.objects.create(
        board=process.board, title="Kent Strategic Board: December", starts_at=timezone.now() + timedelta(days=9)
    )
    client.force_login(cast.board_member)
    body = client.get(url(cast.strategy)).content.decode()
    assert "Agenda and papers for Kent Strategic Board: December" in body
    assert "Kent Strategic Board: agenda and papers for" not in body


def test_a_consultation_the_partner_has_responded_to_is_no_longer_open_to_do(client, cast: Cast) -> None:
    work = make_work(cast)
    university = cast.strategy.partners.get(kind=Organisation.Kind.UNIVERSITY)
    client.force_login(cast.partner)
    response = client.get(url(cast.strategy))
    assert response.context["sections"][0][1] == "Your organisation’s part"
    todos = {t.label: t for t in response.context["sections"][0][2]}
    consultation = todos["Consultation: The emerging propositions"]
    assert consultation.status == "Open" and consultation.hint.startswith("Closes ")
    ours = todos["Your organisation’s responses"]
    assert ours.count == 0 and ours.url == f"/{cast.strategy.slug}/engagement/responses/"
    ConsultationResponse.objects.create(
        consultation=work.consultation, organisation=university, status="submitted", submitted_at=timezone.now()
    )
    body = client.get(url(cast.strategy)).content.decode()
    todos = {t.label: t for t in client.get(url(cast.strategy)).context["sections"][0][2]}
    consultation = todos["Consultation: The emerging propositions"]
    assert consultation.status == "Responded" and consultation.hint.startswith("Your response is submitted. Closes ")
    assert '<strong class="govuk-tag govuk-tag--grey">Responded</strong>' in body
    assert todos["Your organisation’s responses"].count == 1


def test_a_partner_of_two_organisations_still_has_to_respond_for_the_other(client, cast: Cast) -> None:
    work = make_work(cast)
    university = cast.strategy.partners.get(kind=Organisation.Kind.UNIVERSITY)
    college = OrganisationFactory(name="Kent College", slug="kent-college", kind=Organisation.Kind.COLLEGE)
    cast.strategy.partners.add(college)
    MembershipFactory(user=cast.partner, organisation=college, role=Role.PARTNER)
    ConsultationResponse.objects.create(
        consultation=work.consultation, organisation=university, status="submitted", submitted_at=timezone.now()
    )
    client.force_login(cast.partner)
    todos = {t.label: t for t in client.get(url(cast.strategy)).context["sections"][0][2]}
    assert todos["Consultation: The emerging propositions"].status == "Open"
    ConsultationResponse.objects.create(consultation=work.consultation, organisation=college, status="draft")
    todos = {t.label: t for t in client.get(url(cast.strategy)).context["sections"][0][2]}
    assert todos["Consultation: The emerging propositions"].status == "Open"  # a draft is not a response
    assert todos["Your organisation’s responses still drafts (not submitted)"].count == 1


def _feedback_event(work: Work, n: int, *, uncoded: int, unanswered_only: int = 0) -> Event:
    now = timezone.now()
    feedback = Consultation.objects.create(
        strategy=work.strategy,
        phase=work.process.phases[2],
        title=f"Feedback on workshop {n}",
        description="How was it?",
        audience="partners",
        opens_at=now - timedelta(days=5),
        closes_at=now + timedelta(days=5),
    )
    event = Event.objects.create(
        strategy=work.strategy,
        kind="roundtable",
        title=f"Workshop {n}",
        starts_at=now - timedelta(days=6 + n),
        place="Online",
        organiser=work.strategy.lead,
        feedback=feedback,
    )
    for i in range(uncoded + unanswered_only):
        college = OrganisationFactory(name=f"Feedback {n}-{i}", slug=f"feedback-{n}-{i}", kind="college")
        ConsultationResponse.objects.create(
            consultation=feedback,
            organisation=college,
            status="submitted",
            submitted_at=now,
            coded_at=now if i >= uncoded else None,
        )
    return event


def test_officer_sees_events_feedback_on_one_line_per_kind_leading_to_the_events(client, cast: Cast) -> None:
    work = make_work(cast)
    work.add(1)
    first = _feedback_event(work, 1, uncoded=2)
    second = _feedback_event(work, 2, uncoded=1, unanswered_only=2)
    third = _feedback_event(work, 3, uncoded=0, unanswered_only=1)
    client.force_login(cast.officer)
    response = client.get(url(cast.strategy))
    todos = {t.label: t for t in response.context["sections"][0][2]}
    uncoded = todos["Feedback from workshops and events not yet coded"]
    assert uncoded.count == 3 and uncoded.hint == "Responses to the feedback forms of 2 events"
    unanswered = todos["Feedback from workshops and events not yet answered"]
    assert unanswered.count == 6 and unanswered.hint == "Responses to the feedback forms of 3 events"
    assert not any("Feedback on workshop" in label for label in todos)  # no line per form
    assert "Responses not yet coded: The emerging propositions" in todos  # other consultations, one by one
    slug = cast.strategy.slug
    assert uncoded.url == f"/{slug}/engagement/events/?feedback=uncoded"
    listing = client.get(uncoded.url)
    assert [e.title for e in listing.context["events"]] == [second.title, first.title]
    body = listing.content.decode()
    assert f'href="/{slug}/engagement/consultations/{first.feedback_id}/responses/?coded=no">2<' in body
    assert "Events whose feedback is not yet coded" in body
    listing = client.get(unanswered.url)
    assert [e.title for e in listing.context["events"]] == [third.title, second.title, first.title]
    assert sum(e.unanswered_count for e in listing.context["events"]) == unanswered.count
    # Each count there leads to the responses it counts.
    responses = client.get(f"/{slug}/engagement/consultations/{second.feedback_id}/responses/?replied=no")
    assert responses.status_code == 200


def test_papers_to_publish_lead_to_the_page_that_publishes_them(client, cast: Cast) -> None:
    process = make_process(cast.strategy)
    meeting = Meeting.objects.create(
        board=process.board, title="December", starts_at=timezone.now() + timedelta(days=20)
    )
    client.force_login(cast.officer)
    todos = client.get(url(cast.strategy)).context["sections"][0][2]
    todo = next(t for t in todos if t.label.startswith("Papers to publish"))
    slug = cast.strategy.slug
    publish = f"/{slug}/documents/meetings/{meeting.pk}/publish/"
    assert todo.url == publish
    assert todo.hint.startswith("Publish the papers by ")
    assert client.get(todo.url).status_code == 200
    page = client.get(f"/{slug}/documents/meetings/{meeting.pk}/").content.decode()
    assert f'href="{publish}">Publish the agenda and papers</a>' in page
    # A board member never sees the link; once published, nobody does.
    client.force_login(cast.board_member)
    assert publish not in client.get(f"/{slug}/documents/meetings/{meeting.pk}/").content.decode()
    Meeting.objects.filter(pk=meeting.pk).update(papers_published_on=timezone.localdate(), status="papers_published")
    client.force_login(cast.officer)
    assert publish not in client.get(f"/{slug}/documents/meetings/{meeting.pk}/").content.decode()
