"""Issue 12: how a pack reads on paper. Real packs rendered by WeasyPrint, read back with pypdf, and
with poppler's `pdftotext -bbox` where the place or size of a word on the page is what matters
(poppler applies every transform, including the one that lays an appendix page onto its held page)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.pdf import pdf_render
from documents import render, services
from documents.models import Pack
from tests.conftest import Cast
from tests.documents.conftest import Papers, pdf_reader
from timeline.models import Milestone

pytestmark = pytest.mark.django_db

EMPTY_SECTION = "This section has no text yet."
HEADER_PT = 8  # the running header's size in static/pdf/pack.css


@dataclass(frozen=True)
class Word:
    text: str
    top: float  # from the top of the page, in points
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def _words(pdf: bytes, page: int) -> list[Word]:
    """The words of 1-based `page` with their boxes, as poppler lays them out."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils, installed by .ci/run) is needed to place words on a page"
    out = subprocess.run(
        [pdftotext, "-f", str(page), "-l", str(page), "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return [
        Word(html.unescape(m[5]), float(m[2]), float(m[4]))
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out)
    ]


def _edge_to_edge_appendix() -> bytes:
    """An A4 appendix whose text touches its top and bottom edges: nothing of the pack's header or
    footer may sit on it."""
    return pdf_render(
        '<html lang="en-GB"><head><title>Edges</title><style>@page { size: A4; margin: 0 }'
        "body { margin: 0 } p { margin: 0; font-size: 14pt } .bottom { position: absolute; bottom: 0 }</style>"
        '</head><body><p>TOPEDGE</p><p class="bottom">BOTTOMEDGE</p></body></html>',
        pdf_variant=None,
    )


def _members_pack(cast: Cast, papers: Papers, django_capture_on_commit_callbacks) -> tuple[Pack, bytes]:
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.pack_request(
            actor=cast.officer,
            strategy=cast.strategy,
            kind=Pack.Kind.MEMBERS,
            meeting=papers.process.meeting,
            draft_version=papers.version,
        )
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    with default_storage.open(pack.file.name, "rb") as handle:
        return pack, handle.read()


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pdf_reader(pdf).pages]


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Finance table", "Appendix 2A: Finance table"),
        ("Appendix A: Finance table", "Appendix 2A: Finance table"),
        ("appendix b – Risk register", "Appendix 2A: Risk register"),
        ("Appendix 3 - Site plan", "Appendix 2A: Site plan"),
        ("Appendix IV. Letters", "Appendix 2A: Letters"),
        ("Appendix: Glossary", "Appendix 2A: Glossary"),
        ("Appendix A", "Appendix 2A"),
        ("Appendix of figures", "Appendix 2A: Appendix of figures"),
        ("Appendices to the bid", "Appendix 2A: Appendices to the bid"),
    ],
)
def test_an_appendix_is_labelled_once(title: str, label: str) -> None:
    assert render.appendix_label("2A", title) == label


@pytest.mark.parametrize(
    ("hour", "minute", "words"), [(10, 0, "10am"), (14, 30, "2:30pm"), (12, 0, "midday"), (9, 5, "9:05am")]
)
def test_a_meeting_time_reads_as_gov_uk_writes_times(hour: int, minute: int, words: str) -> None:
    assert render.clock_time(timezone.make_aware(datetime(2026, 7, 30, hour, minute))) == words


