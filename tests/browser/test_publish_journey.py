"""A signed-out visitor finds, on the strategy's overview, the closed consultation and the closed
call for priorities, and reads what people said and what the LEP replied: responses credited as
their respondents chose, priorities credited by their councils with the agreed propositions they fed
into. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement import services
from engagement.models import Call, Consultation, Proposition
from tests.browser.axe import assert_accessible
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_priority, make_response, make_setting

pytestmark = pytest.mark.django_db(transaction=True)

CONSULTATION = "Have your say on skills"
CALL = "Councils’ priorities for the draft strategy"


def test_a_visitor_reads_what_was_said_and_what_the_lep_did(page: Any, cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    consultation = make_consultation(setting, audience="public", title=CONSULTATION)
    response = make_response(setting, consultation, cast.partner)
    services.response_reply(actor=cast.officer, response=response, reply="We will fund a skills centre.")
    priority = make_priority(setting, cast.councillor, title="Ports skills centre")
    services.priority_respond(actor=cast.officer, priority=priority, response="Taken into the skills compact.")
    proposition = services.proposition_create(
        actor=cast.officer,
        strategy=setting.strategy,
        data=services.PropositionData(title="A skills compact", description="…", priorities=[priority]),
    )
    services.proposition_set_status(actor=cast.officer, proposition=proposition, status=Proposition.Status.AGREED)
    past = timezone.now() - timedelta(minutes=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=past)
    Call.objects.filter(pk=setting.call.pk).update(closes_at=past)
    slug = cast.strategy.slug

    page.goto(f"/{slug}/")
    expect(
        page.get_by_role("heading", name="Closed consultations and calls: what you said, what we did")
    ).to_be_visible()
    page.get_by_role("link", name=CONSULTATION).click()
    expect(page.get_by_role("heading", level=1, name=CONSULTATION)).to_be_visible()
    assert response.organisation is not None
    expect(page.get_by_role("heading", level=3, name=response.organisation.name)).to_be_visible()
    expect(page.get_by_text("We will fund a skills centre.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Back to {cast.strategy.name}").click()
    page.get_by_role("link", name=CALL).click()
    expect(page.get_by_role("heading", level=1, name=CALL)).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Ports skills centre")).to_be_visible()
    expect(page.get_by_text("Taken into the skills compact.")).to_be_visible()
    expect(page.get_by_text("A skills compact")).to_be_visible()
    assert_accessible(page)
