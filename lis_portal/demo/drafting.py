"""The drafting phase, lived (content/draft.toml): the draft strategy written section by section
and saved as two versions, then the upcoming Strategic Board meeting's agenda and papers (one
exempt, one with a PDF appendix made at load time) and its members' and public packs, rendered.
Everything goes through documents' and timeline's services at its replayed moment
(`Replay.living`); a record found again is left as it is."""

from __future__ import annotations

import logging
from datetime import time
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from weasyprint import HTML

from core.exceptions import ApplicationError
from core.models import Strategy, User
from documents import services
from documents.models import BoardPaper, DraftSection, DraftStrategy, DraftVersion, Pack
from engagement.models import Priority, Proposition
from evidence.models import EvidenceItem
from timeline.models import Board, Meeting
from timeline.services import agenda_item_add

from .boards import board_named
from .content import Content, Entry
from .records import Replay
from .strategies import strategy_named

SECTION_KEYS = ["title", "body"]
SECTION_OPTIONAL = ["revised", "propositions", "priorities", "evidence"]
PAPER_KEYS = ["agenda", "title", "purpose", "recommendations", "decision"]
MEETING_KEYS = ["day", "starts", "status", "notes", "location", "agenda_item", "decision", "papers_on", "paper"]
PAPER_OPTIONAL = ["body", "financial", "legal", "risk", "exempt_paragraph", "public_interest", "appendix"]


def _ids(entry: Entry, key: str, model: type[models.Model], lookup: str, strategy: Strategy, what: str) -> list[int]:
    titles = entry.texts(key, ())
    found = dict(model._default_manager.filter(**{lookup: strategy}, title__in=titles).values_list("title", "pk"))
    missing = [title for title in titles if title not in found]
    if missing:
        raise entry.error(f"“{key}” names “{missing[0]}”, which is not {what}.")
    return [found[title] for title in titles]


def _links(entry: Entry, strategy: Strategy) -> dict[str, list[int]]:
    return {
        "proposition_ids": _ids(
            entry, "propositions", Proposition, "strategy", strategy, "a proposition of priorities.toml"
        ),
        "priority_ids": _ids(
            entry, "priorities", Priority, "call__strategy", strategy, "a priority of priorities.toml"
        ),
        "evidence_item_ids": _ids(entry, "evidence", EvidenceItem, "strategy", strategy, "an evidence item"),
    }


def _refused(entry: Entry, doing: str, error: ApplicationError) -> Exception:
    return entry.error(f"the service refused to {doing}: {error}")


def load_drafting(
    content: Content, *, strategies: dict[str, Strategy], boards: dict[str, Board], officer: User, replay: Replay
) -> dict[str, int]:
    file = content.file(
        "draft.toml",
        required=["strategy", "marker", "created_on", "version", "section", "meeting"],
        optional=["review", "consulted"],  # reviewing.py, consulted_on.py
    )
    strategy = strategy_named(file, strategies)
    versions = file.entries("version", name="note", required=["day", "note"])
    if len(versions) != 2:
        raise file.error("“version” should list the draft's two versions.")
    sections = file.entries("section", name="title", required=SECTION_KEYS, optional=SECTION_OPTIONAL)
    draft = DraftStrategy.objects.filter(strategy=strategy).first()
    if draft is None:
        draft = _write_draft(file, strategy, officer, replay, versions, sections)
    meeting_spec = file.table("meeting", required=["board", "title", "papers_on", "packs_on", "paper"])
    meeting = Meeting.objects.filter(board=board_named(meeting_spec, boards), title=meeting_spec.text("title")).first()
    if meeting is None:
        raise meeting_spec.error("“title” is not a meeting of boards.toml on that board.")
    papers = _write_papers(meeting_spec, meeting, officer, replay)
    latest = DraftVersion.objects.filter(draft=draft).order_by("-number").first()
    packs = [
        _pack(meeting_spec, strategy, meeting, kind, latest, officer, replay)
        for kind in (Pack.Kind.MEMBERS, Pack.Kind.PUBLIC)
    ]
    return {
        "Draft sections": DraftSection.objects.filter(draft=draft).count(),
        "Draft versions": DraftVersion.objects.filter(draft=draft).count(),
        "Board papers": len(papers),
        "Packs": sum(1 for pack in packs if pack.status == Pack.Status.READY),
    }


