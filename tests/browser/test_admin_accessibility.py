"""The admin pages an administrator uses to invite people: the invitation form (organisation
chosen through the autocomplete select) and the invitation list with its filters. axe-core finds
no WCAG 2.2 AA violation on them (an accessible name on the autocomplete, filter links at least
24 × 24 CSS pixels: WCAG 2.2's 2.5.8 Target Size), and the Nu HTML checker no error."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from core.models import Organisation, Role
from core.services import invitation_create
from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_invitation_pages_of_the_admin_are_accessible(page: Any, cast: Cast) -> None:
    invitation_create(
        email="new.councillor@example.org",
        name="Nia New",
        organisation=Organisation.objects.get(slug="kent-council"),
        role=Role.COUNCILLOR,
        invited_by=cast.admin,
        accept_url="https://example.org/accept/{token}/",
    )
    sign_in(page, cast.admin.email)

    page.goto("/admin/core/invitation/add/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("invitation")
    # The select2 box is named by the field's label, then what it shows (the placeholder until a choice).
    expect(page.get_by_role("combobox", name="Organisation: Choose one")).to_be_visible()
    assert_accessible(page)
    # Choosing through the autocomplete keeps the name, now with the choice, and the invitation is sent.
    page.get_by_label("Email").fill("second.councillor@example.org")
    page.get_by_label("Name").fill("Sam Second")
    page.get_by_role("combobox", name="Organisation: Choose one").click()
    page.locator(".select2-search__field").fill("Kent Borough")
    page.get_by_role("option", name="Kent Borough Council").click()
    expect(page.get_by_role("combobox", name="Organisation: Kent Borough Council")).to_be_visible()
    page.get_by_label("Role").select_option(Role.COUNCILLOR)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Invitation emailed to second.councillor@example.org")

    page.goto("/admin/core/invitation/")
    assert_accessible(page)
    filters = page.locator("#changelist-filter")
    filters.get_by_role("link", name="Councillor").click()
    expect(page).to_have_url(re.compile(r"role__exact=councillor"))
    expect(filters.get_by_role("link", name="Clear all filters")).to_be_visible()
    assert_accessible(page)
    for link in filters.get_by_role("link").all():
        box = link.bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, link.inner_text()
