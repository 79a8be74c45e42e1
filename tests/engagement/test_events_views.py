"""The pages of events, the stakeholder register, the log and the plan: forms through to the rows,
errors a person can act on, Markdown sanitised, and query counts that do not grow with the rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation, Theme
from engagement import services
from engagement.models import Consultation, Contact, EngagementEntry, Event, PlannedActivity
from tests.conftest import Cast
from tests.engagement.conftest import Setting
from tests.engagement.events_helpers import (
    council_of,
    make_activity,
    make_contact,
    make_entry,
    make_event,
    university_of,
)

pytestmark = pytest.mark.django_db


def url(name: str, strategy_slug: str, pk: int | None = None) -> str:
    kwargs: dict[str, object] = {"strategy_slug": strategy_slug}
    if pk is not None:
        kwargs["pk"] = pk
    return reverse(f"engagement:{name}", kwargs=kwargs)


def event_post(cast: Cast, **overrides: object) -> dict[str, object]:
    day = timezone.localdate() + timedelta(days=7)
    data: dict[str, object] = {
        "kind": "workshop",
        "title": "Workshop on clean growth",
        "theme": Theme.objects.get(slug="clean-growth").pk,
        "starts_on_0": day.day,
        "starts_on_1": day.month,
        "starts_on_2": day.year,
        "starts_time": "10:00",
        "place": "online",
        "organiser": cast.strategy.lead_id,
        "attending": [council_of(cast.strategy).pk],
        "notes": "Agenda:\n\n- energy\n- transport",
        "internal_notes": "",
        "phase": "",
        "planned_activity": "",
    }
    data.update(overrides)
    return data


def test_an_officer_creates_an_event_through_the_form(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    response = client.post(url("event-create", cast.strategy.slug), event_post(cast))
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == event.get_absolute_url()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Workshop on clean growth" in page and "<li>energy</li>" in page


def test_a_workshop_without_a_theme_is_refused_with_a_clear_error(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    response = client.post(url("event-create", cast.strategy.slug), event_post(cast, theme=""))
    assert response.status_code == 200
    assert "Choose the foundation or grand challenge the workshop is about" in response.content.decode()
    assert not Event.objects.exists()


def test_a_forged_organiser_of_another_strategy_is_refused(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    forged = event_post(cast, organiser=cast.other_strategy.lead_id, attending=[council_of(cast.other_strategy).pk])
    response = client.post(url("event-create", cast.strategy.slug), forged)
    assert response.status_code == 200
    assert "Choose an organisation of this strategy" in response.content.decode()
    assert not Event.objects.exists()


def test_notes_are_sanitised_markdown(client, cast: Cast) -> None:
    event = make_event(cast.strategy, notes="<script>alert(1)</script>\n\n[x](javascript:alert(2)) **bold**")
    client.force_login(cast.partner)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:alert" not in page


def test_a_stale_edit_shows_theirs_and_yours(client, cast: Cast) -> None:
    event = make_event(cast.strategy)
    client.force_login(cast.officer)
    edit = url("event-edit", cast.strategy.slug, event.pk)
    first = event_post(cast, title="Theirs", version=1)
    assert client.post(edit, first).status_code == 302
    response = client.post(edit, event_post(cast, title="Mine", version=1))
    page = response.content.decode()
    assert response.status_code == 200 and "Someone else saved this event" in page
    assert "Theirs" in page and "Mine" in page
    assert Event.objects.get(pk=event.pk).title == "Theirs"


def test_upcoming_and_past_lists(client, cast: Cast) -> None:
    make_event(cast.strategy, title="Coming up")
    make_event(cast.strategy, title="Long ago", starts_at=timezone.now() - timedelta(days=40))
    client.force_login(cast.councillor)
    upcoming = client.get(url("event-list", cast.strategy.slug)).content.decode()
    past = client.get(url("event-list", cast.strategy.slug) + "?when=past").content.decode()
    assert "Coming up" in upcoming and "Long ago" not in upcoming
    assert "Long ago" in past and "Coming up" not in past


def test_attach_feedback_through_the_form_and_see_the_response_count(client, cast: Cast, setting: Setting) -> None:
    event = make_event(cast.strategy, starts_at=timezone.now() - timedelta(hours=2))
    client.force_login(cast.officer)
    feedback = url("event-feedback", cast.strategy.slug, event.pk)
    page = client.get(feedback).content.decode()
    assert "How useful was the event to you" in page
    response = client.post(
        feedback,
        {
            "audience": "partners",
            "phase": setting.process.phases[1].pk,
            "days": "14",
            "question_1": "How useful, 1 to 5?",
            "question_2": "What should the strategy prioritise?",
            "question_3": "",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.questions.count() == 2 and consultation.is_open()
    q = list(consultation.questions.order_by("order"))
    response = services.response_start(
        actor=cast.partner, consultation=consultation, organisation=university_of(cast.strategy)
    )
    response = services.response_save(
        actor=cast.partner, response=response, answers={q[0].pk: "4", q[1].pk: "Skills."}, version=response.version
    )
    services.response_submit(actor=cast.partner, response=response)
    page = client.get(event.get_absolute_url()).content.decode()
    assert consultation.title in page and "1 response submitted" in page
    # A second attach sends the officer back to the event.
    assert client.get(feedback).status_code == 302
    # The partners' feedback is linked for partners, not for a councillor, who could not open it.
    consultation_url = url("consultation-detail", cast.strategy.slug, consultation.pk)
    client.force_login(cast.partner)
    assert consultation_url in client.get(event.get_absolute_url()).content.decode()
    client.force_login(cast.councillor)
    page = client.get(event.get_absolute_url()).content.decode()
    assert consultation_url not in page and consultation.title in page


def test_contacts_filter_by_kind_and_name(client, cast: Cast) -> None:
    make_contact(cast.strategy, "Priya Patel")
    make_contact(cast.strategy, "Chris Council", organisation=council_of(cast.strategy))
    make_contact(cast.strategy, "Nadia Nobody", organisation=None)
    make_contact(cast.other_strategy, "Other Person")
    client.force_login(cast.officer)
    listing = url("contact-list", cast.strategy.slug)
    page = client.get(listing).content.decode()
    assert "Priya Patel" in page and "Chris Council" in page and "Other Person" not in page
    page = client.get(listing, {"organisation_kind": Organisation.Kind.DISTRICT_COUNCIL}).content.decode()
    assert "Chris Council" in page and "Priya Patel" not in page
    page = client.get(listing, {"organisation_kind": "none"}).content.decode()
    assert "Nadia Nobody" in page and "Priya Patel" not in page
    page = client.get(listing, {"name": "pat"}).content.decode()
    assert "Priya Patel" in page and "Chris Council" not in page


def test_add_edit_and_remove_a_contact(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    data = {
        "name": "Sam Smith",
        "organisation": university_of(cast.strategy).pk,
        "role": "Head of Skills",
        "email": "sam@example.org",
        "phone": "",
        "notes": "",
        "basis": "",
    }
    response = client.post(url("contact-create", cast.strategy.slug), data)
    assert "Enter the consent or other basis" in response.content.decode()
    assert not Contact.objects.exists()
    response = client.post(url("contact-create", cast.strategy.slug), {**data, "basis": "Consent."})
    contact = Contact.objects.get()
    assert response.url == contact.get_absolute_url()
    response = client.post(
        url("contact-edit", cast.strategy.slug, contact.pk), {**data, "basis": "Consent.", "role": "Dean", "version": 1}
    )
    assert response.status_code == 302 and Contact.objects.get().role == "Dean"
    response = client.post(url("contact-remove", cast.strategy.slug, contact.pk))
    assert response.status_code == 302 and not Contact.objects.exists()


def test_log_an_engagement_and_see_it_on_the_register_pages(client, cast: Cast) -> None:
    contact = make_contact(cast.strategy)
    client.force_login(cast.officer)
    yesterday = date.today() - timedelta(days=1)
    data = {
        "contact": contact.pk,
        "organisation": "",
        "happened_on_0": yesterday.day,
        "happened_on_1": yesterday.month,
        "happened_on_2": yesterday.year,
        "method": "call",
        "about": "Apprenticeship levy transfers.",
        "theme": Theme.objects.get(slug="people").pk,
        "event": "",
        "planned_activity": "",
    }
    response = client.post(url("entry-create", cast.strategy.slug), data)
    assert response.status_code == 302
    entry = EngagementEntry.objects.get()
    assert entry.organisation == university_of(cast.strategy) and entry.logged_by == cast.officer
    for page in (
        url("entry-list", cast.strategy.slug),
        contact.get_absolute_url(),
        url("organisation-register", cast.strategy.slug, university_of(cast.strategy).pk),
    ):
        assert "Apprenticeship levy transfers." in client.get(page).content.decode()


def test_a_forged_contact_of_another_strategy_is_refused_in_the_log(client, cast: Cast) -> None:
    theirs = make_contact(cast.other_strategy)
    client.force_login(cast.officer)
    today = date.today()
    data = {
        "contact": theirs.pk,
        "happened_on_0": today.day,
        "happened_on_1": today.month,
        "happened_on_2": today.year,
        "method": "email",
        "about": "Hello.",
    }
    response = client.post(url("entry-create", cast.strategy.slug), data)
    assert response.status_code == 200 and "Choose a contact of this strategy" in response.content.decode()
    assert not EngagementEntry.objects.exists()


def test_plan_page_shows_overdue_delivered_and_unplanned(client, cast: Cast) -> None:
    done = make_activity(cast.strategy, "Newsletter to businesses", planned_on=date.today() - timedelta(days=3))
    make_activity(cast.strategy, "Letter to government", planned_on=date.today() - timedelta(days=3))
    make_entry(cast.strategy, planned_activity=done, about="Sent the newsletter.")
    make_entry(cast.strategy, about="Unplanned coffee with the council.")
    client.force_login(cast.officer)
    page = client.get(url("plan", cast.strategy.slug)).content.decode()
    assert "1 planned activity is overdue" in page
    assert "Overdue" in page and "Unplanned coffee with the council." in page


def test_add_a_planned_activity(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    day = date.today() + timedelta(days=20)
    data = {
        "title": "Voluntary sector roundtable",
        "audience": "voluntary",
        "channel": "Roundtable",
        "planned_on_0": day.day,
        "planned_on_1": day.month,
        "planned_on_2": day.year,
        "owner": cast.officer.pk,
        "status": "planned",
    }
    assert client.post(url("activity-create", cast.strategy.slug), data).status_code == 302
    activity = PlannedActivity.objects.get()
    assert activity.owner == cast.officer
    response = client.post(
        url("activity-edit", cast.strategy.slug, activity.pk), {**data, "owner": cast.other_officer.pk, "version": 1}
    )
    assert response.status_code == 200 and "Choose an officer of the LEP" in response.content.decode()


# Query counts ------------------------------------------------------------------------------------


def _rows(strategy, n: int, prefix: str) -> None:
    for i in range(n):
        activity = make_activity(strategy, f"{prefix} activity {i}", planned_on=date.today() - timedelta(days=i % 3))
        event = make_event(strategy, title=f"{prefix} event {i}", planned_activity=activity if i % 2 else None)
        contact = make_contact(strategy, f"{prefix} contact {i}")
        make_entry(strategy, contact=contact, event=event, planned_activity=activity if i % 2 else None)
        make_entry(strategy, about=f"{prefix} unplanned {i}")
        make_event(strategy, title=f"{prefix} past {i}", starts_at=timezone.now() - timedelta(days=i + 1))


@pytest.mark.parametrize(
    "name",
    [
        "event-list",
        "event-list-past",
        "contact-list",
        "entry-list",
        "plan",
        "organisation-register",
        "event-detail",
        "contact-detail",
    ],
)
def test_query_count_does_not_grow_with_rows(client, cast: Cast, name: str, django_assert_num_queries) -> None:
    strategy = cast.strategy
    client.force_login(cast.officer)
    anchor_event = make_event(strategy, title="Anchor")
    anchor_contact = make_contact(strategy, "Anchor contact")
    _rows(strategy, 2, "Few")
    for _ in range(2):
        make_entry(strategy, contact=anchor_contact, event=anchor_event)
    target = {
        "event-list": url("event-list", strategy.slug),
        "event-list-past": url("event-list", strategy.slug) + "?when=past",
        "contact-list": url("contact-list", strategy.slug),
        "entry-list": url("entry-list", strategy.slug),
        "plan": url("plan", strategy.slug),
        "organisation-register": url("organisation-register", strategy.slug, university_of(strategy).pk),
        "event-detail": anchor_event.get_absolute_url(),
        "contact-detail": anchor_contact.get_absolute_url(),
    }[name]
    assert client.get(target).status_code == 200
    with CaptureQueriesContext(connection) as few:
        assert client.get(target).status_code == 200
    _rows(strategy, 12, "Many")
    for _ in range(10):
        make_entry(strategy, contact=anchor_contact, event=anchor_event)
    with django_assert_num_queries(len(few)):
        assert client.get(target).status_code == 200
