"""python -m bench.documents_pack: a 100-page members' pack, the whole pipeline against WeasyPrint
alone on the same final HTML, in the same process and run.

The pack: 20 papers (each a cover sheet, a body with a table, some with a PDF appendix), a
40-page draft strategy version (its sections linked to evidence items and priorities), the
evidence summary (items by foundation; the sector specialisms of the area from BRES-shaped
figures), the consultation summary (priorities by status, theme and council) and the timeline's
Gantt: six charts, all inline SVG. The pipeline is documents.services.
pack_render as a worker runs it: claim, reads, HTML from templates, Markdown through nh3,
WeasyPrint layout and PDF (tagged, PDF/UA-1), appendices laid in by pypdf, SHA-256, the file
written, the row published, emails queued. "WeasyPrint alone" is HTML(string=…).write_pdf on the
pipeline's own HTML with the same stylesheet, fetcher and variant. Medians of BENCH_REPEAT rounds
(3 by default), alternating the two. Then one paper changes and the pack is rendered again.

Peak memory is the process's peak resident set (ru_maxrss), read after seeding (before any
render) and after two pipeline renders (before any WeasyPrint-alone render)."""

from __future__ import annotations

import os
import resource
import statistics
import tempfile
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.test")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
PAPERS = 20
DRAFT_SECTIONS = 20


def _paper_body(n: int) -> str:
    rows = "\n".join(
        f"| {y} | {100 + n * y % 37} | {2.1 + (n + y) % 9 / 10:.1f}% | {40 + y % 13} |" for y in range(2005, 2031)
    )
    prose = " ".join(["The board is asked to consider the proposals set out in this paper."] * 14)
    return (
        f"# Background\n\n{prose}\n\n# Analysis\n\n{prose}\n\n"
        f"| Year | Jobs (000s) | Growth | Index |\n|---|---|---|---|\n{rows}\n\n# Options\n\n{prose}\n\n"
        "- Option A: proceed now.\n- Option B: defer to the next meeting.\n- Option C: do nothing.\n"
    )


def _draft_text(n: int) -> str:
    paragraph = " ".join(
        ["The area's productivity lags the national average, and the strategy sets out how to close the gap."] * 7
    )
    return "\n\n".join(f"## Theme {n}.{k}\n\n{paragraph}\n\n{paragraph}" for k in range(1, 4))


def seed() -> tuple[Any, Any, Any]:
    from core.models import Membership, Organisation, Role, Strategy, User
    from documents import services
    from tests.documents.conftest import appendix_pdf
    from tests.timeline.conftest import make_process
    from timeline.models import AgendaItem, Board, BoardMembership

    lep = Organisation.objects.create(name="Bench LEP", slug="bench-lep", kind=Organisation.Kind.LEP)
    strategy = Strategy.objects.create(slug="bench", name="Bench Local Industrial Strategy", lead=lep, summary="Bench")
    officer = User.objects.create_user(email="officer@bench.example", name="Bench Officer", password=None)
    Membership.objects.create(user=officer, organisation=lep, role=Role.OFFICER)
    board = Board.objects.create(strategy=strategy, name="Strategic Board", kind=Board.Kind.STRATEGIC)
    for n in range(12):
        member = User.objects.create_user(email=f"member{n}@bench.example", name=f"Member {n}", password=None)
        BoardMembership.objects.create(board=board, user=member)
    process = make_process(strategy)
    appendix = appendix_pdf(2)
    for n in range(1, PAPERS + 1):
        item = AgendaItem.objects.create(meeting=process.meeting, number=n, title=f"Agenda item {n}")
        paper = services.board_paper_save(
            actor=officer,
            agenda_item=item,
            data={
                "title": f"Paper {n}: proposals for the programme",
                "author": "Bench Officer",
                "purpose": "To agree the proposals.",
                "recommendations": "The board **approves** the proposals.",
                "decision_required": "approve",
                "financial_implications": "Within budget.",
                "body": _paper_body(n),
                "is_exempt": n % 7 == 0,
                "exempt_paragraph": "3" if n % 7 == 0 else "",
                "public_interest_reason": "Commercial terms." if n % 7 == 0 else "",
            },
            version=None,
        )
        if n % 4 == 0:
            upload = SimpleUploadedFile("a.pdf", appendix, content_type="application/pdf")
            services.paper_appendix_add(actor=officer, paper=paper, title=f"Appendix to paper {n}", upload=upload)
    draft = services.draft_create(actor=officer, strategy=strategy)
    for n, section in enumerate(draft.sections.order_by("order"), start=1):
        services.draft_section_save(
            actor=officer, section=section, title=section.title, body=_draft_text(n), version=section.version
        )
    for n in range(draft.sections.count() + 1, DRAFT_SECTIONS + 1):
        draft.sections.create(order=n, title=f"Annex {n}", body=_draft_text(n))
    _seed_evidence_and_priorities(strategy, process, officer, draft)
    version = services.draft_version_save(actor=officer, draft=draft, note="For the board")
    return officer, process.meeting, version


