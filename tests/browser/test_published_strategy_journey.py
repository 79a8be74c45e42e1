"""An officer publishes the strategy the board signed off (a saved version and the board's
decision) from the draft's page; a real Celery worker renders its PDF; a signed-out visitor reads
the published strategy as a web page — contents, numbered sections, the public evidence linked, the
agreed propositions by title, the sign-off linked — and downloads the PDF. axe-core and the Nu HTML
checker find nothing wrong on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from documents.models import Pack, Publication
from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.documents import conftest as documents_fixtures
from tests.documents.publishing import (
    AGREED,
    EMERGING,
    OPEN_EVIDENCE,
    SECRET_EVIDENCE,
    SECTION_MARKER,
    make_publishable,
)

media = documents_fixtures.media
pack_workers = documents_fixtures.pack_workers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.celery_worker]


def test_an_officer_publishes_the_strategy_and_a_visitor_reads_and_downloads_it(
    page: Any, cast: Cast, media, pack_workers
) -> None:
    pack_workers()
    ready = make_publishable(cast.strategy)
    slug = cast.strategy.slug
    today = timezone.localdate()
    response = page.goto(f"/{slug}/documents/strategy/")
    assert response is not None and response.status == 404  # nothing published yet

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/draft/")
    page.get_by_role("link", name="Publish the strategy").click()
    expect(page.get_by_role("heading", level=1, name="Publish the strategy")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the strategy").click()  # nothing filled in
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Version to publish").select_option(label="Version 1: As signed off")
    # Only sign-off decisions are offered, none chosen for the officer.
    page.get_by_label("The board’s sign-off").select_option(str(ready.decision.pk))
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Summary").fill("Our plan for good jobs across the county.")
    page.get_by_role("button", name="Publish the strategy").click()
    expect(page.get_by_text("Edition 1 published")).to_be_visible()
    publication = Publication.objects.get(strategy=cast.strategy)
    assert publication.decision == ready.decision
    sign_out(page)

    page.goto(f"/{slug}/")  # the strategy's overview links it
    page.get_by_role("link", name="Read the published strategy").click()
    expect(page.get_by_role("heading", level=1, name=cast.strategy.name)).to_be_visible()
    download = page.get_by_role("link", name=re.compile(r"Download the strategy as a PDF \(\d+ pages?\)"))
    for _ in range(60):  # the worker renders it meanwhile; the page says so once it is ready
        if download.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(download).to_be_visible()
    expect(page.get_by_text("Our plan for good jobs across the county.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections of this version")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="1. Introduction")).to_be_visible()
    expect(page.get_by_text(SECTION_MARKER, exact=False)).to_be_visible()
    expect(page.get_by_role("link", name=OPEN_EVIDENCE)).to_be_visible()
    expect(page.get_by_text(AGREED)).to_be_visible()
    expect(page.get_by_role("link", name=AGREED)).to_have_count(0)
    expect(page.get_by_text(SECRET_EVIDENCE)).to_have_count(0)
    expect(page.get_by_text(EMERGING)).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as info:
        download.click()
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert publication.pack is not None
    assert Pack.objects.get(pk=publication.pack.pk).status == Pack.Status.READY

    page.get_by_role("link", name=re.compile(r"^\d+ \w+ \d{4}$")).click()  # the sign-off decision
    expect(page.get_by_text("The board approves the strategy.")).to_be_visible()
