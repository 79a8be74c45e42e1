"""A draft section's links to the propositions it draws on: only the strategy's own (a forged id of
another strategy's proposition is refused, nothing saved), shown with their status on the section
page, the draft overview and the officers' review page, kept in versions, printed in the draft
pack (never the public pack), and loaded in a number of queries that does not grow with them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Organisation, Strategy
from documents import selectors, services
from documents.models import DraftSection, Pack
from documents.render import pack_html
from engagement.models import Proposition
from tests.conftest import Cast
from tests.documents.conftest import Papers
from tests.documents.test_links_and_summaries import _pdf_text, _priority, appendix_ids
from tests.engagement.conftest import make_evidence

pytestmark = pytest.mark.django_db


def _proposition(strategy: Strategy, title: str, *, status: str = Proposition.Status.EMERGING) -> Proposition:
    return Proposition.objects.create(strategy=strategy, title=title, description="What we make of it.", status=status)


def _section(papers: Papers, n: int = 0) -> DraftSection:
    return list(papers.version.draft.sections.order_by("order"))[n]


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(f"documents:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def test_links_only_to_the_strategys_propositions_and_versions_keep_them(cast: Cast, papers: Papers) -> None:
    section = _section(papers)
    ours = _proposition(cast.strategy, "A skills deal for the ports", status=Proposition.Status.AGREED)
    theirs = _proposition(cast.other_strategy, "Berkshire data hub")
    with pytest.raises(ApplicationError, match="propositions of this strategy"):
        services.draft_section_links_set(
            actor=cast.officer, section=section, evidence_item_ids=[], priority_ids=[], proposition_ids=[theirs.pk]
        )
    assert not section.propositions.exists()
    assert not AuditEvent.objects.filter(verb="draft.section_linked").exists()
    services.draft_section_links_set(
        actor=cast.officer, section=section, evidence_item_ids=[], priority_ids=[], proposition_ids=[ours.pk]
    )
    assert list(section.propositions.all()) == [ours]
    event = AuditEvent.objects.get(verb="draft.section_linked")
    assert event.data["propositions"] == [ours.pk]
    # Leaving proposition_ids out leaves them as they are.
    services.draft_section_links_set(actor=cast.officer, section=section, evidence_item_ids=[], priority_ids=[])
    assert list(section.propositions.all()) == [ours]
    version = services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="Propositions")
    assert version.sections[0]["propositions"] == [{"id": ours.pk, "title": ours.title, "status": "agreed"}]


def test_the_form_offers_only_the_strategys_propositions_and_refuses_a_forged_id(
    client, cast: Cast, papers: Papers
) -> None:
    section = _section(papers)
    ours = _proposition(cast.strategy, "A skills deal for the ports")
    theirs = _proposition(cast.other_strategy, "Berkshire data hub")
    client.force_login(cast.officer)
    page = client.get(_url(cast, "section-edit", pk=section.pk)).content.decode()
    assert "A skills deal for the ports (emerging)" in page and "Berkshire data hub" not in page
    edit = _url(cast, "section-edit", pk=section.pk)
    section.refresh_from_db()
    text = {"title": section.title, "body": "Typed text.", "version": section.version, "save": "1"}
    forged = client.post(edit, {**text, "propositions": [ours.pk, theirs.pk]})
    assert forged.status_code == 200  # the form again, as typed, with the error
    page = forged.content.decode()
    assert "Choose propositions of this strategy" in page and "Typed text." in page
    assert not section.propositions.exists()
    saved = client.post(edit, {**text, "propositions": [ours.pk]})
    assert saved.status_code == 302
    assert list(section.propositions.all()) == [ours]
    page = client.get(_url(cast, "section-edit", pk=section.pk)).content.decode()
    assert f'href="{ours.get_absolute_url()}"' in page and "govuk-tag--blue" in page


def test_the_draft_overview_and_officers_review_page_show_propositions_with_status(
    client, cast: Cast, papers: Papers
) -> None:
    section = _section(papers)
    agreed = _proposition(cast.strategy, "A skills deal for the ports", status=Proposition.Status.AGREED)
    services.draft_section_links_set(
        actor=cast.officer, section=section, evidence_item_ids=[], priority_ids=[], proposition_ids=[agreed.pk]
    )
    client.force_login(cast.officer)
    overview = client.get(_url(cast, "draft")).content.decode()
    assert f'href="{agreed.get_absolute_url()}">A skills deal for the ports</a>' in overview
    assert "govuk-tag--green" in overview and ">Agreed</strong>" in overview
    version = services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="Linked")
    council = cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    window = services.review_window_open(
        actor=cast.officer,
        draft=papers.version.draft,
        version=version,
        organisations=[council],
        closes_on=timezone.localdate() + timedelta(days=14),
    )
    review = client.get(window.get_absolute_url()).content.decode()
    assert "Proposition: A skills deal for the ports" in review and ">Agreed</strong>" in review
    # The synthesis is the officers' own: the invited councillor does not see it.
    client.force_login(cast.councillor)
    review = client.get(window.get_absolute_url()).content.decode()
    assert "A skills deal for the ports" not in review


def test_queries_do_not_grow_with_linked_propositions(
    client, cast: Cast, papers: Papers, django_assert_num_queries
) -> None:
    sections = list(papers.version.draft.sections.order_by("order"))
    client.force_login(cast.officer)

    def link(n: int) -> None:
        made = [_proposition(cast.strategy, f"Proposition {Proposition.objects.count() + i}") for i in range(n)]
        for section in sections:
            services.draft_section_links_set(
                actor=cast.officer,
                section=section,
                evidence_item_ids=[],
                priority_ids=[],
                proposition_ids=[p.pk for p in made] + list(section.propositions.values_list("pk", flat=True)),
            )

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    section_url = _url(cast, "section-edit", pk=sections[0].pk)
    link(1)
    draft_few, section_few = count(_url(cast, "draft")), count(section_url)
    link(9)
    with django_assert_num_queries(draft_few):
        assert client.get(_url(cast, "draft")).status_code == 200
    with django_assert_num_queries(section_few):
        assert client.get(section_url).status_code == 200
    with django_assert_num_queries(4):  # sections, evidence, priorities, propositions
        list(selectors.section_list_with_links(draft=papers.version.draft))


def test_the_draft_pack_prints_propositions_and_the_public_pack_does_not(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    section = _section(papers)
    proposition = _proposition(cast.strategy, "A skills deal for the ports", status=Proposition.Status.AGREED)
    item = make_evidence(cast.strategy, "Open productivity note", sharing="open")
    priority = _priority(cast, papers, "Ports skills centre")
    services.draft_section_links_set(
        actor=cast.officer,
        section=section,
        evidence_item_ids=[item.pk],
        priority_ids=[priority.pk],
        proposition_ids=[proposition.pk],
    )
    version = services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="With propositions")
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.pack_request(
            actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.DRAFT, draft_version=version
        )
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    text = "\n".join(_pdf_text(pack)[0])
    assert "Proposition: A skills deal for the ports (agreed)" in text
    assert "Priority: Ports skills centre" in text

    public, _ = services.pack_request(
        actor=cast.officer,
        strategy=cast.strategy,
        kind=Pack.Kind.PUBLIC,
        meeting=papers.process.meeting,
        draft_version=version,
    )
    html = pack_html(selectors.pack_source(pack=public), appendix_pages=dict.fromkeys(appendix_ids(papers), 2))
    assert "Evidence: Open productivity note" in html
    assert "A skills deal for the ports" not in html and "Ports skills centre" not in html