def _seed_evidence_and_priorities(strategy: Any, process: Any, officer: Any, draft: Any) -> None:
    """What the summaries chart: 30 evidence items over the foundations, employment by 40 industries
    in the strategy's region and 7 others, 60 priorities of 6 councils; sections linked to them."""
    import io
    from datetime import date, timedelta

    from django.utils import timezone

    from core.models import Area, Organisation, Theme
    from documents import services
    from engagement.models import Call, Priority
    from evidence.importers import import_stream
    from evidence.models import EvidenceItem

    lep_area = Area.objects.create(code="E37000099", name="Bench LEP area", kind=Area.Kind.LEP_AREA)
    region = Area.objects.create(code="UKJ4", name="Kent", kind=Area.Kind.ITL_REGION)
    district = Area.objects.create(code="E07000105", name="Ashford", kind=Area.Kind.DISTRICT)
    district.parents.set([lep_area, region])
    strategy.area = lep_area
    strategy.save(update_fields=["area"])
    lines = ["DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT"]
    for n, code in enumerate(["UKJ4", "UKH3", "UKJ2", "UKJ1", "UKK1", "UKI3", "UKD3", "UKE4"]):
        for industry in range(1, 41):
            lines.append(f"2021,{code},{code},{industry:02d},{1000 + ((n + 3) * industry * 137) % 9000}")
    import_stream(io.BytesIO(("\n".join(lines) + "\n").encode()), layout="bres")
    themes = list(Theme.objects.order_by("kind", "order"))
    items = []
    for n in range(30):
        item = EvidenceItem.objects.create(
            strategy=strategy,
            title=f"Evidence report {n}",
            kind=EvidenceItem.Kind.REPORT,
            summary="A report.",
            publisher="ONS",
            published_on=date(2025, 1, 1),
            link="https://example.org/evidence",
            licence="Open Government Licence v3.0",
            sharing="partners" if n % 3 else "open",
        )
        item.themes.set([themes[n % len(themes)], themes[(n + 2) % len(themes)]])
        items.append(item)
    call = Call.objects.create(
        strategy=strategy,
        phase=process.phases[2],
        title="Councils' priorities",
        description="Tell us.",
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() + timedelta(days=5),
    )
    councils = [
        Organisation.objects.create(
            name=f"Bench Council {n}", slug=f"bench-council-{n}", kind=Organisation.Kind.DISTRICT_COUNCIL
        )
        for n in range(6)
    ]
    strategy.partners.add(*councils)
    priorities = []
    for n in range(60):
        status = Priority.Status.WITHDRAWN if n % 10 == 0 else Priority.Status.SUBMITTED
        priority = Priority.objects.create(
            call=call,
            organisation=councils[n % 6],
            title=f"Priority {n}",
            status=status,
            submitted_at=timezone.now(),
        )
        priority.themes.set([themes[n % len(themes)]])
        if status == Priority.Status.SUBMITTED:
            priorities.append(priority)
    for n, section in enumerate(draft.sections.order_by("order")):
        services.draft_section_links_set(
            actor=officer,
            section=section,
            evidence_item_ids=[items[n % 30].pk, items[(n + 7) % 30].pk],
            priority_ids=[priorities[n % len(priorities)].pk],
        )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    from weasyprint import CSS, HTML

    from core.pdf import DEFAULT_PDF_VARIANT, PORTAL_BASE_URL, PortalURLFetcher
    from documents import selectors, services
    from documents.models import Pack, PaperAppendix
    from documents.render import STYLESHEETS, _appendix_readers, pack_html

    setup_test_environment()
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-media-")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        officer, meeting, version = seed()
        baseline_mb = _peak_mb()
        pack, _ = services.pack_request(
            actor=officer, strategy=meeting.board.strategy, kind="members", meeting=meeting, draft_version=version
        )  # eager Celery: rendered once here, as a warm-up
        pack.refresh_from_db()
        assert pack.status == Pack.Status.READY, pack.error

        def pipeline() -> float:
            Pack.objects.filter(pk=pack.pk).update(
                status="queued", attempts=0, file="", sha256="", page_count=None, progress=0
            )
            started = time.perf_counter()
            assert services.pack_render(pack_id=pack.pk) == "ready"
            return time.perf_counter() - started

        def weasyprint_alone(html: str) -> float:
            fetcher = PortalURLFetcher()
            css = [CSS(url=f"{PORTAL_BASE_URL}static/{path}", url_fetcher=fetcher) for path in STYLESHEETS]
            started = time.perf_counter()
            HTML(string=html, base_url=PORTAL_BASE_URL, url_fetcher=fetcher, media_type="print").write_pdf(
                stylesheets=css, pdf_variant=DEFAULT_PDF_VARIANT
            )
            return time.perf_counter() - started

        first = pipeline()
        peak_after_pipeline_mb = _peak_mb()  # two pipeline renders so far, no WeasyPrint-alone one
        pack.refresh_from_db()
        source = selectors.pack_source(pack=pack)
        pages = {pk: len(reader.pages) for pk, reader in _appendix_readers(source).items()}
        html = pack_html(source, appendix_pages=pages)
        pipeline_times, alone_times = [first], []
        for _ in range(REPEAT):
            alone_times.append(weasyprint_alone(html))
            pipeline_times.append(pipeline())
        pack.refresh_from_db()

        # One paper changes: a new pack (its fingerprint differs), rendered from scratch.
        paper = source.papers[next(iter(source.papers))]
        services.board_paper_save(
            actor=officer, agenda_item=paper.agenda_item, data={"body": paper.body + "\n\nOne more line."},
            version=paper.version,
        )  # fmt: skip
        started = time.perf_counter()
        changed, created = services.pack_request(
            actor=officer, strategy=meeting.board.strategy, kind="members", meeting=meeting, draft_version=version
        )
        changed_seconds = time.perf_counter() - started
        changed.refresh_from_db()
        assert created and changed.status == Pack.Status.READY

        median_pipeline, median_alone = statistics.median(pipeline_times), statistics.median(alone_times)
        charts = html.count("<svg")
        appendix_pages = sum(a.page_count for a in PaperAppendix.objects.all())
        runs_pipeline = ", ".join(f"{t:.2f}" for t in pipeline_times)
        runs_alone = ", ".join(f"{t:.2f}" for t in alone_times)
        print(
            f"Members' pack: {pack.page_count} pages ({appendix_pages} of them from {PaperAppendix.objects.count()} "
            f"PDF appendices), {PAPERS} papers, draft version of {DRAFT_SECTIONS} sections, {charts} charts "
            "(inline SVG); "
            f"{connection.vendor}; median of {len(pipeline_times)} pipeline and {len(alone_times)} WeasyPrint runs"
        )
        print(f"  whole pipeline (pack_render)      {median_pipeline:6.2f} s   runs: {runs_pipeline}")
        print(f"  WeasyPrint alone, same final HTML {median_alone:6.2f} s   runs: {runs_alone}")
        print(f"  ratio pipeline / WeasyPrint       {median_pipeline / median_alone:6.2f}   (goal: 1.2 or less)")
        print(
            f"  peak RSS: {baseline_mb:.0f} MB after seeding (before any render), "
            f"{peak_after_pipeline_mb:.0f} MB after two pipeline renders"
        )
        print(
            f"  one paper changed, asked again:   {changed_seconds:6.2f} s   ({changed_seconds / median_pipeline:.2f}x "
            "the median render; a whole new pack: no part of the old one is reused)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
