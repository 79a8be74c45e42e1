"""Events, feedback templates, the stakeholder register, the log and the plan: their services.
Validation, the audit trail, stale edits, and forgery across strategies refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Organisation, Theme
from engagement import services
from engagement.models import Consultation, EngagementEntry, Event, PlannedActivity, Question
from engagement.selectors import plan_against_actual
from tests.conftest import Cast
from tests.engagement.conftest import Setting
from tests.engagement.events_helpers import (
    council_of,
    event_data,
    make_activity,
    make_contact,
    make_entry,
    make_event,
    officer_of,
    university_of,
)
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_an_officer_creates_a_workshop_and_it_is_audited(cast: Cast) -> None:
    event = make_event(cast.strategy)
    assert event.kind == Event.Kind.WORKSHOP
    assert event.theme is not None and event.theme.slug == "people"
    assert set(event.attending.values_list("slug", flat=True)) == {"kent-council", "kent-university"}
    assert AuditEvent.objects.filter(verb="event.created", target_id=str(event.pk)).exists()


def test_a_workshop_needs_a_theme_and_other_kinds_do_not(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as error:
        make_event(cast.strategy, theme=None)
    assert error.value.field == "theme"
    assert not Event.objects.exists()
    roundtable = make_event(cast.strategy, kind="roundtable", theme=None, place="online")
    assert roundtable.theme is None and roundtable.place == "online"


def test_a_place_is_required(cast: Cast) -> None:
    with pytest.raises(ApplicationError, match="online"):
        make_event(cast.strategy, place="  ")


@pytest.mark.parametrize("field", ["organiser", "attending", "phase", "planned_activity"])
def test_an_event_refuses_what_belongs_to_another_strategy(
    cast: Cast, setting: Setting, other_setting: Setting, field: str
) -> None:
    other = cast.other_strategy
    forged = {
        "organiser": other.lead,
        "attending": [council_of(other)],
        "phase": other_setting.process.phases[0],
        "planned_activity": make_activity(other),
    }[field]
    with pytest.raises(ApplicationError) as error:
        make_event(cast.strategy, **{field: forged})
    assert error.value.field == field
    assert not Event.objects.filter(strategy=cast.strategy).exists()


def test_an_organisation_outside_every_strategy_is_refused(cast: Cast) -> None:
    stranger = OrganisationFactory(kind=Organisation.Kind.BUSINESS)
    with pytest.raises(ApplicationError):
        make_event(cast.strategy, attending=[stranger])


def test_a_stale_edit_is_refused_with_the_changes(cast: Cast) -> None:
    when = timezone.now() + timedelta(days=3)
    event = make_event(cast.strategy, starts_at=when)
    officer = officer_of(cast.strategy)
    services.event_update(
        actor=officer, event=event, data=event_data(cast.strategy, title="Theirs", starts_at=when), version=1
    )
    with pytest.raises(StaleEditError) as error:
        services.event_update(
            actor=officer, event=event, data=event_data(cast.strategy, title="Mine", starts_at=when), version=1
        )
    assert [c.field for c in error.value.conflicts] == ["title"]
    assert Event.objects.get(pk=event.pk).title == "Theirs"
    saved = services.event_update(
        actor=officer, event=event, data=event_data(cast.strategy, title="Mine", attending=[]), version=2
    )
    assert saved.title == "Mine" and saved.version == 3 and not saved.attending.exists()


def test_cancel_needs_a_reason_and_freezes_the_event(cast: Cast) -> None:
    event = make_event(cast.strategy)
    officer = officer_of(cast.strategy)
    with pytest.raises(ApplicationError):
        services.event_cancel(actor=officer, event=event, reason=" ")
    services.event_cancel(actor=officer, event=event, reason="The venue flooded.")
    event.refresh_from_db()
    assert event.is_cancelled and event.cancelled_reason == "The venue flooded."
    with pytest.raises(ApplicationError, match="already cancelled"):
        services.event_cancel(actor=officer, event=event, reason="Again")
    with pytest.raises(ApplicationError, match="cancelled"):
        services.event_update(actor=officer, event=event, data=event_data(cast.strategy), version=event.version)


def test_feedback_template_makes_a_short_consultation_open_from_the_event(cast: Cast, setting: Setting) -> None:
    event = make_event(cast.strategy, phase=setting.process.phases[1])
    consultation = services.event_feedback_attach(
        actor=officer_of(cast.strategy),
        event=event,
        audience=Consultation.Audience.PUBLIC,
        days=10,
        questions=["How useful was it, 1 to 5?", "What should we prioritise?", ""],
    )
    event.refresh_from_db()
    assert event.feedback == consultation
    assert consultation.opens_at == event.starts_at
    assert consultation.closes_at == event.starts_at + timedelta(days=10)
    assert consultation.phase == setting.process.phases[1]
    questions = list(consultation.questions.order_by("order"))
    assert [(q.kind, q.text, q.required) for q in questions] == [
        (Question.Kind.SCALE, "How useful was it, 1 to 5?", True),
        (Question.Kind.TEXT, "What should we prioritise?", True),
    ]
    assert AuditEvent.objects.filter(verb="event.feedback_attached").exists()
    assert AuditEvent.objects.filter(verb="consultation.created").exists()
    with pytest.raises(ApplicationError, match="already"):
        services.event_feedback_attach(
            actor=officer_of(cast.strategy), event=event, audience="public", days=10, questions=["Q"]
        )


def test_feedback_needs_a_phase_days_a_question_and_an_open_window(cast: Cast, setting: Setting) -> None:
    officer = officer_of(cast.strategy)
    event = make_event(cast.strategy)
    with pytest.raises(ApplicationError, match="phase"):
        services.event_feedback_attach(actor=officer, event=event, audience="public", days=10, questions=["Q"])
    phase = setting.process.phases[0]
    for days, questions, match in ((0, ["Q"], "days"), (10, ["", " "], "question")):
        with pytest.raises(ApplicationError, match=match):
            services.event_feedback_attach(
                actor=officer, event=event, audience="public", days=days, questions=questions, phase=phase
            )
    past = make_event(cast.strategy, starts_at=timezone.now() - timedelta(days=30))
    with pytest.raises(ApplicationError, match="already be closed"):
        services.event_feedback_attach(
            actor=officer, event=past, audience="public", days=5, questions=["Q"], phase=phase
        )
    assert not Consultation.objects.exists()


def test_feedback_refuses_a_phase_of_another_strategy(cast: Cast, setting: Setting, other_setting: Setting) -> None:
    event = make_event(cast.strategy)
    with pytest.raises(ApplicationError, match="phase"):
        services.event_feedback_attach(
            actor=officer_of(cast.strategy),
            event=event,
            audience="public",
            days=5,
            questions=["Q"],
            phase=other_setting.process.phases[0],
        )
    assert not Consultation.objects.exists()


# The register ---------------------------------------------------------------------------------------


def test_a_contact_needs_a_basis_and_an_organisation_of_the_strategy(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as error:
        make_contact(cast.strategy, basis="")
    assert error.value.field == "basis"
    with pytest.raises(ApplicationError) as error:
        make_contact(cast.strategy, organisation=university_of(cast.other_strategy))
    assert error.value.field == "organisation"
    with pytest.raises(ApplicationError) as error:
        make_contact(cast.strategy, email="not an email")
    assert error.value.field == "email"
    contact = make_contact(cast.strategy, organisation=None)
    assert contact.organisation is None
    audit = AuditEvent.objects.get(verb="contact.created")
    assert "priya" not in str(audit.data).lower()


def test_a_stale_contact_edit_is_refused(cast: Cast) -> None:
    contact = make_contact(cast.strategy)
    officer = officer_of(cast.strategy)
    data = {
        "name": "Priya Patel",
        "organisation": None,
        "role": "CEO",
        "email": "",
        "phone": "",
        "notes": "",
        "basis": "Consent.",
    }
    services.contact_update(actor=officer, contact=contact, data=data, version=1)
    with pytest.raises(StaleEditError) as error:
        services.contact_update(actor=officer, contact=contact, data={**data, "role": "Dean"}, version=1)
    assert [c.field for c in error.value.conflicts] == ["role"]


def test_removing_a_contact_keeps_their_engagements_with_the_organisation(cast: Cast) -> None:
    contact = make_contact(cast.strategy)
    entry = make_entry(cast.strategy, contact=contact, organisation=None)
    assert entry.organisation == university_of(cast.strategy)
    services.contact_remove(actor=officer_of(cast.strategy), contact=contact)
    entry.refresh_from_db()
    assert entry.contact is None and entry.organisation == university_of(cast.strategy)
    assert AuditEvent.objects.filter(verb="contact.removed").exists()
    # The audit trail no longer names the person.
    assert not AuditEvent.objects.filter(target_repr__icontains="Priya").exists()


@pytest.mark.parametrize("field", ["contact", "organisation", "event", "planned_activity"])
def test_a_log_entry_refuses_what_belongs_to_another_strategy(cast: Cast, field: str) -> None:
    other = cast.other_strategy
    forged = {
        "contact": make_contact(other),
        "organisation": council_of(other),
        "event": make_event(other),
        "planned_activity": make_activity(other),
    }[field]
    with pytest.raises(ApplicationError) as error:
        make_entry(cast.strategy, **{field: forged})
    assert error.value.field == field
    assert not EngagementEntry.objects.filter(strategy=cast.strategy).exists()


def test_a_log_entry_needs_someone_and_a_past_date(cast: Cast) -> None:
    with pytest.raises(ApplicationError, match="contact or the organisation"):
        make_entry(cast.strategy, organisation=None)
    with pytest.raises(ApplicationError, match="has happened"):
        make_entry(cast.strategy, happened_on=date.today() + timedelta(days=2))
    entry = make_entry(cast.strategy, theme=Theme.objects.get(slug="ideas"))
    assert entry.logged_by == officer_of(cast.strategy)


# The plan --------------------------------------------------------------------------------------------


def test_an_activity_owner_must_be_an_officer_of_the_strategy(cast: Cast) -> None:
    with pytest.raises(ApplicationError) as error:
        make_activity(cast.strategy, owner=officer_of(cast.other_strategy))
    assert error.value.field == "owner"
    with pytest.raises(ApplicationError):
        make_activity(cast.strategy, owner=cast.councillor)
    assert not PlannedActivity.objects.exists()


def test_a_stale_activity_edit_is_refused(cast: Cast) -> None:
    activity = make_activity(cast.strategy)
    officer = officer_of(cast.strategy)
    data = {name: getattr(activity, name) for name in PlannedActivity.CONTENT_FIELDS}
    services.activity_update(actor=officer, activity=activity, data={**data, "status": "done"}, version=1)
    with pytest.raises(StaleEditError) as error:
        services.activity_update(actor=officer, activity=activity, data={**data, "channel": "Letter"}, version=1)
    assert {c.field for c in error.value.conflicts} == {"channel", "status"}


def test_plan_against_actual(cast: Cast) -> None:
    today = date.today()
    delivered = make_activity(cast.strategy, "Delivered", planned_on=today - timedelta(days=5))
    overdue = make_activity(cast.strategy, "Overdue", planned_on=today - timedelta(days=5))
    cancelled = make_activity(cast.strategy, "Dropped", planned_on=today - timedelta(days=5), status="cancelled")
    future = make_activity(cast.strategy, "Future")
    make_entry(cast.strategy, planned_activity=delivered)
    unplanned = make_entry(cast.strategy, about="A chance meeting.")
    past_event = make_event(cast.strategy, starts_at=timezone.now() - timedelta(days=1))
    make_event(cast.strategy, title="Planned event", planned_activity=future)
    make_activity(cast.other_strategy, "Not ours", planned_on=today - timedelta(days=5))
    plan = plan_against_actual(strategy=cast.strategy)
    assert [a.title for a in plan.activities] == ["Delivered", "Overdue", "Dropped", "Future"]
    assert plan.overdue == [overdue]
    assert [e.pk for e in plan.unplanned_entries] == [unplanned.pk]
    assert [e.pk for e in plan.unplanned_events] == [past_event.pk]
    assert cancelled not in plan.overdue
