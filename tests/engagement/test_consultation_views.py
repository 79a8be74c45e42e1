"""Consultation pages through the test client: the officer creates one and its questions; a partner
starts a response, saves, a colleague continues, a stale save shows what changed and keeps the
words, submits and sees it; the officer's list, filters, coding, response and moderation; the CSV
export with formulas neutralised; and query counts that do not grow with the responses."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Organisation, Role, Theme
from engagement.models import Consultation, ConsultationResponse, Question, Tag
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_consultation, make_response, partner_org
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def url(name: str, setting: Setting, pk: int | None = None) -> str:
    kwargs: dict[str, Any] = {"strategy_slug": setting.strategy.slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"engagement:{name}", kwargs=kwargs)


def answers_data(consultation: Consultation, version: int, **overrides: Any) -> dict[str, Any]:
    q = list(consultation.questions.order_by("order"))
    data: dict[str, Any] = {
        f"q_{q[0].pk}": "A ports skills centre.",
        f"q_{q[1].pk}": "People",
        f"q_{q[2].pk}": ["Medway"],
        f"q_{q[3].pk}": "4",
        "version": str(version),
        "action": "save",
    }
    for key, value in overrides.items():
        if key.startswith("q") and key[1:].isdigit():
            data[f"q_{q[int(key[1:])].pk}"] = value
        else:
            data[key] = value
    return data


def test_officer_creates_a_consultation_and_its_questions(client, cast: Cast, setting: Setting) -> None:
    client.force_login(cast.officer)
    data = {
        "title": "Emerging propositions",
        "description": "Tell us what you think of them.",
        "audience": "partners",
        "phase": setting.process.phases[3].pk,
        "opens_on_0": "7",
        "opens_on_1": "10",
        "opens_on_2": "2026",
        "opens_time": "09:00",
        "closes_on_0": "31",
        "closes_on_1": "10",
        "closes_on_2": "2026",
        "closes_time": "17:00",
    }
    response = client.post(url("consultation-create", setting), data)
    consultation = Consultation.objects.get()
    assert response.status_code == 302 and response.url == consultation.get_absolute_url()
    assert consultation.audience == "partners" and consultation.created_by == cast.officer

    bad = client.post(url("question-create", setting, consultation.pk), {"kind": "single", "text": "Which?"})
    assert "Give at least two choices, one a line" in bad.content.decode()
    for kind, text, choices in [
        ("text", "What should we do?", ""),
        ("single", "Which matters most?", "Ideas\n  People  \n\nPlaces"),
        ("multiple", "Where do you work?", "Medway\nThanet"),
        ("scale", "How far do you agree?", ""),
    ]:
        response = client.post(
            url("question-create", setting, consultation.pk),
            {"kind": kind, "text": text, "choices": choices, "required": "yes"},
        )
        assert response.status_code == 302
    questions = list(consultation.questions.order_by("order"))
    assert [q.kind for q in questions] == ["text", "single", "multiple", "scale"]
    assert questions[1].choices == ["Ideas", "People", "Places"]
    client.post(url("question-move", setting, questions[3].pk), {"direction": "up"})
    assert list(consultation.questions.values_list("kind", flat=True)) == ["text", "single", "scale", "multiple"]
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Move up" in page and "Add a question" in page


def test_a_partner_responds_a_colleague_continues_and_a_stale_save_keeps_my_words(
    client, cast: Cast, setting: Setting
) -> None:
    consultation = make_consultation(setting)
    client.force_login(cast.partner)
    detail = client.get(consultation.get_absolute_url()).content.decode()
    assert "Start the response" in detail
    response = client.post(url("response-start", setting, consultation.pk))
    draft = ConsultationResponse.objects.get()
    assert response.url == url("response-edit", setting, draft.pk)
    page = client.get(response.url).content.decode()
    assert 'type="radio"' in page and 'type="checkbox"' in page and "<textarea" in page and "5 – highest" in page

    response = client.post(url("response-edit", setting, draft.pk), answers_data(consultation, 1, q0="First go"))
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.version == 2 and draft.status == "draft"

    colleague = MembershipFactory(organisation=partner_org(setting), role=Role.PARTNER).user
    client.force_login(colleague)
    assert "Continue the response" in client.get(consultation.get_absolute_url()).content.decode()
    client.post(url("response-edit", setting, draft.pk), answers_data(consultation, 2, q0="The colleague’s words"))

    client.force_login(cast.partner)
    response = client.post(url("response-edit", setting, draft.pk), answers_data(consultation, 2, q0="My words"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this response" in page and colleague.name in page
    assert "The colleague’s words" in page and "My words</textarea>" in page
    assert 'name="version" value="3"' in page
    draft.refresh_from_db()
    assert draft.answers[str(consultation.questions.first().pk)] == "The colleague’s words"  # type: ignore[union-attr]

    response = client.post(
        url("response-edit", setting, draft.pk), answers_data(consultation, 3, q0="My words", action="submit")
    )
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.submitted_by == cast.partner
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "My words" in page and "4 of 5" in page and "Medway" in page
    assert client.get(url("response-edit", setting, draft.pk)).status_code == 302  # final once submitted
    listing = client.get(url("response-list", setting)).content.decode()
    assert consultation.title in listing and "Submitted" in listing


def test_submit_with_questions_unanswered_saves_and_says_which(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    draft = make_response(setting, consultation, cast.partner, submit=False)
    client.force_login(cast.partner)
    data = answers_data(consultation, draft.version, q0="", q3="", action="submit")
    response = client.post(url("response-edit", setting, draft.pk), data)
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Your answers are saved, but not submitted. To submit the response, answer questions 1 and 4." in page
    draft.refresh_from_db()
    assert draft.status == "draft" and str(consultation.questions.first().pk) not in draft.answers  # type: ignore[union-attr]
    # The form carries the new version, so saving again is not refused as stale.
    response = client.post(url("response-edit", setting, draft.pk), answers_data(consultation, draft.version))
    assert response.status_code == 302


def test_forged_answers_are_refused(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    draft = make_response(setting, consultation, cast.partner, submit=False)
    client.force_login(cast.partner)
    data = answers_data(consultation, draft.version, q1="Business", q3="9", q0="x" * 50_000)
    page = client.post(url("response-edit", setting, draft.pk), data).content.decode()
    assert "Choose one of the answers given" in page and "Choose a point from 1 to 5" in page
    assert "4,000 characters or fewer" in page
    before = draft.answers
    draft.refresh_from_db()
    assert draft.answers == before


def test_a_partner_cannot_start_for_another_organisation(client, cast: Cast, setting: Setting, other_setting) -> None:
    consultation = make_consultation(setting)
    client.force_login(cast.partner)
    response = client.post(
        url("response-start", setting, consultation.pk), {"organisation": partner_org(other_setting).pk}, follow=True
    )
    assert "Choose the organisation you respond for" in response.content.decode()
    assert not ConsultationResponse.objects.exists()


def test_answers_are_shown_as_text(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    response = make_response(
        setting, consultation, cast.partner, q0='<script>alert(1)</script><img src=x onerror="x()">'
    )
    client.force_login(cast.officer)
    page = client.get(response.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page and "<img src=x" not in page


def test_officer_watches_codes_responds_and_hides(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    response = make_response(setting, consultation, cast.partner)
    make_response(setting, make_consultation(setting, title="Other"), cast.partner)
    client.force_login(cast.officer)
    listing = client.get(url("consultation-responses", setting, consultation.pk)).content.decode()
    assert partner_org(setting).name in listing and "Not coded yet" in listing
    people = Theme.objects.get(slug="people")
    client.post(url("response-code", setting, response.pk), {"coded_themes": [people.pk], "tags": "skills, ports"})
    client.post(url("response-reply", setting, response.pk), {"response": "We made skills a proposition."})
    page = client.post(url("response-hide", setting, response.pk), {"reason": ""}).content.decode()
    assert "Enter the reason for hiding the response" in page
    client.post(url("response-hide", setting, response.pk), {"reason": "Names a member of the public"})
    response.refresh_from_db()
    assert response.coded_at and response.is_hidden and response.reply == "We made skills a proposition."
    filtered = client.get(url("consultation-responses", setting, consultation.pk), {"hidden": "hide"})
    assert "No responses match the filter" in filtered.content.decode()
    tag = Tag.objects.get(name="ports")
    by_tag = client.get(url("consultation-responses", setting, consultation.pk), {"tag": tag.pk}).content.decode()
    assert "1 response match" in by_tag

    client.force_login(cast.partner)
    page = client.get(response.get_absolute_url()).content.decode()
    assert "We made skills a proposition." in page
    assert "Names a member of the public" not in page and "History" not in page


def read_export(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_export_streams_csv_with_formulas_neutralised(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    Question.objects.filter(consultation=consultation, order=1).update(text="=1+1 what should we do?")
    make_response(setting, consultation, cast.partner, q0='=HYPERLINK("https://evil.example","Click")')
    college = OrganisationFactory(kind=Organisation.Kind.COLLEGE, name="@College")
    setting.strategy.partners.add(college)
    other = MembershipFactory(organisation=college, role=Role.PARTNER).user
    draft = ConsultationResponse.objects.create(consultation=consultation, organisation=college, started_by=other)
    Organisation.objects.filter(pk=partner_org(setting).pk).update(name="-Kent University")
    client.force_login(cast.officer)
    response = client.get(url("consultation-export", setting, consultation.pk))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="responses-')
    rows = read_export(response)
    assert len(rows) == 2  # the draft stays with its organisation
    cells = dict(zip(rows[0], rows[1], strict=True))
    assert cells["Organisation"] == "'-Kent University"
    assert cells["Q1. =1+1 what should we do?"] == '\'=HYPERLINK("https://evil.example","Click")'
    assert cells["Q2. Which foundation matters most to you?"] == "People"
    assert cells["Q4. How far do you agree with the draft vision?"] == "4 of 5"
    for value in rows[0] + rows[1]:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert AuditEvent.objects.filter(verb="consultation.responses_exported").count() == 1
    assert draft.pk


# Query counts ----------------------------------------------------------------------------------------


def bulk_responses(setting: Setting, consultation: Consultation, count: int, *, prefix: str) -> None:
    """Submitted responses from `count` new partner organisations, coded with themes and tags."""
    themes = list(Theme.objects.all()[:2])
    questions = list(consultation.questions.order_by("order"))
    now = timezone.now()
    for i in range(count):
        organisation = OrganisationFactory(kind=Organisation.Kind.BUSINESS_GROUP, name=f"{prefix} group {i}")
        setting.strategy.partners.add(organisation)
        response = ConsultationResponse.objects.create(
            consultation=consultation,
            organisation=organisation,
            answers={str(questions[0].pk): "=cmd", str(questions[2].pk): ["Medway"], str(questions[3].pk): 3},
            status="submitted",
            submitted_at=now,
            coded_at=now,
        )
        response.coded_themes.set(themes)
        tag, _ = Tag.objects.get_or_create(strategy=setting.strategy, name=f"{prefix}-{i % 3}")
        response.tags.set([tag])


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("consultation-responses", "officer"),
        ("consultation-export", "officer"),
        ("consultation-list", "officer"),
        ("consultation-detail", "officer"),
        ("consultation-list", "partner"),
        ("consultation-detail", "partner"),
        ("response-list", "partner"),
        ("index", "officer"),
    ],
)
def test_query_count_does_not_grow_with_responses(
    client, cast: Cast, setting: Setting, name: str, role: str, django_assert_num_queries
) -> None:
    consultation = make_consultation(setting)
    client.force_login(getattr(cast, role))
    bulk_responses(setting, consultation, 2, prefix="Few")
    for i in range(2):
        make_response(setting, make_consultation(setting, title=f"Few {i}"), cast.partner)
    with_pk = name not in ("consultation-list", "response-list", "index")
    target = url(name, setting, consultation.pk) if with_pk else url(name, setting)

    def fetch() -> None:
        response = client.get(target)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)

    fetch()
    with CaptureQueriesContext(connection) as few:
        fetch()
    bulk_responses(setting, consultation, 40, prefix="Many")
    for i in range(8):
        make_response(setting, make_consultation(setting, title=f"Many {i}"), cast.partner)
    with django_assert_num_queries(len(few)):
        fetch()
