"""The strategy overview lists the open calls for priorities; the demo holds one, serving drafting."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from engagement.models import Call
from engagement.selectors import call_list_open
from tests.conftest import Cast
from tests.engagement.conftest import Setting
from timeline.models import Phase

pytestmark = pytest.mark.django_db


def test_the_overview_lists_open_calls_and_links_them_for_those_who_can_follow(
    client, cast: Cast, setting: Setting
) -> None:
    overview = reverse("strategy-overview", kwargs={"strategy_slug": cast.strategy.slug})
    page = client.get(overview).content.decode()
    assert setting.call.title in page  # the public sees what is open…
    # A closed call is not open (it is listed further down, under "what you said, what we did").
    assert setting.closed_call.title not in page.split("Open for engagement")[1].split("</ul>")[0]
    assert f"/engagement/calls/{setting.call.pk}/" not in page  # …without a link it could not follow
    client.force_login(cast.councillor)
    assert f"/engagement/calls/{setting.call.pk}/" in client.get(overview).content.decode()


def test_upcoming_calls_are_not_open_yet(setting: Setting) -> None:
    Call.objects.filter(pk=setting.call.pk).update(opens_at=timezone.now() + timedelta(hours=1))
    assert list(call_list_open(strategy=setting.strategy)) == []


def test_the_demo_has_one_open_call_serving_drafting_and_loads_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("loaddemo", stdout=io.StringIO())
    call_command("loaddemo", stdout=io.StringIO())
    call = Call.objects.get(phase__stage=Phase.Stage.DRAFTING)
    assert call.strategy.slug == "south-east"
    assert call.phase.stage == Phase.Stage.DRAFTING
    assert call.is_open()
    assert "demo" in call.title and "portal’s demo wording" in call.description
    assert call.version == 1


def test_the_demo_has_a_partners_consultation_with_a_question_of_each_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    from engagement.models import Consultation

    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("loaddemo", stdout=io.StringIO())
    call_command("loaddemo", stdout=io.StringIO())
    consultation = Consultation.objects.get(audience="partners")
    assert consultation.is_open()
    assert consultation.phase.stage == Phase.Stage.DRAFTING
    kinds = list(consultation.questions.values_list("kind", flat=True))
    assert kinds == ["text", "single", "multiple", "scale"]
    assert len(consultation.questions.get(kind="single").choices) == 5


def test_the_demo_has_a_consultation_for_everyone_that_a_visitor_can_answer(
    client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engagement.models import Consultation

    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")
    call_command("loaddemo", stdout=io.StringIO())
    call_command("loaddemo", stdout=io.StringIO())
    consultation = Consultation.objects.get(audience="public", phase__stage=Phase.Stage.DRAFTING)
    assert consultation.is_open() and "demo" in consultation.title
    assert list(consultation.questions.values_list("kind", flat=True)) == ["scale", "text"]
    overview = client.get("/south-east/").content.decode()
    public_page = f"/south-east/engagement/consultations/{consultation.pk}/respond/public/"
    assert public_page in overview
    assert client.get(public_page).status_code == 200
