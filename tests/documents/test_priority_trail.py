"""A priority's page says where it went: the propositions it was merged into (with their status),
the draft sections that cite it (with the version), and the board decisions taken on a draft that
cites it — each limited to what the reader may see (engagement/trail.py, documents' provider)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from documents import services
from documents.models import Pack
from engagement.models import Proposition
from tests.conftest import Cast
from tests.documents.conftest import Papers
from tests.documents.test_links_and_summaries import _priority, _section
from timeline.models import Decision

pytestmark = pytest.mark.django_db


def _cycle(cast: Cast, papers: Papers):
    priority = _priority(cast, papers, "Skills for the Thames Estuary's ports")
    proposition = Proposition.objects.create(
        strategy=cast.strategy, title="A skills deal for the ports", description=""
    )
    proposition.priorities.add(priority)
    section = _section(papers)
    services.draft_section_links_set(
        actor=cast.officer, section=section, evidence_item_ids=[], priority_ids=[priority.pk]
    )
    section.refresh_from_db()
    version = services.draft_version_save(actor=cast.officer, draft=section.draft, note="Cites the ports")
    meeting = papers.process.meeting
    Pack.objects.create(
        strategy=cast.strategy, kind=Pack.Kind.MEMBERS, meeting=meeting, draft_version=version, fingerprint="f" * 64
    )
    Decision.objects.create(
        meeting=meeting, text="The draft goes to consultation.", outcome="approved", is_published=True
    )
    Decision.objects.create(
        meeting=meeting, text="Confidential: the negotiating position.", outcome="approved", is_published=False
    )
    return priority, proposition, section, version


def test_the_councillor_follows_the_priority_to_the_draft_and_the_board(
    client: Client, cast: Cast, papers: Papers
) -> None:
    priority, proposition, section, version = _cycle(cast, papers)
    client.force_login(cast.councillor)
    page = client.get(priority.get_absolute_url()).content.decode()
    assert "Where it went" in page
    assert "A skills deal for the ports" in page and "(Emerging)" in page
    # The council's priority fed the proposition, so its councillors read the proposition's page.
    assert f'href="{proposition.get_absolute_url()}"' in page
    assert section.title in page and f"in version {version.number} of the draft" in page
    assert "The draft goes to consultation." in page
    assert "Confidential" not in page  # an unpublished decision stays with those who see the meetings
    # Only a members' pack carries the version: it is not shared with the councillor, so no link.
    version_url = f"/{cast.strategy.slug}/documents/draft/versions/{version.number}/"
    assert version_url not in page
    assert client.get(version_url).status_code == 404


def test_the_councillor_reads_the_proposition_but_cannot_change_it(client: Client, cast: Cast, papers: Papers) -> None:
    _, proposition, _, _ = _cycle(cast, papers)
    client.force_login(cast.councillor)
    page = client.get(proposition.get_absolute_url()).content.decode()
    assert "A skills deal for the ports" in page
    assert "Change status" not in page and "/edit/" not in page
    assert client.get(f"{proposition.get_absolute_url()}edit/").status_code == 404
    assert client.post(f"{proposition.get_absolute_url()}status/", {"status": "dropped"}).status_code == 404
    # A proposition no priority of the councillor's council fed stays the officers'.
    other = Proposition.objects.create(strategy=cast.strategy, title="Another", description="")
    assert client.get(other.get_absolute_url()).status_code == 404


def test_a_public_pack_shares_the_version_and_the_trail_links_its_section(
    client: Client, cast: Cast, papers: Papers
) -> None:
    priority, _, section, version = _cycle(cast, papers)
    Pack.objects.create(
        strategy=cast.strategy,
        kind=Pack.Kind.PUBLIC,
        meeting=papers.process.meeting,
        draft_version=version,
        fingerprint="p" * 64,
    )
    client.force_login(cast.councillor)
    page = client.get(priority.get_absolute_url()).content.decode()
    link = f"/{cast.strategy.slug}/documents/draft/versions/{version.number}/#section-{section.pk}"
    assert f'href="{link}"' in page
    version_page = client.get(link.split("#")[0]).content.decode()
    assert f'id="section-{section.pk}"' in version_page and section.title in version_page
    assert "Skills for the Thames Estuary" in version_page  # the priority it draws on


def test_the_officer_gets_links_and_every_decision(client: Client, cast: Cast, papers: Papers) -> None:
    priority, proposition, section, _ = _cycle(cast, papers)
    client.force_login(cast.officer)
    page = client.get(priority.get_absolute_url()).content.decode()
    assert f'href="{proposition.get_absolute_url()}"' in page
    assert f"/documents/draft/sections/{section.pk}/" in page
    assert "Confidential: the negotiating position." in page


def test_the_proposition_page_tells_where_it_went_and_what_comes_next(
    client: Client, cast: Cast, papers: Papers
) -> None:
    """The proposition's page has the same trail as the priority's: the sections that cite it (a
    draft section cites the proposition too), the meetings to come whose packs carry such a version
    (dates public, pages for those who see meetings) and the decisions."""
    priority, proposition, section, version = _cycle(cast, papers)
    services.draft_section_links_set(
        actor=cast.officer,
        section=section,
        evidence_item_ids=[],
        priority_ids=[priority.pk],
        proposition_ids=[proposition.pk],
    )
    version = services.draft_version_save(actor=cast.officer, draft=section.draft, note="Cites the proposition")
    meeting = papers.process.meeting
    meeting.starts_at = timezone.now() + timedelta(days=10)
    meeting.save()
    Pack.objects.create(
        strategy=cast.strategy, kind=Pack.Kind.PUBLIC, meeting=meeting, draft_version=version, fingerprint="q" * 64
    )
    client.force_login(cast.councillor)
    page = client.get(proposition.get_absolute_url()).content.decode()
    assert "Where it went" in page and section.title in page
    assert "Coming to the boards" in page and meeting.board.name in page
    assert f"/documents/meetings/{meeting.pk}/" not in page  # the meeting's page is the board's
    priority_page = client.get(priority.get_absolute_url()).content.decode()
    assert "the draft that cites it is in the meeting’s papers" in priority_page
    client.force_login(cast.officer)
    page = client.get(proposition.get_absolute_url()).content.decode()
    assert f"/documents/meetings/{meeting.pk}/" in page
