"""A search or filter form is sent with GET: it must not carry the CSRF token, which would then sit
in the address bar, the browser's history and the server's logs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import Cast

pytestmark = pytest.mark.django_db

GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*>(.*?)</form>', re.S | re.I)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("partner", "evidence:index"),
        ("officer", "evidence:item-list"),
        ("officer", "timeline:milestone-list"),
        ("officer", "engagement:entry-list"),
        ("officer", "engagement:contact-list"),
    ],
)
def test_get_forms_carry_no_csrf_token(client, cast: Cast, role: str, url_name: str) -> None:
    client.force_login(getattr(cast, role))
    response = client.get(reverse(url_name, kwargs={"strategy_slug": cast.strategy.slug}))
    assert response.status_code == 200
    forms = GET_FORM.findall(response.content.decode())
    assert forms, "the page has a GET form"
    assert not any("csrfmiddlewaretoken" in form for form in forms)
