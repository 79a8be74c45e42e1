"""The section editor saves the text and what the section draws on in one submission, through the
one edit mechanism: never a "saved" message while ticked links were dropped (issue 12's defect), and
a save made on an old version is refused with both the text and the ticks kept as typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from documents import services
from documents.models import DraftSection
from tests.conftest import Cast
from tests.documents.conftest import Papers
from tests.documents.test_links_and_summaries import _priority, _section
from tests.engagement.conftest import make_evidence

pytestmark = pytest.mark.django_db


def _edit_url(cast: Cast, section: DraftSection) -> str:
    return reverse("documents:section-edit", kwargs={"strategy_slug": cast.strategy.slug, "pk": section.pk})


def test_text_and_links_are_saved_together(client: Client, cast: Cast, papers: Papers) -> None:
    section = _section(papers)
    item = make_evidence(cast.strategy, "Kent skills audit")
    priority = _priority(cast, papers, "Ports skills centre")
    client.force_login(cast.officer)
    section.refresh_from_db()
    response = client.post(
        _edit_url(cast, section),
        {
            "title": "Skills",
            "body": "A ports skills centre.",
            "version": section.version,
            "evidence_items": [item.pk],
            "priorities": [priority.pk],
            "save": "1",
        },
    )
    assert response.status_code == 302
    section.refresh_from_db()
    assert (section.title, section.body) == ("Skills", "A ports skills centre.")
    assert list(section.evidence_items.all()) == [item] and list(section.priorities.all()) == [priority]


def test_a_stale_save_keeps_the_text_and_the_ticks_as_typed(client: Client, cast: Cast, papers: Papers) -> None:
    section = _section(papers)
    item = make_evidence(cast.strategy, "Kent skills audit")
    section.refresh_from_db()
    opened = section.version
    services.draft_section_save(
        actor=cast.officer,
        section=section,
        title=section.title,
        body="Their text, saved first.",
        version=opened,
    )
    client.force_login(cast.officer)
    page = client.post(
        _edit_url(cast, section),
        {"title": section.title, "body": "My text.", "version": opened, "evidence_items": [item.pk], "save": "1"},
    ).content.decode()
    assert "Someone else saved this section" in page
    assert "Their text, saved first." in page and "My text." in page
    assert f'value="{item.pk}" checked' in page  # the tick is kept
    section.refresh_from_db()
    assert section.body == "Their text, saved first." and not section.evidence_items.exists()
