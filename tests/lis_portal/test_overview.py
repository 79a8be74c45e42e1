"""The public overview lists what is open for engagement, to everybody."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.models import Consultation
from tests.conftest import Cast
from tests.timeline.conftest import make_process

pytestmark = pytest.mark.django_db


def test_open_consultations_show_on_the_overview_and_closed_ones_do_not(client, cast: Cast) -> None:
    process = make_process(cast.strategy)
    now = timezone.now()
    for title, opens, closes in [
        ("Skills for the estuary", now - timedelta(days=1), now + timedelta(days=9)),
        ("Last year's survey", now - timedelta(days=30), now - timedelta(days=20)),
    ]:
        Consultation.objects.create(
            strategy=cast.strategy,
            phase=process.phases[0],
            title=title,
            description="About it.",
            opens_at=opens,
            closes_at=closes,
        )
    body = client.get(cast.strategy.get_absolute_url()).content.decode()
    assert "Skills for the estuary</li>" not in body  # plain text, but listed
    assert "Skills for the estuary: a consultation for partners" in body
    # A closed one is not open: it is listed under "what you said, what we did" instead, linked.
    assert "Last year" not in body.split("Open for engagement")[1].split("</ul>")[0]
    assert '/you-said/">Last year&#x27;s survey</a>: a consultation, closed on' in body
    client.force_login(cast.partner)
    body = client.get(cast.strategy.get_absolute_url()).content.decode()
    open_one = Consultation.objects.get(title="Skills for the estuary")  # addressed to partners: their link opens it
    assert f'href="/{cast.strategy.slug}/engagement/consultations/{open_one.pk}/">Skills for the estuary</a>' in body


def test_the_overview_links_the_open_evidence_for_everyone(client, cast: Cast) -> None:
    body = client.get(cast.strategy.get_absolute_url()).content.decode()
    for name in ("evidence:open-data", "evidence:specialisms", "evidence:productivity"):
        url = reverse(name, kwargs={"strategy_slug": cast.strategy.slug})
        assert f'href="{url}"' in body
        assert client.get(url).status_code == 200  # signed out
    assert 'href="/api/"' in body and client.get("/api/").status_code == 200