def test_appendix_pages_carry_the_running_header_footer_and_page_number_clear_of_the_appendix(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    services.paper_appendix_add(
        actor=cast.officer,
        paper=papers.open_paper,
        title="Appendix B: Site plan",
        upload=SimpleUploadedFile("site.pdf", _edge_to_edge_appendix(), content_type="application/pdf"),
    )
    pack, pdf = _members_pack(cast, papers, django_capture_on_commit_callbacks)
    texts = _texts(pdf)
    # The contents name the appendix once: its own "Appendix B:" is not printed after the pack's label.
    contents = texts[1]
    assert "Appendix 2B: Site plan" in contents and "Appendix 2B: Appendix" not in contents, contents
    page = next(n for n, text in enumerate(texts, start=1) if "TOPEDGE" in text)
    words = _words(pdf, page)
    line = " ".join(w.text for w in words)
    # The running header (the pack's title, then the appendix's label), the marking and the page number.
    assert "Strategic Board, 30 July 2026: members’ pack" in line
    assert "Appendix 2B: Site plan" in line
    assert "Confidential: for board members only." in line
    assert f"Page {page} of {pack.page_count}" in line
    # All of them printed on the page, clear of the appendix: the header above its top edge, the
    # footer below its bottom edge (poppler drops text outside the page).
    top = next(w for w in words if w.text == "TOPEDGE")
    bottom = next(w for w in words if w.text == "BOTTOMEDGE")
    # (The pack prints the appendix's label as the page's title too, below the header: not part of it.)
    header = [
        w for w in words if w.text in {"Strategic", "Site", "plan"} and w.height > 2 and w.bottom < 22 * 72 / 25.4
    ]
    footer = [w for w in words if w.text in {"Page", "Confidential:"}]
    assert len(header) == 3 and all(w.bottom < top.top for w in header), (header, top)
    assert footer and all(w.top > bottom.bottom for w in footer), (footer, bottom)
    # The page's title is the pack's label, the header's words (not the upload's "Appendix B"), in its
    # own band between the header and the appendix's top edge.
    title = [w for w in words if w.top > 22 * 72 / 25.4 and w.bottom < top.top]
    assert " ".join(w.text for w in title) == "Appendix 2B: Site plan", title
    # The earlier appendix's pages carry the same footer.
    finance = next(n for n, text in enumerate(texts, start=1) if "APPENDIX-FINANCE-TABLE" in text)
    assert f"Page {finance} of {pack.page_count}" in " ".join(w.text for w in _words(pdf, finance))


def test_a_paper_pdf_gives_its_appendix_pages_the_running_header_and_footer(cast: Cast, papers: Papers) -> None:
    rendered = render.paper_pdf(papers.open_paper, author=cast.strategy.lead.name)
    line = " ".join(w.text for w in _words(rendered.pdf, 2))
    assert "APPENDIX-FINANCE-TABLE" in line
    assert "Appendix 2A: Finance table" in line and f"Page 2 of {rendered.page_count}" in line


def test_the_cover_names_the_lep_and_the_meeting_the_draft_prints_empty_sections_and_the_font_is_liberation_sans(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    papers.process.meeting.location = "County Hall, Maidstone"
    papers.process.meeting.save()
    _, pdf = _members_pack(cast, papers, django_capture_on_commit_callbacks)
    texts = _texts(pdf)
    cover = " ".join(texts[0].split())
    meeting = papers.process.meeting
    for wanted in (
        cast.strategy.lead.name,
        f"Board {meeting.board.name}",
        f"Meeting {meeting.title}",
        "Date Thursday 30 July 2026",
        "Time 10am",
        "Place County Hall, Maidstone",
    ):
        assert wanted in cover, (wanted, cover)
    # Every section of the version but the first has no text: each says so under its heading.
    sections = papers.version.sections
    empty = [s["title"] for s in sections if not s.get("body", "").strip()]
    assert empty and len(empty) == len(sections) - 1
    text = "\n".join(texts)
    assert text.count(EMPTY_SECTION) == len(empty)
    for title in empty:
        assert re.search(re.escape(title) + r"\s*" + re.escape(EMPTY_SECTION), text), title
    assert not re.search(re.escape(sections[0]["title"]) + r"\s*" + re.escape(EMPTY_SECTION), text)
    # The fonts WeasyPrint embedded (the pages' own resources; an appendix brings its own inside
    # its drawing) are Liberation Sans, regular and bold, and nothing else.
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in pdf_reader(pdf).pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert {"Liberation-Sans", "Liberation-Sans-Bold"} <= fonts, fonts
    assert all(name.startswith("Liberation-Sans") for name in fonts), fonts


def test_the_gantt_prints_its_labels_at_nine_points_or_more_and_the_table_keeps_dates_on_one_line(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    """The demo's schedule: 6 phases, 22 milestones (4 key, several of two lines)."""
    phases = papers.process.phases
    for phase in phases:
        for n in range(3):
            Milestone.objects.create(
                phase=phase,
                title=f"{phase.name}: a milestone with a title long enough to wrap onto a second line {n}",
                order=10 + n,
                due_date=phase.planned_end,
                is_key=n == 0 and phase.order <= 4,
            )
    _, pdf = _members_pack(cast, papers, django_capture_on_commit_callbacks)
    texts = _texts(pdf)
    page = next(n for n, text in enumerate(texts, start=1) if "Timeline status" in text and "Key milestone" in text)
    reader = pdf_reader(pdf)
    width, height = (float(v) for v in reader.pages[page - 1].mediabox[2:4])
    assert width > height  # the timeline's landscape page
    words = _words(pdf, page)
    # The heading and the whole chart on one page: its first phase, its key milestones, its legend.
    line = " ".join(w.text for w in words)
    assert "Timeline status" in line and "1. Scoping (current)" in line and "Today" in line
    assert "shows the phases and the key milestones" in line
    # Every word below the running header and above the footer (the chart, the heading, the note)
    # prints at 9 pt or more. A word's box is its size times the font's height; the 8 pt header
    # gives that ratio.
    header = next(w for w in words if w.text == "Strategic")
    ratio = header.height / HEADER_PT
    margin = 15 * 72 / 25.4  # @page timeline's top and bottom margins
    body = [w for w in words if margin < w.top and w.bottom < height - margin]
    assert len(body) > 50
    smallest = min(body, key=lambda w: w.height)
    assert smallest.height / ratio >= 9, (smallest, smallest.height / ratio)
    # The table lists every milestone, key or not, and each date range on one line.
    table = "\n".join(texts[page:])
    assert "Agree approach" in table and f"{phases[5].name}: a milestone with a title long enough" in table
    for phase in phases:
        planned = f"{phase.planned_start:%-d %b %Y} to {phase.planned_end:%-d %b %Y}"
        assert any(planned in row for row in table.splitlines()), planned
