"""What a consultation consults on, in the browser: the officer uploads a PDF, chooses the draft
version and the propositions on the consultation's pages; signed out, a member of the public reads
"What we are consulting on" on the public response page, opens the draft version and downloads the
PDF. axe-core finds no WCAG 2.2 AA violation and the Nu checker no error on any page visited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from engagement import services
from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast
from tests.engagement.consulted_helpers import PDF, make_consulted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_officer_links_documents_and_the_public_reads_them(page: Any, cast: Cast, media: None, tmp_path: Path) -> None:
    made = make_consulted(cast.strategy, code=100)
    consultation = made.public
    # Start from nothing consulted on but the draft: the officer adds the rest in the browser.
    consultation.refresh_from_db()
    services.consultation_propositions_set(
        actor=made.officer, consultation=consultation, propositions=[], version=consultation.version
    )
    services.consultation_document_remove(actor=made.officer, document=made.public_document)
    slug = cast.strategy.slug

    sign_in(page, cast.officer.email)
    page.goto(consultation.get_absolute_url())
    expect(page.get_by_role("heading", name="Documents consulted on")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Upload a document").click()
    expect(page.get_by_role("heading", level=1, name="Upload a document to consult on")).to_be_visible()
    page.get_by_role("button", name="Upload the document").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Title of the document").fill("Evidence summary, October 2026")
    page.get_by_label("The document, as a PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload the document").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Evidence summary, October 2026")

    page.get_by_role("link", name="Choose the propositions").click()
    expect(page.get_by_role("heading", level=1, name="Propositions consulted on")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("A skills guarantee (emerging)").check()
    page.get_by_role("button", name="Save the propositions").click()

    page.get_by_role("link", name="Choose the draft version").click()
    expect(page.get_by_role("heading", level=1, name="Draft version consulted on")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Version 1: For consultation").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("version 1 of the draft")
    assert_accessible(page)

    # Signed out: the public response page lists them; the draft opens, the PDF downloads.
    page.context.clear_cookies()
    page.goto(f"/{slug}/engagement/consultations/{consultation.pk}/respond/public/")
    expect(page.get_by_role("heading", name="What we are consulting on")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Proposition: A skills guarantee")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Evidence summary, October 2026 (download)").click()
    download = info.value
    assert download.suggested_filename == "summary.pdf"
    assert Path(download.path()).read_bytes() == PDF
    page.get_by_role("link", name="draft, version 1").click()
    expect(page.get_by_role("heading", level=1, name="draft, version 1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("A productive economy.")
    assert_accessible(page)
