"""Every events, register, log and plan URL × every role × two strategies, as data.

Events: everyone taking part in the strategy (councillors, officers, partners) and administrators
read the list and an event's page; officers and administrators create, edit, cancel and attach
feedback. The register, the log and the plan (personal data): officers and administrators only.
Anybody else gets 404; anonymous visitors are sent to sign in; the other strategy's objects are
never reachable through this strategy's addresses (nor, for its own officers, at all from here)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import reverse

from engagement.models import Contact, Event
from tests.conftest import Cast
from tests.engagement.events_helpers import make_activity, make_contact, make_entry, make_event, university_of
from tests.permissions import ROLES, WHICH, page_failures, sign_in, strategy_of

MEMBERS = {"councillor", "officer", "partner", "admin"}
OFFICERS = {"officer", "admin"}

# (url name, which object it needs, who may GET it in their own strategy)
PAGES: list[tuple[str, str | None, set[str]]] = [
    ("event-list", None, MEMBERS),
    ("event-create", None, OFFICERS),
    ("event-detail", "event", MEMBERS),
    ("event-edit", "event", OFFICERS),
    ("event-cancel", "event", OFFICERS),
    ("event-feedback", "event", OFFICERS),
    ("contact-list", None, OFFICERS),
    ("contact-create", None, OFFICERS),
    ("contact-detail", "contact", OFFICERS),
    ("contact-edit", "contact", OFFICERS),
    ("contact-remove", "contact", OFFICERS),
    ("organisation-register", "organisation", OFFICERS),
    ("entry-list", None, OFFICERS),
    ("entry-create", None, OFFICERS),
    ("plan", None, OFFICERS),
    ("activity-create", None, OFFICERS),
    ("activity-edit", "activity", OFFICERS),
]


def _objects(cast: Cast, which: str) -> dict[str, int]:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    event = make_event(strategy, internal_notes="Secret budget line.")
    contact = make_contact(strategy)
    activity = make_activity(strategy)
    make_entry(strategy, contact=contact, event=event, planned_activity=activity)
    return {
        "event": event.pk,
        "contact": contact.pk,
        "activity": activity.pk,
        "organisation": university_of(strategy).pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_event_and_register_pages(client, cast: Cast, role: str, which: str) -> None:
    objects = _objects(cast, which)
    sign_in(client, cast, role)

    def internal_notes(name: str, response: HttpResponse) -> None:
        if name == "event-detail" and response.status_code == 200:
            # Internal notes: officers and administrators only.
            assert ("Secret budget line." in response.content.decode()) == (role in OFFICERS)

    failures = page_failures(
        client,
        namespace="engagement",
        pages=PAGES,
        strategy=strategy_of(cast, which),
        objects=objects,
        role=role,
        own=which == "own",
        on_response=internal_notes,
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_event_and_register_writes(client, cast: Cast, role: str, which: str) -> None:
    """POSTs that change something: cancel an event, remove a contact. Only officers of the strategy
    (and administrators) change anything; nobody else changes a row."""
    objects = _objects(cast, which)
    strategy = strategy_of(cast, which)
    sign_in(client, cast, role)
    may = role in OFFICERS and (which == "own" or role == "admin")
    cancel = reverse("engagement:event-cancel", kwargs={"strategy_slug": strategy.slug, "pk": objects["event"]})
    response = client.post(cancel, {"reason": "Snow."})
    assert response.status_code == (302 if may or role == "anonymous" else 404)
    assert Event.objects.get(pk=objects["event"]).is_cancelled == may
    remove = reverse("engagement:contact-remove", kwargs={"strategy_slug": strategy.slug, "pk": objects["contact"]})
    response = client.post(remove)
    assert response.status_code == (302 if may or role == "anonymous" else 404)
    assert Contact.objects.filter(pk=objects["contact"]).exists() != may


@pytest.mark.django_db
def test_another_strategys_objects_are_not_reachable_through_this_strategy(client, cast: Cast) -> None:
    theirs = _objects(cast, "other")
    client.force_login(cast.officer)
    for name, needs in (
        ("event-detail", "event"),
        ("event-edit", "event"),
        ("event-feedback", "event"),
        ("contact-detail", "contact"),
        ("contact-edit", "contact"),
        ("organisation-register", "organisation"),
        ("activity-edit", "activity"),
    ):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": theirs[needs]})
        assert client.get(url).status_code == 404, name
