"""A draft section's links to the evidence items and priorities it draws on (same strategy only,
priorities once submitted), shown on the section, kept in versions, and printed in packs; the
members' pack's evidence and consultation summaries with their charts, read back with pypdf."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Organisation, Theme
from documents import selectors, services
from documents.models import DraftSection, Pack
from documents.render import pack_html
from engagement.models import Call, Priority
from evidence.importers import import_stream
from tests.conftest import Cast
from tests.documents.conftest import Papers, pdf_reader
from tests.engagement.conftest import make_evidence
from tests.evidence.conftest import make_places

pytestmark = pytest.mark.django_db


def _priority(cast: Cast, papers: Papers, title: str, *, status: str = Priority.Status.SUBMITTED, strategy=None):
    strategy = strategy or cast.strategy
    call, _ = Call.objects.get_or_create(
        strategy=strategy,
        title="Councils’ priorities",
        defaults={
            "phase": papers.process.phases[2] if strategy == cast.strategy else strategy.phases.first(),
            "description": "Tell us.",
            "opens_at": timezone.now() - timedelta(days=3),
            "closes_at": timezone.now() + timedelta(days=3),
        },
    )
    council = strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    priority = Priority.objects.create(
        call=call,
        organisation=council,
        title=title,
        status=status,
        submitted_at=timezone.now() if status != Priority.Status.DRAFT else None,
    )
    priority.themes.set(Theme.objects.filter(slug__in=["people", "clean-growth"]))
    return priority


def appendix_ids(papers: Papers) -> list[int]:
    return [a.pk for a in papers.open_paper.appendices.all()]


def _section(papers: Papers) -> DraftSection:
    section = papers.version.draft.sections.order_by("order").first()
    assert section is not None
    return section


def test_links_only_to_the_strategys_items_and_submitted_priorities(cast: Cast, papers: Papers) -> None:
    section = _section(papers)
    mine = make_evidence(cast.strategy, "Kent skills audit")
    theirs = make_evidence(cast.other_strategy, "Berkshire skills audit")
    submitted = _priority(cast, papers, "Ports skills centre")
    draft = _priority(cast, papers, "Unsubmitted idea", status=Priority.Status.DRAFT)
    with pytest.raises(ApplicationError, match="evidence items of this strategy"):
        services.draft_section_links_set(
            actor=cast.officer, section=section, evidence_item_ids=[theirs.pk], priority_ids=[]
        )
    with pytest.raises(ApplicationError, match="submitted"):
        services.draft_section_links_set(
            actor=cast.officer, section=section, evidence_item_ids=[], priority_ids=[draft.pk]
        )
    services.draft_section_links_set(
        actor=cast.officer, section=section, evidence_item_ids=[mine.pk], priority_ids=[submitted.pk]
    )
    assert list(section.evidence_items.all()) == [mine] and list(section.priorities.all()) == [submitted]
    assert AuditEvent.objects.filter(verb="draft.section_linked").count() == 1
    version = services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="Linked")
    first = version.sections[0]
    assert first["evidence"] == [{"id": mine.pk, "title": mine.title, "sharing": "partners"}]
    assert first["priorities"][0]["title"] == "Ports skills centre"


def test_the_section_page_sets_and_shows_its_links(client, cast: Cast, papers: Papers) -> None:
    section = _section(papers)
    item = make_evidence(cast.strategy, "Kent skills audit")
    make_evidence(cast.other_strategy, "Berkshire skills audit")
    priority = _priority(cast, papers, "Ports skills centre")
    client.force_login(cast.officer)
    url = reverse("documents:section-edit", kwargs={"strategy_slug": cast.strategy.slug, "pk": section.pk})
    page = client.get(url).content.decode()
    assert "Kent skills audit" in page and "Berkshire skills audit" not in page
    section.refresh_from_db()
    text = {"title": section.title, "body": "Skills for the ports.", "version": section.version, "save": "1"}
    response = client.post(url, {**text, "evidence_items": [item.pk], "priorities": [priority.pk]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert f'href="{item.get_absolute_url()}"' in page and f'href="{priority.get_absolute_url()}"' in page


def _bres() -> None:
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    rows = "2021,UKJ4,Kent,52,9000\n2021,UKJ4,Kent,62,1000\n2021,UKH3,Essex,52,1000\n2021,UKH3,Essex,62,9000\n"
    import_stream(io.BytesIO((header + rows).encode()), layout="bres")


def _pdf_text(pack: Pack) -> tuple[list[str], Any]:
    with default_storage.open(pack.file.name, "rb") as handle:
        reader = pdf_reader(handle.read())
    return [page.extract_text() or "" for page in reader.pages], reader


def test_members_and_public_packs_carry_the_summaries_and_the_links(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    make_places(cast)
    _bres()
    shared = make_evidence(cast.strategy, "Kent skills audit", sharing="partners")
    shared.themes.set(Theme.objects.filter(slug="people"))
    public_item = make_evidence(cast.strategy, "Open productivity note", sharing="open")
    public_item.themes.set(Theme.objects.filter(slug__in=["people", "places"]))
    secret = make_evidence(cast.strategy, "Officers-only site appraisal", sharing="officers")
    secret.themes.set(Theme.objects.filter(slug="places"))
    priority = _priority(cast, papers, "Ports skills centre")
    _priority(cast, papers, "Green buses")
    _priority(cast, papers, "Withdrawn idea", status=Priority.Status.WITHDRAWN)
    _priority(cast, papers, "Still a draft", status=Priority.Status.DRAFT)
    section = _section(papers)
    services.draft_section_links_set(
        actor=cast.officer,
        section=section,
        evidence_item_ids=[shared.pk, public_item.pk, secret.pk],
        priority_ids=[priority.pk],
    )
    version = services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="With links")
    packs = {}
    for kind in (Pack.Kind.MEMBERS, Pack.Kind.PUBLIC):
        with django_capture_on_commit_callbacks(execute=True):
            pack, _ = services.pack_request(
                actor=cast.officer,
                strategy=cast.strategy,
                kind=kind,
                meeting=papers.process.meeting,
                draft_version=version,
            )
        pack.refresh_from_db()
        assert pack.status == Pack.Status.READY, pack.error
        packs[kind] = pack

    pages, reader = _pdf_text(packs[Pack.Kind.MEMBERS])
    text = "\n".join(pages)
    # The section's links: shared evidence and the priority, never officers-only evidence.
    assert "This section draws on" in text
    assert "Evidence: Kent skills audit" in text and "Evidence: Open productivity note" in text
    assert "Priority: Ports skills centre" in text
    assert "Officers-only site appraisal" not in text
    # The evidence summary: items by foundation (open + partners: 2 items, People 2, Places 1).
    evidence_page = next(p for p in pages if "Evidence items by foundation" in p and "Foundation Items" in p)
    assert re.search(r"People\s*2", evidence_page) and re.search(r"Places\s*1", evidence_page)
    assert "holds 2 items" in text
    # Sector specialisms of Kent, from evidence's selector, with the LQ chart's bar labels.
    assert "Kent, 2021: 1 specialism" in text
    # The LQ chart's bar label (SVG text) wraps over two lines rather than being cut short.
    assert "52 Warehousing and support activities for" in text and "for …" not in text
    # The consultation summary: by status, by theme and by council (drafts never counted).
    consultation = next(p for p in pages if "Consultation summary" in p and "Priorities by status" in p)
    assert re.search(r"Submitted\s*2", consultation) and re.search(r"Withdrawn\s*1", consultation)
    assert re.search(r"kent Borough Council\s*2", text)
    assert re.search(r"Clean growth\s*2", text)
    # The contents page numbers match the bookmarks for both summaries.
    outline = {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }
    for title in ("Evidence summary", "Consultation summary", "Timeline status"):
        match = re.search(re.escape(title) + r"[ .]*(\d+)", pages[1])
        assert match and int(match[1]) == outline[title], (title, pages[1])
    # Six charts as inline SVG: foundations, specialisms, status, themes, councils, and the Gantt.
    html = pack_html(
        selectors.pack_source(pack=packs[Pack.Kind.MEMBERS]), appendix_pages=dict.fromkeys(appendix_ids(papers), 2)
    )
    assert html.count("<svg") == 6
    for chart_id in (
        "pack-evidence-foundations",
        "pack-specialisms",
        "pack-priorities-status",
        "pack-priorities-themes",
        "pack-priorities-councils",
        "pack-gantt",
    ):
        assert f'id="{chart_id}-title"' in html or f'id="{chart_id}' in html, chart_id

    public_text = "\n".join(_pdf_text(packs[Pack.Kind.PUBLIC])[0])
    assert "Evidence: Open productivity note" in public_text
    assert "Kent skills audit" not in public_text and "Officers-only" not in public_text
    assert "Priority: Ports skills centre" not in public_text
    assert "holds 1 item open to the public" in public_text


def test_a_new_evidence_item_makes_a_new_pack(cast: Cast, papers: Papers) -> None:
    first, _ = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.MEMBERS, meeting=papers.process.meeting
    )
    make_evidence(cast.strategy, "New report")
    second, created = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.MEMBERS, meeting=papers.process.meeting
    )
    assert created and second.pk != first.pk
    assert second.inputs["evidence"]["items"] == 1
