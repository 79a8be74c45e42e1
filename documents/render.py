"""Turn a pack's inputs into one PDF: HTML from templates with our print stylesheet, laid out
once by WeasyPrint, with uploaded appendices laid onto pages held for them (pypdf), so the
contents, bookmarks and "page X of Y" count the appendices' pages without a second layout.

The steps report progress through `on_progress(per_cent)`; nothing here writes to the database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer ships no type hints
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import strip_tags
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from core.markdown import markdown_to_html
from core.pdf import DEFAULT_PDF_VARIANT, PortalURLFetcher, pdf_document
from engagement.models import Proposition
from evidence.charts import Bar, bar_chart
from evidence.selectors import SPECIALISM_LQ
from timeline.gantt import GanttChart, Row, gantt_chart

from .charts import count_chart
from .models import BoardPaper, DraftVersion, Pack, PaperAppendix

STYLESHEETS = ("pdf/pack.css",)
APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Bump when the templates or the stylesheet change what a pack looks like, so the same inputs
# make a new pack rather than return an old-looking one.
RENDER_VERSION = 6  # 3: a draft section's propositions; 4: issue 12's cover, fonts, appendix headers, Gantt;
# 5: headings kept with their charts, one-line running headers, wrapped chart labels, consultations;
# 6: footnotes in the draft's sections, the published strategy's evidence charts
# A title that already says "Appendix A:" (or "Appendix 3 –", "Appendix IV.", "Appendix:"): the pack
# gives its own label ("Appendix 2A: …"), so the title's is left out rather than printed twice.
# "Appendix of figures" keeps its words: a bare "Appendix" goes only before punctuation or the end.
OWN_APPENDIX_LABEL = re.compile(
    r"^\s*appendix(?:\s+(?:\d+[a-z]?|[a-z]\d*|(?-i:[IVX]{1,4}))(?=[\s:.\-\u2013\u2014)]|$)|(?=\s*[:.\-\u2013\u2014]|\s*$))"
    r"[\s:.\-\u2013\u2014)]*",
    re.IGNORECASE,
)
# The tallest Gantt, in its own units (960 wide), drawn whole on the pack's landscape timeline page
# at a size whose smallest label (12 units) prints at 9 pt or more (static/pdf/pack.css, @page
# timeline: 261 mm wide, at most 145 mm tall under the heading). A taller chart shows the key milestones only.
GANTT_MAX_HEIGHT = 530
# The pack's Gantt gives the names a wider column than the web page's (300 of 960 units): a long
# milestone name prints whole over fewer lines, and the months still have 504 units.
GANTT_LABEL_WIDTH = 440
# The band at the top of an appendix's first held page where the pack prints the appendix's label as
# its title (static/pdf/pack.css, .pack-appendix__title): the appendix page is drawn below it.
APPENDIX_TITLE_MM = 8


@dataclass
class AppendixPart:
    appendix: PaperAppendix
    anchor: str
    label: str
    pages: int

    @property
    def page_anchors(self) -> list[str]:
        return [f"{self.anchor}-p{n}" for n in range(1, self.pages + 1)]


@dataclass
class PaperPart:
    paper: BoardPaper | None
    item: Any
    anchor: str
    withheld: bool
    recommendations: str = ""
    body: str = ""
    appendices: list[AppendixPart] = field(default_factory=list)


@dataclass
class PackSource:
    """Everything a pack shows, loaded once (documents.selectors.pack_source)."""

    pack: Pack
    title: str
    author: str
    meeting: Any = None
    agenda: list[Any] = field(default_factory=list)
    papers: dict[int, BoardPaper] = field(default_factory=dict)
    draft_version: DraftVersion | None = None
    phases: list[Any] = field(default_factory=list)
    evidence: dict[str, Any] | None = None
    consultation: dict[str, Any] | None = None
    # A published strategy's edition and day ({"edition": 2, "published_on": "2027-03-01"}).
    publication: dict[str, Any] | None = None


@dataclass
class Rendered:
    pdf: bytes
    page_count: int


def shared_links(section: dict[str, Any], *, public: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """What a version's section draws on, as far as its readers may see: never officers-only
    evidence; in a public pack only open evidence and no priorities (councils' priorities are
    shared with the strategy's people, not published)."""
    allowed = {"open"} if public else {"open", "partners"}
    evidence = [e for e in section.get("evidence", []) if e.get("sharing", "officers") in allowed]
    return evidence, [] if public else section.get("priorities", [])


PROPOSITION_STATUS: dict[str, str] = dict(Proposition.Status.choices)


def version_sections_to_read(version: DraftVersion, *, public: bool, officer: bool = False) -> list[dict[str, Any]]:
    """A saved version's sections for its read-only pages: numbered, with the live section's id for
    the anchor (#section-<id>), the Markdown rendered and sanitised, and what each draws on as far as
    the reader may see (shared_links); propositions, the officers' synthesis, for officers only."""
    sections = []
    for n, snapshot in enumerate(version.sections, start=1):
        evidence, priorities = shared_links(snapshot, public=public)
        anchor = snapshot.get("id") or n
        sections.append(
            {
                "n": n,
                "id": anchor,
                "title": snapshot.get("title", ""),
                "html": markdown_to_html(snapshot.get("body", ""), top_heading=3, footnote_ids=f"section-{anchor}"),
                "evidence": snapshot.get("evidence", []) if officer else evidence,
                "priorities": priorities,
                "propositions": snapshot.get("propositions", []) if officer else [],
            }
        )
    return sections


def agreed_propositions(section: dict[str, Any]) -> list[dict[str, Any]]:
    """The propositions a section of a published strategy names: those agreed when the version was
    saved, by title (their own pages are the officers')."""
    return [p for p in section.get("propositions", []) if p.get("status") == Proposition.Status.AGREED]


def _draft_sections(version: DraftVersion, *, public: bool = False, published: bool = False) -> list[dict[str, Any]]:
    """A version's sections as the pack shows them. Propositions (the officers' synthesis, with the
    status they had when the version was saved) appear where priorities do: never in a public pack;
    in the published strategy, the agreed ones by title."""
    sections = []
    for n, s in enumerate(version.sections, start=1):
        evidence, priorities = shared_links(s, public=public or published)
        html = markdown_to_html(s.get("body", ""), top_heading=3, footnote_ids=f"draft-{n}")
        chosen = agreed_propositions(s) if published else [] if public else s.get("propositions", [])
        propositions = [
            {**p, "status_label": PROPOSITION_STATUS.get(p.get("status", ""), p.get("status", ""))} for p in chosen
        ]
        sections.append(
            {
                "title": s["title"],
                "anchor": f"draft-{n}",
                "html": html,
                "empty": not strip_tags(html).strip(),
                "evidence": evidence,
                "priorities": priorities,
                "propositions": propositions,
            }
        )
    return sections


def evidence_charts(summary: dict[str, Any] | None) -> dict[str, Any]:
    """The evidence summary's charts (kept in a pack's inputs): items by foundation, and the area's
    specialisms; the pack and the published strategy's page put each beside a table of its figures."""
    if not summary:
        return {}
    charts: dict[str, Any] = {
        "by_foundation": count_chart(
            chart_id="pack-evidence-foundations",
            title="Evidence items by foundation",
            description="One bar per foundation: how many of the strategy’s evidence items concern it. "
            "The table after the chart gives the figures.",
            rows=[(name, n) for name, n in summary["by_foundation"]],
        )
    }
    specialisms = summary.get("specialisms")
    if specialisms and specialisms["rows"]:
        charts["specialisms"] = bar_chart(
            chart_id="pack-specialisms",
            title=f"Location quotients of the most concentrated industries in {specialisms['area']}, "
            f"{specialisms['year']}",
            description=f"Bars show each industry’s location quotient against Great Britain; dashed lines mark 1 "
            f"and {SPECIALISM_LQ} (a specialism). Specialisms are coloured blue. The table gives the figures.",
            bars=[Bar(f"{code} {name}", lq, special) for code, name, _, lq, special in specialisms["rows"]],
            reference_lines=(1.0, SPECIALISM_LQ),
        )
    return charts


def _consultation_charts(summary: dict[str, Any] | None) -> dict[str, Any]:
    if not summary:
        return {}
    described = "The table after the chart gives the figures."
    return {
        "by_status": count_chart(
            chart_id="pack-priorities-status",
            title="Councils’ priorities by status",
            description=f"Priorities submitted, withdrawn, and answered by the LEP. {described}",
            rows=[(label, n) for label, n in summary["by_status"]],
        ),
        "by_theme": count_chart(
            chart_id="pack-priorities-themes",
            title="Submitted priorities by theme",
            description=f"One bar per foundation and grand challenge: how many submitted priorities name it. "
            f"{described}",
            rows=[(label, n) for label, n in summary["by_theme"]],
        ),
        "by_council": count_chart(
            chart_id="pack-priorities-councils",
            title="Submitted priorities by council",
            description=f"One bar per council that submitted priorities. {described}",
            rows=[(label, n) for label, n in summary["by_council"]],
        ),
    }


def _paper_note(paper: BoardPaper | None, *, public: bool) -> str:
    if paper is None:
        return "No paper"
    if paper.is_exempt:
        return "Not for publication" if public else f"Exempt (paragraph {paper.exempt_paragraph})"
    return "Attached"


def appendix_label(number: str, title: str) -> str:
    """ "Appendix 2A: Finance table", from the title as uploaded: a title that already starts with its
    own label ("Appendix A: Finance table") is not labelled twice; one that is nothing but a label
    ("Appendix A") gives "Appendix 2A"."""
    own = OWN_APPENDIX_LABEL.sub("", title, count=1).strip()
    return f"Appendix {number}: {own}" if own else f"Appendix {number}"


def paper_part(
    paper: BoardPaper, item: Any, *, withheld: bool, appendix_pages: dict[int, int], body_heading: int = 2
) -> PaperPart:
    """One paper as a pack, its own PDF and its page show it: its Markdown rendered and sanitised,
    its appendices labelled by item ("Appendix 2A: Finance table") with their page counts. A
    withheld paper shows nothing but its item and paragraph."""
    part = PaperPart(paper=paper, item=item, anchor=f"item-{item.number}", withheld=withheld)
    if not withheld:
        part.recommendations = markdown_to_html(paper.recommendations, top_heading=3)
        part.body = markdown_to_html(paper.body, top_heading=body_heading)
        for n, appendix in enumerate(paper.appendices.all()):
            label = appendix_label(f"{item.number}{APPENDIX_LETTERS[n % 26]}", appendix.title)
            pages = appendix_pages.get(appendix.pk, appendix.page_count)
            part.appendices.append(AppendixPart(appendix, f"appendix-{appendix.pk}", label, pages))
    return part


def _pack_gantt(phases: list[Any], *, today: date) -> tuple[GanttChart | None, list[Row]]:
    """The pack's Gantt and the rows of its table. The chart shows every milestone when it fits the
    landscape page at a legible size, else the phases and key milestones only; the table always
    lists every milestone."""
    if not phases:
        return None, []
    full = gantt_chart(phases=phases, today=today, chart_id="pack-gantt", label_width=GANTT_LABEL_WIDTH)
    assert full is not None
    if full.height <= GANTT_MAX_HEIGHT:
        return full, full.rows
    key_only = gantt_chart(
        phases=phases,
        today=today,
        key_milestones_only=True,
        chart_id="pack-gantt",
        title="Gantt chart of the phases and key milestones",
        label_width=GANTT_LABEL_WIDTH,
    )
    return key_only, full.rows


def pack_html(source: PackSource, *, appendix_pages: dict[int, int], today: date | None = None) -> str:
    """The pack's HTML. `appendix_pages` gives each appendix's page count (read from its PDF)."""
    pack = source.pack
    public = pack.kind == Pack.Kind.PUBLIC
    published = pack.kind == Pack.Kind.PUBLISHED
    parts: list[PaperPart] = []
    for item in source.agenda:
        paper = source.papers.get(item.pk)
        if paper is None:
            continue
        parts.append(paper_part(paper, item, withheld=public and paper.is_exempt, appendix_pages=appendix_pages))
    agenda_rows = [(item, _paper_note(source.papers.get(item.pk), public=public)) for item in source.agenda]
    today = today or timezone.localdate()
    gantt, gantt_rows = _pack_gantt(source.phases, today=today)
    now: datetime = timezone.now()
    return render_to_string(
        "documents/pdf/pack.html",
        {
            "pack": pack,
            "source": source,
            "is_public": public,
            "is_members": pack.kind == Pack.Kind.MEMBERS,
            "is_published": published,
            "published_on": date.fromisoformat(source.publication["published_on"]) if source.publication else None,
            "parts": parts,
            "agenda_rows": agenda_rows,
            "draft_sections": (
                _draft_sections(source.draft_version, public=public, published=published)
                if source.draft_version
                else []
            ),
            "gantt": gantt,
            "gantt_rows": gantt_rows,
            "phases": source.phases,
            "evidence": source.evidence,
            "evidence_charts": evidence_charts(source.evidence),
            "consultation": source.consultation,
            "consultation_charts": _consultation_charts(source.consultation),
            "today": today,
            "created": now.isoformat(timespec="seconds"),
            "meeting_time": clock_time(source.meeting.starts_at) if source.meeting else "",
            "running_title": running_title(source),
        },
    )


def running_title(source: PackSource) -> str:
    """The left of the running header: short, so it stays on one line beside the item ("Strategic
    Board, 18 December 2026"); a pack with no meeting names the strategy's lead and the pack."""
    meeting = source.meeting
    if meeting is None:
        return f"{source.author}: {source.pack.get_kind_display()}"
    day = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    return (
        f"{meeting.board.name}, {day}: {source.pack.get_kind_display()[0].lower()}{source.pack.get_kind_display()[1:]}"
    )


def clock_time(moment: datetime) -> str:
    """A meeting's start as GOV.UK's style writes times: "10am", "2:30pm", "midday"."""
    local = timezone.localtime(moment)
    if local.minute == 0 and local.hour in (0, 12):
        return "midnight" if local.hour == 0 else "midday"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def _appendix_readers(source: PackSource) -> dict[int, PdfReader]:
    readers: dict[int, PdfReader] = {}
    if source.pack.kind in (Pack.Kind.DRAFT, Pack.Kind.PUBLISHED):
        return readers
    for paper in source.papers.values():
        if source.pack.kind == Pack.Kind.PUBLIC and paper.is_exempt:
            continue
        for appendix in paper.appendices.all():
            readers[appendix.pk] = _appendix_reader(appendix)
    return readers


def _appendix_reader(appendix: PaperAppendix) -> PdfReader:
    with default_storage.open(appendix.file.name, "rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _to_pydyf(value: Any, pdf: Any, memo: dict[int, bytes]) -> Any:
    """Copy a pypdf object (and everything it refers to) into WeasyPrint's pydyf PDF, once per
    object: the appendix page's content and resources become objects of our own PDF."""
    if isinstance(value, IndirectObject):
        return _indirect_to_pydyf(value, pdf, memo)
    if isinstance(value, DictionaryObject):
        return pydyf.Dictionary({str(k)[1:]: _to_pydyf(v, pdf, memo) for k, v in value.items()})
    if isinstance(value, ArrayObject):
        return pydyf.Array([_to_pydyf(v, pdf, memo) for v in value])
    return _scalar_to_pydyf(value)


def _indirect_to_pydyf(value: IndirectObject, pdf: Any, memo: dict[int, bytes]) -> Any:
    """A referenced stream or dictionary becomes an object of our PDF, added before its contents
    are copied so that a reference back to it (a cycle) finds it in `memo`."""
    if value.idnum in memo:
        return memo[value.idnum]
    target = value.get_object()
    if isinstance(target, StreamObject):
        stream = pydyf.Stream([target._data], compress=False)
        pdf.add_object(stream)
        memo[value.idnum] = stream.reference
        stream.extra = {str(k)[1:]: _to_pydyf(v, pdf, memo) for k, v in target.items() if k != "/Length"}
        return stream.reference
    if isinstance(target, DictionaryObject):
        dictionary = pydyf.Dictionary()
        pdf.add_object(dictionary)
        memo[value.idnum] = dictionary.reference
        dictionary.update({str(k)[1:]: _to_pydyf(v, pdf, memo) for k, v in target.items()})
        return dictionary.reference
    return _to_pydyf(target, pdf, memo)


def _scalar_to_pydyf(value: Any) -> Any:
    """A name, boolean, null, string or number as pydyf writes it."""
    if isinstance(value, NameObject):
        return pydyf.name(str(value)[1:])
    if isinstance(value, BooleanObject):
        return b"true" if value else b"false"
    if isinstance(value, NullObject):
        return b"null"
    if isinstance(value, TextStringObject):
        return pydyf.String(bytes(value.original_bytes))
    if isinstance(value, ByteStringObject):
        return pydyf.String(bytes(value))
    if isinstance(value, FloatObject):
        return float(value)
    if isinstance(value, NumberObject):
        return int(value)
    return value


@dataclass(frozen=True)
class HeldPage:
    """An appendix page (a pypdf page) and where it goes on the page held for it: the band between
    that page's top and bottom margins, in PDF points from the bottom of the page, so the running
    header above it and the footer below it stay clear of it."""

    page: Any
    bottom: float
    top: float


def _held_page(page: Any, layout: Any, *, titled: bool = False) -> HeldPage:
    """`layout` is WeasyPrint's laid-out page; its margins (CSS px, 0.75 pt each) are @page appendix's.
    On an appendix's first page (`titled`) the band starts below the pack's title for it.
    They are read from the page box WeasyPrint keeps on the page (`_page_box`, not a documented
    attribute; tests/documents/test_pack_typography.py fails if an upgrade moves it), so the
    stylesheet stays the one place the margins are set."""
    box = layout._page_box
    top = (layout.height - box.margin_top) * 0.75 - (APPENDIX_TITLE_MM * 72 / 25.4 if titled else 0)
    return HeldPage(page=page, bottom=box.margin_bottom * 0.75, top=top)


def _appendix_finisher(held: dict[int, HeldPage]) -> Callable[[Any, Any], None]:
    """A WeasyPrint finisher that draws each appendix page onto the held page at its index, as a
    form XObject scaled (never enlarged) to fit between that page's running header and footer and
    centred there. Runs inside write_pdf: no second parse or write of the whole PDF."""

    def finish(document: Any, pdf: Any) -> None:
        memos: dict[int, dict[int, bytes]] = {}
        kids = pdf.pages["Kids"]
        for n, (index, target) in enumerate(sorted(held.items())):
            page = target.page
            memo = memos.setdefault(id(page.pdf), {})
            box = RectangleObject(page.mediabox)
            width, height = float(box.width), float(box.height)
            content = page.get_contents()
            form = pydyf.Stream([content.get_data() if content is not None else b""], compress=True)
            form.extra = {
                "Type": "/XObject",
                "Subtype": "/Form",
                "BBox": pydyf.Array([float(box.left), float(box.bottom), float(box.right), float(box.top)]),
                "Resources": _to_pydyf(page.get("/Resources", DictionaryObject()), pdf, memo),
            }
            pdf.add_object(form)
            page_object = pdf.objects[kids[3 * index]]
            page_width = float(page_object["MediaBox"][2])
            band = target.top - target.bottom
            scale = min(page_width / width, band / height, 1.0)
            dx = (page_width - width * scale) / 2 - float(box.left) * scale
            dy = target.bottom + (band - height * scale) / 2 - float(box.bottom) * scale
            name = f"LisAppendix{n}"
            place = pydyf.Stream(
                [f"q {scale:f} 0 0 {scale:f} {dx:f} {dy:f} cm /Artifact BMC /{name} Do EMC Q".encode()]
            )
            pdf.add_object(place)
            # The pages share one resources dictionary (by reference); the name is unique to this page.
            shared = pdf.objects[int(page_object["Resources"].split()[0])]
            shared["XObject"][name] = form.reference
            page_object["Contents"] = pydyf.Array([place.reference, page_object["Contents"]])

    return finish


def pack_pdf(source: PackSource, *, on_progress: Callable[[int], None] = lambda _: None) -> Rendered:
    readers = _appendix_readers(source)
    on_progress(10)
    html = pack_html(source, appendix_pages={pk: len(r.pages) for pk, r in readers.items()})
    on_progress(20)
    return _lay_out(html, readers, on_progress=on_progress)


def paper_html(paper: BoardPaper, *, author: str, appendix_pages: dict[int, int]) -> str:
    """One paper as its own PDF shows it: a heading block naming the meeting, the paper's cover
    sheet, recommendations and body, then its appendices (pages held for them, as in a pack)."""
    item = paper.agenda_item
    return render_to_string(
        "documents/pdf/paper.html",
        {
            "part": paper_part(paper, item, withheld=False, appendix_pages=appendix_pages),
            "meeting": item.meeting,
            "author": author,
            "created": timezone.now().isoformat(timespec="seconds"),
        },
    )


def paper_pdf(paper: BoardPaper, *, author: str) -> Rendered:
    """One paper (with its appendices' pages) as a PDF, laid out like its part of a pack."""
    readers = {appendix.pk: _appendix_reader(appendix) for appendix in paper.appendices.all()}
    html = paper_html(paper, author=author, appendix_pages={pk: len(r.pages) for pk, r in readers.items()})
    return _lay_out(html, readers)


def _lay_out(
    html: str, readers: dict[int, PdfReader], *, on_progress: Callable[[int], None] = lambda _: None
) -> Rendered:
    """Lay `html` out once and write it, each appendix's pages drawn onto the pages held for them."""
    document = pdf_document(html, stylesheets=STYLESHEETS, fetcher=PortalURLFetcher())
    on_progress(70)
    held_at: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("appendix-") and "-p" in anchor:
                held_at[anchor] = index
    held = {
        held_at[key]: _held_page(appendix_page, document.pages[held_at[key]], titled=n == 1)
        for pk, reader in readers.items()
        for n, appendix_page in enumerate(reader.pages, start=1)
        if (key := f"appendix-{pk}-p{n}") in held_at
    }
    pdf: bytes = document.write_pdf(
        pdf_variant=DEFAULT_PDF_VARIANT, finisher=_appendix_finisher(held) if held else None
    )
    on_progress(95)
    return Rendered(pdf=pdf, page_count=len(document.pages))
