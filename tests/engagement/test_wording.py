"""What the newcomer read on engagement's pages: a closed call or consultation says "Closed" on
the lists, not "Closes"; the 1–5 scale's radios stack rather than wrap onto a second row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement import services
from engagement.models import ConsultationResponse, Priority
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_consultation, partner_org

pytestmark = pytest.mark.django_db


def _url(setting: Setting, name: str, **kwargs: object) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": setting.strategy.slug, **kwargs})


def test_the_council_s_priorities_say_closed_for_a_closed_call(client, cast: Cast, setting: Setting) -> None:
    for call in (setting.call, setting.closed_call):
        Priority.objects.create(call=call, organisation=setting.council, author=cast.councillor, title=call.title)
    client.force_login(cast.councillor)
    page = client.get(_url(setting, "priority-list")).content.decode()
    closed = f"Closed {timezone.localtime(setting.closed_call.closes_at):%-d %b %Y}"
    assert closed in page
    assert f"Closes {timezone.localtime(setting.call.closes_at):%-d %b %Y}" in page
    assert f"Closes {timezone.localtime(setting.closed_call.closes_at):%-d %b %Y}" not in page


def test_the_organisation_s_responses_say_closed_for_a_closed_consultation(
    client, cast: Cast, setting: Setting
) -> None:
    consultation = make_consultation(setting)
    now = timezone.now()
    ConsultationResponse.objects.create(
        consultation=consultation, organisation=partner_org(setting), status="submitted", submitted_at=now
    )
    type(consultation).objects.filter(pk=consultation.pk).update(
        opens_at=now - timedelta(days=30), closes_at=now - timedelta(days=1)
    )
    client.force_login(cast.partner)
    page = client.get(_url(setting, "response-list")).content.decode()
    assert f"Closed {timezone.localtime(now - timedelta(days=1)):%-d %b %Y}" in page and "Closes " not in page


def test_the_scale_question_s_radios_are_stacked(client, cast: Cast, setting: Setting) -> None:
    consultation = make_consultation(setting)
    response = services.response_start(actor=cast.partner, consultation=consultation, organisation=partner_org(setting))
    client.force_login(cast.partner)
    page = client.get(_url(setting, "response-edit", pk=response.pk)).content.decode()
    assert "5 – highest" in page and "1 – lowest" in page
    assert (
        "govuk-radios--inline"
        not in page.split("How far do you agree with the draft vision?")[1].split("</fieldset>")[0]
    )
