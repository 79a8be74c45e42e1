"""The page template (base.html) and the error pages keep their contract with the views."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template import loader
from django.test import Client, RequestFactory


def render_page(path: str = "/", **context: Any) -> str:
    request = RequestFactory().get(path)
    request.user = context.setdefault("user", AnonymousUser())
    return loader.render_to_string("base.html", context, request=request)


def person(*, staff: bool = False, member: bool = True) -> SimpleNamespace:
    return SimpleNamespace(
        is_authenticated=True,
        is_staff=staff,
        email="officer@example.org",
        get_full_name=lambda: "Olu Officer",
        has_perm=lambda perm, obj=None: member,
    )


STRATEGY = SimpleNamespace(slug="south-east", name="South East Local Industrial Strategy")


def test_anonymous_people_see_sign_in_and_no_strategy_navigation() -> None:
    html = render_page()

    assert 'href="/accounts/sign-in/">Sign in</a>' in html
    assert "Sign out" not in html
    assert "govuk-service-navigation" not in html
    assert 'class="govuk-generic-header__homepage-link">LIS Portal</a>' in html
    assert "govuk-logo" not in html and "crown" not in html.lower()


def test_a_signed_in_person_signs_out_with_a_post_form() -> None:
    html = render_page(user=person())

    assert "Olu Officer" in html
    form = html.split('<form class="app-header__account-form"', 1)[1].split("</form>", 1)[0]
    assert 'method="post" action="/accounts/sign-out/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<button type="submit"' in form
    assert 'href="/admin/"' not in html


def test_staff_also_see_the_admin_link() -> None:
    assert 'href="/admin/">Admin</a>' in render_page(user=person(staff=True))


@pytest.mark.parametrize(
    ("path", "current", "in_section"),
    [
        ("/south-east/", "Overview", None),
        ("/south-east/timeline/", "Timeline", None),
        ("/south-east/timeline/meetings/3/", None, "Timeline"),
        ("/south-east/evidence/", "Evidence", None),
        ("/south-east/documents/packs/", None, "Documents"),
    ],
)
def test_the_strategy_navigation_marks_where_you_are(path: str, current: str | None, in_section: str | None) -> None:
    html = render_page(path, strategy=STRATEGY, user=person())
    nav = html.split('id="strategy-navigation"', 1)[1].split("</ul>", 1)[0]

    assert "South East Local Industrial Strategy" in html
    for name, url in [
        ("Overview", "/south-east/"),
        ("Timeline", "/south-east/timeline/"),
        ("Evidence", "/south-east/evidence/"),
        ("Engagement", "/south-east/engagement/"),
        ("Documents", "/south-east/documents/"),
    ]:
        assert f'href="{url}"' in nav, name
    if current:
        assert f'aria-current="page"><strong class="govuk-service-navigation__active-fallback">{current}<' in nav
        assert nav.count("aria-current") == 1
    if in_section:
        assert f'aria-current="true"><strong class="govuk-service-navigation__active-fallback">{in_section}<' in nav
        assert nav.count("aria-current") == 1  # the overview is current only on its own page


def test_people_outside_the_strategy_see_only_its_public_sections() -> None:
    for user in (AnonymousUser(), person(member=False)):
        html = render_page("/south-east/", strategy=STRATEGY, user=user)
        nav = html.split('id="strategy-navigation"', 1)[1].split("</ul>", 1)[0]
        assert 'href="/south-east/timeline/"' in nav
        for private in ("evidence", "engagement", "documents"):
            assert f'href="/south-east/{private}/"' not in nav


def test_messages_show_as_notification_banners() -> None:
    messages = [
        Message(constants.SUCCESS, "Your priority was submitted."),
        Message(constants.INFO, "The call closes on Friday."),
    ]
    html = render_page(messages=messages)

    assert 'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    assert 'class="govuk-notification-banner" role="region"' in html
    main = html.split('id="main-content">', 1)[1]
    assert "Your priority was submitted." in main
    assert "The call closes on Friday." in main


def test_the_footer_links_to_the_legal_pages_without_crown_copyright() -> None:
    footer = render_page().split('<footer class="govuk-template__footer">', 1)[1]

    for url in ("/accessibility/", "/privacy/", "/cookies/"):
        assert f'href="{url}"' in footer
    assert "Open Government Licence v3.0" in footer
    assert "Crown copyright" not in footer


def test_the_500_page_renders_without_any_context() -> None:
    html = loader.get_template("500.html").render()

    assert "Sorry, there is a problem with the service" in html
    assert "/static/build/css/main.css" in html


@pytest.mark.django_db
def test_an_unknown_address_gets_the_page_not_found_page(client: Client) -> None:
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"If you typed the web address, check it is correct." in response.content


def test_the_403_page_asks_anonymous_people_to_sign_in() -> None:
    request = RequestFactory().get("/south-east/documents/")
    request.user = AnonymousUser()
    html = loader.render_to_string("403.html", {}, request=request)

    assert "You do not have permission to do this" in html
    assert 'href="/accounts/sign-in/?next=/south-east/documents/"' in html


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_gets_our_page() -> None:
    response = Client(enforce_csrf_checks=True).post("/accounts/sign-in/", {"username": "a@example.org"})

    assert response.status_code == 403
    assert b"Sorry, your form could not be sent" in response.content