def _write_draft(
    file: Entry, strategy: Strategy, officer: User, replay: Replay, versions: list[Entry], sections: list[Entry]
) -> DraftStrategy:
    with replay.living(file.day("created_on"), time(9, 30)):
        draft = services.draft_create(actor=officer, strategy=strategy)
    by_title = {section.title: section for section in DraftSection.objects.filter(draft=draft)}
    unknown = [entry for entry in sections if entry.text("title") not in by_title]
    if unknown:
        raise unknown[0].error(f"“title” is not a section the draft starts with ({', '.join(by_title)}).")
    empty = [title for title in by_title if title not in {entry.text("title") for entry in sections}]
    if empty:
        raise file.error(f"the section “{empty[0]}” has no text; every section of the draft needs one.")
    marker = file.text("marker")
    for number, version in enumerate(versions, start=1):
        with replay.living(version.day("day"), time(16)):
            for entry in sections:
                key = "body" if number == 1 else "revised"
                if key not in entry.data:
                    continue
                section = DraftSection.objects.get(pk=by_title[entry.text("title")].pk)
                try:
                    services.draft_section_save(
                        actor=officer,
                        section=section,
                        title=section.title,
                        body=marker + entry.text(key),
                        version=section.version,
                        **(_links(entry, strategy) if number == 1 else {}),
                    )
                except ApplicationError as error:
                    raise _refused(entry, "save the section", error) from error
            services.draft_version_save(actor=officer, draft=draft, note=version.text("note"))
    return draft


def load_meeting_papers(content: Content, *, boards: dict[str, Board], officer: User, replay: Replay) -> int:
    """The papers of boards.toml's past meetings (`[[meeting.paper]]`), written on their `papers_on`
    day through documents' services like the upcoming meeting's; a paper found again is left alone."""
    file = content.file("boards.toml", required=["strategy", "board"], optional=["meeting"])
    written = 0
    for entry in file.entries("meeting", name="title", required=["board", "title"], optional=MEETING_KEYS):
        if "paper" not in entry.data:
            continue
        meeting = Meeting.objects.get(board=board_named(entry, boards), title=entry.text("title"))
        written += len(_write_papers(entry, meeting, officer, replay))
    return written


def _write_papers(spec: Entry, meeting: Meeting, officer: User, replay: Replay) -> list[BoardPaper]:
    papers: list[BoardPaper] = []
    for entry in spec.entries("paper", name="title", required=PAPER_KEYS, optional=PAPER_OPTIONAL):
        item = meeting.agenda_items.filter(title=entry.text("agenda")).first()
        if item is not None and hasattr(item, "paper"):
            papers.append(item.paper)
            continue
        exempt = "exempt_paragraph" in entry.data
        data = {
            "title": entry.text("title"),
            "author": officer.name,
            "purpose": entry.text("purpose"),
            "recommendations": entry.text("recommendations"),
            "decision_required": entry.choice("decision", BoardPaper.DecisionRequired),
            "body": entry.text("body", ""),
            "financial_implications": entry.text("financial", ""),
            "legal_implications": entry.text("legal", ""),
            "risk_implications": entry.text("risk", ""),
            "is_exempt": exempt,
            "exempt_paragraph": entry.choice("exempt_paragraph", BoardPaper.ExemptParagraph) if exempt else "",
            "public_interest_reason": entry.text("public_interest") if exempt else "",
        }
        try:
            with replay.living(spec.day("papers_on"), time(11)):
                if item is None:
                    item = agenda_item_add(actor=officer, meeting=meeting, title=entry.text("agenda"))
                paper = services.board_paper_save(actor=officer, agenda_item=item, data=data, version=None)
                if "appendix" in entry.data:
                    appendix = entry.table("appendix", required=["title", "text"])
                    services.paper_appendix_add(
                        actor=officer,
                        paper=paper,
                        title=appendix.text("title"),
                        upload=SimpleUploadedFile(
                            "appendix.pdf", note_pdf(appendix.text("title"), appendix.text("text")), "application/pdf"
                        ),
                    )
        except ApplicationError as error:
            raise _refused(entry, "add the paper", error) from error
        papers.append(paper)
    return papers


def note_pdf(title: str, text: str) -> bytes:
    """A one-page note as a PDF, made when the demo loads (the repository holds no binaries)."""
    html = f"<html><body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def _pack(
    spec: Entry,
    strategy: Strategy,
    meeting: Meeting,
    kind: str,
    draft_version: DraftVersion | None,
    officer: User,
    replay: Replay,
) -> Pack:
    """The meeting's pack of this kind: the one already made, or one requested and rendered now,
    in this process (not left to the task queue, so that the demo ends with it ready)."""
    pack = Pack.objects.filter(meeting=meeting, kind=kind).order_by("pk").first()
    if pack is None:
        try:
            with replay.living(spec.day("packs_on"), time(17, 30)):
                pack, _ = services.pack_request(
                    actor=officer, strategy=strategy, kind=kind, meeting=meeting, draft_version=draft_version
                )
                weasyprint_log = logging.getLogger("weasyprint")
                level = weasyprint_log.level
                weasyprint_log.setLevel(logging.ERROR)  # its CSS warnings are not the demo's summary
                try:
                    services.pack_render(pack_id=pack.pk)
                finally:
                    weasyprint_log.setLevel(level)
        except ApplicationError as error:
            raise _refused(spec, f"request the {kind} pack", error) from error
        pack.refresh_from_db()
    if pack.status != Pack.Status.READY:
        raise spec.error(f"the {kind} pack did not render: {pack.error or pack.status}")
    return pack
