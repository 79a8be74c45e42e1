"""An officer's question text and hint reach every response form escaped, never as markup.

A question's hint becomes the field's help text and its text the field's label; both are shown to
signed-out visitors on the public response page, and to partners and officers on the signed-in and
offline forms (issue 13, item 1: the hint was printed with |safe).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from engagement import services
from engagement.models import Question
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_consultation, partner_org

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert('hint')</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
]


def _url(name: str, setting: Setting, **kwargs: int) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": setting.strategy.slug, **kwargs})


@pytest.mark.parametrize("payload", HOSTILE)
def test_question_hints_and_labels_are_escaped_on_every_response_form(
    cast: Cast, setting: Setting, client: Client, payload: str
) -> None:
    consultation = make_consultation(setting, audience="public")
    Question.objects.filter(consultation=consultation).update(hint=payload, text=f"Question {payload}")

    pages = {"public (signed out)": _url("public-response-create", setting, pk=consultation.pk)}
    response = services.response_start(actor=cast.partner, consultation=consultation, organisation=partner_org(setting))
    signed_in = {
        "signed-in response": (cast.partner, _url("response-edit", setting, pk=response.pk)),
        "offline entry": (cast.officer, _url("offline-response-create", setting, pk=consultation.pk)),
    }

    bodies = {name: client.get(url) for name, url in pages.items()}
    for name, (person, url) in signed_in.items():
        client.force_login(person)
        bodies[name] = client.get(url)
        client.logout()

    for name, page in bodies.items():
        assert page.status_code == 200, name
        html = page.content.decode()
        assert payload not in html, f"{name} carries the hostile text unescaped"
        assert escape(payload) in html, f"{name} does not show the hint as text"
