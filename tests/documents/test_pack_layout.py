"""How a pack's pages break and what its running header and charts print: real packs rendered by
WeasyPrint, read back with poppler's `pdftotext -bbox` (each line of text with its box) and pypdf.

No page ends with a heading or a caption cut off from what it introduces; each side of the running
header stays on one line, the two sides apart; a Gantt or chart label prints in full; and the
consultation summary lists each consultation's responses."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Organisation, Theme
from documents import render
from documents.selectors import consultation_summary
from engagement.models import Consultation, ConsultationResponse
from evidence.charts import Bar, bar_chart
from tests.conftest import Cast
from tests.documents.conftest import Papers
from tests.documents.test_pack_typography import _members_pack, _texts
from tests.factories import OrganisationFactory
from timeline.models import Milestone

pytestmark = pytest.mark.django_db

LONG_MILESTONE = "Progress, structure and process for finalisation agreed through Strategic Board (4th October)"
# Every heading and caption the pack's own templates print (the parts' titles aside): none may be the
# last line of a page.
PACK_HEADINGS = {
    "Evidence items by foundation",
    "Sector specialisms",
    "Calls for priorities",
    "Priorities by status",
    "Councils’ priorities by status",
    "Priorities by theme",
    "Submitted priorities by theme",
    "Priorities by council",
    "Submitted priorities by council",
    "Consultations",
    "Responses to each consultation",
    "Recommendations",
    "This section draws on",
    "Phases and milestones, with their dates",
}


@dataclass(frozen=True)
class Line:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float


def _lines(pdf: bytes) -> list[list[Line]]:
    """Each page's lines of text, top to bottom, as poppler groups the words (`-bbox-layout`)."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read where each line of a page is"
    out = subprocess.run([pdftotext, "-bbox-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page .*?</page>", out.decode(), re.S):
        lines = []
        for m in re.finditer(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            words = re.findall(r"<word [^>]*>(.*?)</word>", m[5])
            lines.append(Line(html.unescape(" ".join(words)), *(float(m[n]) for n in range(1, 5))))
        pages.append(sorted(lines, key=lambda line: (line.y_min, line.x_min)))
    return pages


def _footer_free(lines: list[Line]) -> list[Line]:
    """A page's lines above its footer (the marking and "Page X of Y", in the bottom margin)."""
    bottom = max(line.y_max for line in lines)
    return [line for line in lines if line.y_max < bottom - 30]


def _consultation(cast: Cast, papers: Papers) -> Consultation:
    """A closed consultation with three responses: two coded (one by two themes), one replied to."""
    now = timezone.now()
    consultation = Consultation.objects.create(
        strategy=cast.strategy,
        phase=papers.process.phases[0],
        title="Views on the emerging propositions",
        description="Tell us what you think.",
        opens_at=now - timedelta(days=30),
        closes_at=now - timedelta(days=2),
    )
    ideas, people = Theme.objects.order_by("kind", "order")[:2]
    for n in range(3):
        response = ConsultationResponse.objects.create(
            consultation=consultation,
            organisation=OrganisationFactory(kind=Organisation.Kind.BUSINESS_GROUP, name=f"Layout group {n}"),
            status=ConsultationResponse.Status.SUBMITTED,
            submitted_at=now - timedelta(days=5),
            coded_at=now if n < 2 else None,
            reply="Thank you." if n == 0 else "",
            replied_at=now if n == 0 else None,
        )
        if n < 2:
            response.coded_themes.set([ideas, people] if n == 0 else [ideas])
    return consultation


def test_the_consultation_summary_counts_each_consultations_responses(cast: Cast, papers: Papers) -> None:
    _consultation(cast, papers)
    Consultation.objects.create(  # not yet open: not in the summary
        strategy=cast.strategy,
        phase=papers.process.phases[0],
        title="A later consultation",
        description="Later.",
        opens_at=timezone.now() + timedelta(days=3),
        closes_at=timezone.now() + timedelta(days=30),
    )
    (row,) = consultation_summary(strategy=cast.strategy)["consultations"]
    assert row["title"] == "Views on the emerging propositions" and not row["open"]
    assert (row["received"], row["coded"], row["replied"]) == (3, 2, 1)
    ideas, people = Theme.objects.order_by("kind", "order")[:2]
    assert row["by_theme"][:2] == [[ideas.name, 2], [people.name, 1]]


def test_a_members_pack_keeps_headings_with_what_follows_headers_on_one_line_labels_whole_and_consultations(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    _consultation(cast, papers)
    phase = papers.process.phases[1]
    Milestone.objects.create(phase=phase, title=LONG_MILESTONE, order=20, due_date=phase.planned_end, is_key=True)
    # A paper title long enough that a running header would wrap were it not cut short.
    paper = papers.open_paper
    paper.title = "The draft Local Industrial Strategy, with the evidence, the priorities and the propositions"
    paper.save()
    pack, pdf = _members_pack(cast, papers, django_capture_on_commit_callbacks)
    pages = _lines(pdf)
    assert len(pages) == pack.page_count

    for number, lines in enumerate(pages, start=1):
        body = _footer_free(lines)
        # No page ends with a heading or a caption: what it introduces follows it on the same page.
        if body:
            assert body[-1].text not in PACK_HEADINGS, (number, body[-1])
        if number == 1:
            continue  # the cover has no running header
        # The running header: the lines in the top margin (22 mm), each side on one line, apart.
        top = min(line.y_min for line in lines)
        header = [line for line in lines if line.y_min < top + 14]
        assert 1 <= len(header) <= 2, (number, header)
        assert len({round(line.y_min) for line in header}) == 1, (number, header)
        if len(header) == 2:
            left, right = header
            assert right.x_min - left.x_max > 12, (number, header)
        assert header[0].text.startswith(f"{papers.process.meeting.board.name}, 30 July 2026: members’ pack")

    text = "\n".join(_texts(pdf))
    flat = " ".join(text.split())
    # The Gantt prints the whole of a long milestone's label, over lines (its table too).
    gantt_page = next(
        n for n, page_text in enumerate(_texts(pdf)) if "Timeline status" in page_text and "Today" in page_text
    )
    gantt_text = " ".join(line.text for line in pages[gantt_page])
    assert LONG_MILESTONE in gantt_text, gantt_text
    assert " …" not in gantt_text
    # The consultation summary lists the consultation's responses: received, coded, replied to, by theme.
    assert "Responses to each consultation" in flat
    assert re.search(r"Views on the emerging propositions Closed \d+ \w+ \d{4} 3 2 1", flat), flat
    assert "Coded responses to “Views on the emerging propositions”, by theme" in flat
    # "Calls for priorities" is a heading once, not a caption straight under itself too.
    assert flat.count("Calls for priorities") == 1, flat


def test_a_chart_label_wraps_at_spaces_and_prints_whole() -> None:
    label = "38 Remediation activities and other waste management services"
    svg = str(bar_chart(chart_id="c", title="t", description="d", bars=[Bar(label, 1.7, False)]))
    lines = re.findall(r"<tspan [^>]*>(.*?)</tspan>", svg)
    assert len(lines) == 2 and " ".join(lines) == label, lines
    assert "…" not in svg
    assert render.RENDER_VERSION >= 5
