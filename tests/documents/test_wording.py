"""What the newcomer read on documents' pages: one full stop after a version's note, the draft
version's title without "draft: draft", and the review window's status on its own line."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation
from documents import services
from documents.consulted import version_title
from documents.models import DraftVersion, ReviewWindow
from tests.conftest import Cast
from tests.documents.conftest import Papers

pytestmark = pytest.mark.django_db


def _open(cast: Cast, papers: Papers) -> ReviewWindow:
    return services.review_window_open(
        actor=cast.officer,
        draft=papers.version.draft,
        version=papers.version,
        organisations=[cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)],
        closes_on=timezone.localdate() + timedelta(days=14),
    )


def test_review_page_puts_one_full_stop_after_the_note_and_the_status_on_its_own(
    client, cast: Cast, papers: Papers
) -> None:
    DraftVersion.objects.filter(pk=papers.version.pk).update(note="Draft for review.")
    window = _open(cast, papers)
    url = reverse("documents:review-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": window.pk})
    client.force_login(cast.officer)
    page = client.get(url).content.decode()
    assert "Draft for review. Opened" in page and ".." not in page.split("<main")[1]
    assert '<p class="govuk-body"><strong class="govuk-tag govuk-tag--green">Open for comments</strong>' in page
    services.review_window_close(actor=cast.officer, window=window)
    page = client.get(url).content.decode()
    assert "Closed for comments on " in page
    assert 'govuk-tag--grey">Closed ' not in page  # no tag wrapping inside the sentence


def test_a_draft_version_s_title_says_draft_once(cast: Cast, papers: Papers) -> None:
    version = papers.version
    assert version.draft.title.endswith(": draft")
    assert version_title(version) == f"{version.draft.title}, version {version.number}"
    version.draft.title = "Our strategy"
    assert version_title(version) == f"Our strategy: draft version {version.number}"
