"""Offline input for priorities: an officer enters a council's priority on its behalf, stored
submitted and marked so for officers and the council; forged councils, hidden evidence, the
future and incomplete priorities are refused with nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Email, Organisation, Theme
from engagement import services
from engagement.models import Priority
from tests.conftest import Cast
from tests.engagement.conftest import Setting, full_data, make_evidence

pytestmark = pytest.mark.django_db


def test_an_officer_enters_a_councils_priority(cast: Cast, setting: Setting, mailoutbox) -> None:
    today = timezone.localdate()
    priority = services.priority_enter_offline(
        actor=cast.officer,
        call=setting.call,
        organisation=setting.council,
        data=full_data(evidence_items=[make_evidence(setting.strategy, "Open report", sharing="open")]),
        channel="workshop",
        received_on=today,
    )
    assert priority.status == Priority.Status.SUBMITTED and priority.author is None
    assert priority.entered_by == cast.officer
    assert priority.offline_label.startswith("Entered by Kent Officer on behalf of kent Borough Council, from workshop")
    assert AuditEvent.objects.filter(verb="priority.entered_offline", target_id=str(priority.pk)).exists()
    assert not Email.objects.exists() and not mailoutbox


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("other_council", "Choose a council"),
        ("officers_evidence", "cannot see"),
        ("future", "future"),
        ("channel", "Choose where"),
        ("incomplete", "To enter the priority"),
    ],
)
def test_bad_offline_priorities_are_refused(cast: Cast, setting: Setting, change: str, message: str) -> None:
    organisation = setting.council
    data = full_data()
    received, channel = timezone.localdate(), "paper"
    if change == "other_council":
        organisation = Organisation.objects.get(slug="berkshire-council")
    elif change == "officers_evidence":
        data = full_data(evidence_items=[make_evidence(setting.strategy, "Officers' note", sharing="officers")])
    elif change == "future":
        received += timedelta(days=1)
    elif change == "channel":
        channel = "pigeon"
    else:
        data = full_data(summary="", themes=[])
    with pytest.raises(ApplicationError, match=message):
        services.priority_enter_offline(
            actor=cast.officer,
            call=setting.call,
            organisation=organisation,
            data=data,
            channel=channel,
            received_on=received,
        )
    assert not Priority.objects.exists()


def test_the_officers_page_and_the_councils_view(client, cast: Cast, setting: Setting) -> None:
    today = timezone.localdate()
    url = reverse("engagement:offline-priority-create", kwargs={"strategy_slug": "kent", "pk": setting.call.pk})
    client.force_login(cast.officer)
    page = client.get(url)
    assert page.status_code == 200 and "Enter a priority on a council’s behalf" in page.content.decode()
    theme = Theme.objects.get(slug="people")
    data = {
        "organisation": str(setting.council.pk),
        "channel": "phone",
        "received_on_0": str(today.day),
        "received_on_1": str(today.month),
        "received_on_2": str(today.year),
        "title": "Ports skills",
        "summary": "A skills centre.",
        "why_it_matters": "Jobs.",
        "foundations": [str(theme.pk)],
        "scale": "local",
    }
    done = client.post(url, data)
    priority = Priority.objects.get()
    assert done.status_code == 302 and done.url == priority.get_absolute_url()
    listing = client.get(
        reverse("engagement:call-priorities", kwargs={"strategy_slug": "kent", "pk": setting.call.pk})
    ).content.decode()
    assert "Entered by Kent Officer on behalf of kent Borough Council, from phone" in listing
    export = client.get(reverse("engagement:call-export", kwargs={"strategy_slug": "kent", "pk": setting.call.pk}))
    body = b"".join(export.streaming_content).decode()
    assert "Channel" in body.splitlines()[0] and "Phone" in body
    client.force_login(cast.councillor)
    mine = client.get(reverse("engagement:priority-list", kwargs={"strategy_slug": "kent"})).content.decode()
    assert "Entered by Kent Officer on behalf of kent Borough Council, from phone" in mine
    detail = client.get(priority.get_absolute_url()).content.decode()
    assert "Entered by Kent Officer" in detail
    # A forged council id: the form error, nothing saved.
    client.force_login(cast.officer)
    data["organisation"] = str(Organisation.objects.get(slug="berkshire-council").pk)
    page = client.post(url, data)
    assert page.status_code == 200 and "Choose a council of the strategy" in page.content.decode()
    assert Priority.objects.count() == 1
