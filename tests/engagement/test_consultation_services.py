"""Consultation services on the database: the officer's consultation and questions, an
organisation's response (start, a colleague continuing, the stale save, bad answers, submit,
the close), and the officer's coding, response and moderation, each with its audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Organisation, Role, Theme
from engagement import services
from engagement.models import Consultation, ConsultationResponse, Question
from tests.conftest import Cast
from tests.engagement.conftest import Setting, full_answers, make_consultation, make_response, partner_org
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def verbs(target: object) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(target.pk), target_type__model=type(target).__name__.lower())  # type: ignore[attr-defined]
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def test_officer_creates_a_consultation_for_a_phase_of_the_strategy(
    cast: Cast, setting: Setting, other_setting: Setting
) -> None:
    now = timezone.now()
    data = {
        "title": "Emerging propositions",
        "description": "Tell us.",
        "audience": Consultation.Audience.PARTNERS,
        "opens_at": now,
        "closes_at": now + timedelta(days=14),
        "phase": setting.process.phases[3],
    }
    consultation = services.consultation_create(actor=cast.officer, strategy=setting.strategy, data=data)
    assert verbs(consultation) == ["consultation.created"]
    with pytest.raises(ApplicationError, match="phase of this strategy"):
        services.consultation_create(
            actor=cast.officer, strategy=setting.strategy, data={**data, "phase": other_setting.process.phases[3]}
        )
    with pytest.raises(ApplicationError, match="close after it opens"):
        services.consultation_create(
            actor=cast.officer, strategy=setting.strategy, data={**data, "closes_at": now - timedelta(days=1)}
        )
    updated = services.consultation_update(
        actor=cast.officer, consultation=consultation, data={**data, "title": "Propositions"}, version=1
    )
    assert updated.version == 2
    with pytest.raises(StaleEditError) as error:
        services.consultation_update(
            actor=cast.officer, consultation=consultation, data={**data, "title": "X"}, version=1
        )
    assert [(c.field, c.theirs, c.yours) for c in error.value.conflicts] == [("title", "Propositions", "X")]


def test_questions_are_ordered_checked_moved_and_frozen_once_responses_start(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    Question.objects.filter(consultation=consultation).delete()
    add = services.question_add
    first = add(actor=cast.officer, consultation=consultation, kind="text", text="Why?")
    second = add(actor=cast.officer, consultation=consultation, kind="single", text="Which?", choices=["A", "B"])
    third = add(actor=cast.officer, consultation=consultation, kind="scale", text="How far?", choices=["ignored"])
    assert [q.order for q in (first, second, third)] == [1, 2, 3]
    assert third.choices == []
    with pytest.raises(ApplicationError, match="between 2 and"):
        add(actor=cast.officer, consultation=consultation, kind="multiple", text="Which ones?", choices=["Only"])
    with pytest.raises(ApplicationError, match="each choice once"):
        add(actor=cast.officer, consultation=consultation, kind="multiple", text="Which?", choices=["A", "a"])

    services.question_move(actor=cast.officer, question=third, up=True)
    assert list(consultation.questions.values_list("text", flat=True)) == ["Why?", "How far?", "Which?"]
    services.question_remove(actor=cast.officer, question=first)
    assert consultation.questions.count() == 2
    assert "consultation.question_moved" in verbs(consultation)

    services.response_start(actor=cast.partner, consultation=consultation, organisation=partner_org(setting))
    with pytest.raises(ApplicationError, match="started to respond"):
        add(actor=cast.officer, consultation=consultation, kind="text", text="Late question")
    with pytest.raises(ApplicationError, match="started to respond"):
        services.question_remove(actor=cast.officer, question=second)


def test_a_colleague_continues_the_draft_and_a_stale_save_is_refused(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    organisation = partner_org(setting)
    colleague = MembershipFactory(organisation=organisation, role=Role.PARTNER).user
    draft = services.response_start(actor=cast.partner, consultation=consultation, organisation=organisation)
    assert services.response_start(actor=colleague, consultation=consultation, organisation=organisation) == draft

    mine = services.response_save(
        actor=cast.partner, response=draft, answers=full_answers(consultation), version=draft.version
    )
    theirs = services.response_save(
        actor=colleague, response=draft, answers=full_answers(consultation, q0="The colleague’s words"), version=2
    )
    assert theirs.version == 3 and theirs.last_saved_by == colleague
    with pytest.raises(StaleEditError) as error:
        services.response_save(
            actor=cast.partner, response=mine, answers=full_answers(consultation, q0="My words"), version=mine.version
        )
    conflicts = error.value.conflicts
    assert [(c.label, c.theirs, c.yours) for c in conflicts] == [
        ("What should the strategy do for skills?", "The colleague’s words", "My words")
    ]
    assert colleague.name in error.value.message
    draft.refresh_from_db()
    assert draft.answers[str(consultation.questions.first().pk)] == "The colleague’s words"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"q1": "Business"}, "Choose one of the answers given"),
        ({"q2": ["Medway", "Paris"]}, "Choose answers from those given"),
        ({"q3": "6"}, "from 1 to 5"),
        ({"q3": "four"}, "from 1 to 5"),
        ({"q0": "x" * 50_000}, "4,000 characters or fewer"),
    ],
)
def test_bad_answers_are_refused_and_nothing_saved(
    cast: Cast, setting: Setting, override: dict[str, object], message: str
) -> None:
    consultation = make_consultation(setting)
    draft = services.response_start(actor=cast.partner, consultation=consultation, organisation=partner_org(setting))
    with pytest.raises(ApplicationError, match=message) as error:
        services.response_save(
            actor=cast.partner, response=draft, answers=full_answers(consultation, **override), version=1
        )
    assert str(error.value.field).startswith("q_")
    draft.refresh_from_db()
    assert draft.answers == {} and draft.version == 1


def test_script_is_stored_as_text_and_answers_are_normalised(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    response = make_response(
        setting, consultation, cast.partner, submit=False, q0="<script>alert(1)</script>", q2=["Thanet", "Medway"]
    )
    questions = list(consultation.questions.order_by("order"))
    assert response.answers[str(questions[0].pk)] == "<script>alert(1)</script>"
    assert response.answers[str(questions[2].pk)] == ["Medway", "Thanet"]  # in the question's order
    assert response.answers[str(questions[3].pk)] == 4


def test_submit_needs_the_required_answers_and_is_final(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    draft = make_response(setting, consultation, cast.partner, submit=False, q0="", q3="")
    with pytest.raises(ApplicationError, match="answer questions 1 and 4"):
        services.response_submit(actor=cast.partner, response=draft)
    draft = services.response_save(
        actor=cast.partner, response=draft, answers=full_answers(consultation, q2=[]), version=draft.version
    )
    submitted = services.response_submit(actor=cast.partner, response=draft)  # question 3 is optional
    assert submitted.status == ConsultationResponse.Status.SUBMITTED and submitted.submitted_by == cast.partner
    with pytest.raises(ApplicationError, match="submitted"):
        services.response_save(
            actor=cast.partner, response=submitted, answers=full_answers(consultation), version=submitted.version
        )
    with pytest.raises(ApplicationError, match="already been submitted"):
        services.response_submit(actor=cast.partner, response=submitted)
    assert verbs(submitted) == ["response.started", "response.saved", "response.saved", "response.submitted"]


def test_nothing_is_written_before_the_opening_or_after_the_close(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    draft = make_response(setting, consultation, cast.partner, submit=False)
    with time_machine.travel(consultation.closes_at + timedelta(seconds=1)):
        with pytest.raises(ApplicationError, match="closed at"):
            services.response_submit(actor=cast.partner, response=draft)
        with pytest.raises(ApplicationError, match="closed at"):
            services.response_save(
                actor=cast.partner, response=draft, answers=full_answers(consultation), version=draft.version
            )
    upcoming = make_consultation(setting, title="Later")
    Consultation.objects.filter(pk=upcoming.pk).update(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=5)
    )
    with pytest.raises(ApplicationError, match="opens at"):
        services.response_start(actor=cast.partner, consultation=upcoming, organisation=partner_org(setting))


def test_only_the_audience_responds_for_its_own_organisation(
    cast: Cast, setting: Setting, other_setting: Setting
) -> None:
    partners = make_consultation(setting)
    with pytest.raises(ApplicationError, match="only respond for an organisation"):
        services.response_start(actor=cast.councillor, consultation=partners, organisation=setting.council)
    with pytest.raises(ApplicationError, match="only respond for an organisation"):  # a forged organisation
        services.response_start(actor=cast.partner, consultation=partners, organisation=partner_org(other_setting))
    councillors = make_consultation(setting, audience="councillors", title="For councils")
    with pytest.raises(ApplicationError, match="only respond for an organisation"):
        services.response_start(actor=cast.partner, consultation=councillors, organisation=partner_org(setting))
    response = services.response_start(actor=cast.councillor, consultation=councillors, organisation=setting.council)
    assert response.organisation == setting.council
    everyone = make_consultation(setting, audience="public", title="For everyone")
    for person, organisation in ((cast.councillor, setting.council), (cast.partner, partner_org(setting))):
        assert services.response_start(actor=person, consultation=everyone, organisation=organisation).pk


def test_officer_codes_replies_hides_and_unhides_a_submitted_response(cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    draft = make_response(setting, consultation, cast.partner, submit=False)
    with pytest.raises(ApplicationError, match="still a draft"):
        services.response_reply(actor=cast.officer, response=draft, reply="Thanks")
    response = services.response_submit(actor=cast.partner, response=draft)
    people = Theme.objects.get(slug="people")
    services.response_code(actor=cast.officer, response=response, themes=[people], tags=["Skills", "ports"])
    services.response_code(actor=cast.officer, response=response, themes=[people], tags=["skills"])
    assert [t.name for t in response.tags.all()] == ["Skills"]  # the strategy's tag, whatever the case
    with pytest.raises(ApplicationError, match="Enter the LEP’s response"):
        services.response_reply(actor=cast.officer, response=response, reply="  ")
    services.response_reply(actor=cast.officer, response=response, reply="We did this.")
    services.response_reply(actor=cast.officer, response=response, reply="We did that.")
    with pytest.raises(ApplicationError, match="reason"):
        services.response_hide(actor=cast.officer, response=response, reason="")
    services.response_hide(actor=cast.officer, response=response, reason="Personal details")
    response.refresh_from_db()
    assert response.is_hidden and response.reply == "We did that." and response.replied_by == cast.officer
    services.response_unhide(actor=cast.officer, response=response)
    shown = ConsultationResponse.objects.get(pk=response.pk)
    assert not shown.is_hidden and shown.hidden_reason == ""
    assert verbs(response)[-6:] == [
        "response.coded",
        "response.coded",
        "response.replied",
        "response.reply_changed",
        "response.hidden",
        "response.unhidden",
    ]


def test_a_partner_of_two_organisations_responds_for_each(cast: Cast, setting: Setting) -> None:
    college = Organisation.objects.create(name="Kent College", slug="kent-college", kind=Organisation.Kind.COLLEGE)
    setting.strategy.partners.add(college)
    MembershipFactory(user=cast.partner, organisation=college, role=Role.PARTNER)
    cast.partner.__dict__.pop("_engagement_partner_ids", None)
    consultation = make_consultation(setting)
    first = services.response_start(actor=cast.partner, consultation=consultation, organisation=partner_org(setting))
    second = services.response_start(actor=cast.partner, consultation=consultation, organisation=college)
    assert first.pk != second.pk
