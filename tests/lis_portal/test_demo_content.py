"""The demo's content files: each parses, each entry names things that exist, and a typo fails
`loaddemo` with its file and entry named, writing nothing."""

from __future__ import annotations

import io
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from core.models import Area, Organisation, Strategy
from documents.models import BoardPaper, DraftSection, DraftVersion, ReviewComment
from engagement.models import Call, Consultation, Event, Priority, Proposition, Question
from evidence.models import EvidenceItem
from lis_portal.demo import content
from timeline.models import Board, Decision, Meeting, Milestone, Phase

pytestmark = pytest.mark.django_db


def test_every_content_file_parses_and_is_read() -> None:
    on_disk = {path.name for path in content.CONTENT_DIR.glob("*.toml")}
    assert on_disk == set(content.FILES), "a content file the loader does not read, or one it reads that is missing"
    for name in content.FILES:
        with (content.CONTENT_DIR / name).open("rb") as handle:
            assert tomllib.load(handle), name
    read = content.read_content()
    assert read.sources["selep_page"].startswith("South East LEP")
    assert "lad19_to_lep17_lookup_england.csv" in read.sources["lep_lookup_source"]  # a citation names a file


def _entries(name: str, key: str) -> list[dict[str, Any]]:
    """The entries of one array of tables (`[[key]]`) of a content file."""
    with (content.CONTENT_DIR / name).open("rb") as handle:
        entries: list[dict[str, Any]] = tomllib.load(handle)[key]
    return entries


def test_every_entry_names_things_that_exist_and_becomes_a_record() -> None:
    # The loader resolves every name an entry gives (an organisation, a board, a person, a milestone, a
    # theme, a phase, a choice) or fails naming the file and entry, so a load that succeeds proves them.
    call_command("loaddemo", stdout=io.StringIO())
    south_east = Strategy.objects.get(slug="south-east")
    assert Board.objects.filter(strategy=south_east).count() == len(_entries("boards.toml", "board"))
    phases = _entries("schedule.toml", "phase")
    assert Phase.objects.filter(strategy=south_east).count() == len(phases)
    milestones = [m for phase in phases for m in phase["milestone"]]
    assert Milestone.objects.filter(phase__strategy=south_east).count() == len(milestones)
    meetings = _entries("boards.toml", "meeting")
    assert Meeting.objects.count() == len(meetings)
    decisions = [d for meeting in meetings for d in meeting.get("decision", [])]
    assert Decision.objects.filter(milestone__isnull=False).count() == sum("milestone" in d for d in decisions)
    items = EvidenceItem.objects.filter(strategy=south_east)
    for entry in _entries("evidence.toml", "item") + _entries("evidence.toml", "illustrative"):
        assert items.filter(title=entry["title"]).exists(), entry["title"]
    for series in _entries("evidence.toml", "series"):
        found = items.filter(title__startswith=series["title"].split("{")[0]).count()
        assert found == len(series["districts"]) if "districts" in series else 30 <= found <= 32
    assert Call.objects.count() == len(_entries("engagement.toml", "call")) + 1  # and priorities.toml's
    councils = _entries("priorities.toml", "council")
    titles = [p["title"] for council in councils for p in council["priority"]]
    assert set(Priority.objects.filter(call__strategy=south_east).values_list("title", flat=True)) == set(titles)
    propositions = [p["title"] for p in _entries("priorities.toml", "proposition")]
    assert set(Proposition.objects.values_list("title", flat=True)) == set(propositions)
    consultations = _entries("engagement.toml", "consultation")
    own = Consultation.objects.filter(event__isnull=True)  # not the workshops' feedback (workshops.toml)
    assert own.count() == len(consultations)
    assert Question.objects.filter(consultation__in=own).count() == sum(
        len(c.get("question", [])) for c in consultations
    )
    with (content.CONTENT_DIR / "responses.toml").open("rb") as handle:
        responses = tomllib.load(handle)
    consulted = Consultation.objects.get(title=responses["consultation"])
    assert consulted.responses.count() == len(responses["response"])
    workshops = _entries("workshops.toml", "workshop")
    for workshop in workshops:
        event = Event.objects.get(strategy=south_east, theme__slug=workshop["theme"], kind="workshop")
        assert set(event.attending.values_list("name", flat=True)) == set(workshop["attending"])
        assert event.feedback is not None
        assert event.feedback.responses.count() == len(workshop.get("feedback", []))
    with (content.CONTENT_DIR / "draft.toml").open("rb") as handle:
        review = tomllib.load(handle)["review"]
    comments = [*review["comment"], *review["public"]["comment"]]  # the partners' and the public round's
    assert ReviewComment.objects.filter(parent__isnull=True).count() == len(comments)
    assert ReviewComment.objects.filter(parent__isnull=False).count() == sum("reply" in c for c in comments)
    sections = {section["title"] for section in _entries("draft.toml", "section")}
    assert set(DraftSection.objects.filter(draft__strategy=south_east).values_list("title", flat=True)) == sections
    assert DraftVersion.objects.filter(draft__strategy=south_east).count() == len(_entries("draft.toml", "version"))
    with (content.CONTENT_DIR / "draft.toml").open("rb") as handle:
        papers = [paper["title"] for paper in tomllib.load(handle)["meeting"]["paper"]]
    papers += [paper["title"] for meeting in meetings for paper in meeting.get("paper", [])]
    assert set(BoardPaper.objects.values_list("title", flat=True)) == set(papers)
    closing = [d for meeting in meetings for d in meeting.get("decision", []) if d.get("closes_phase")]
    assert Decision.objects.filter(closes_phase__isnull=False).count() == len(closing) == 2
    named = [entry["name"] for entry in _entries("organisations.toml", "named_council")]
    assert set(Organisation.objects.filter(name__in=named).values_list("name", flat=True)) == set(named)


# (file, text as it is, a typo, what the error must say: the file, the entry and the wrong value)
TYPOS = [
    pytest.param(
        "people.toml",
        'organisation = "Tonbridge and Malling Borough Council"',
        'organisation = "Tonbridge & Malling Borough Council"',
        "people.toml, person “councillor@example.org”: “organisation” names “Tonbridge & Malling Borough Council”",
        id="organisation",
    ),
    pytest.param(
        "people.toml",
        '"Kent and Medway Economic Partnership Board"]',
        '"KMEP Board"]',
        "people.toml, person “board@example.org”: “boards” names “KMEP Board”",
        id="board",
    ),
    pytest.param(
        "organisations.toml",
        '"Thanet"',
        '"Thannet"',
        "organisations.toml, federated_area “Kent and Medway Economic Partnership”: “districts” names “Thannet”",
        id="district",
    ),
    pytest.param(
        "strategies.toml",
        'case_study = "Bracknell Forest"',
        'case_study = "Bracknel Forest"',
        "strategies.toml, [lighter], strategy “thames-valley-berkshire”: “case_study” is “Bracknel Forest”",
        id="case-study",
    ),
    pytest.param(
        "strategies.toml",
        "{selep_page}: the summary",
        "{selep}: the summary",
        "strategies.toml, [replayed]: “source” cites {selep}",
        id="citation",
    ),
    pytest.param(
        "schedule.toml",
        'stage = "sign_off"',
        'stage = "signoff"',
        "schedule.toml, phase “signoff”: “stage” is “signoff”; it should be one of",
        id="choice",
    ),
    pytest.param(
        "schedule.toml",
        "due = 2019-10-04",
        "due_on = 2019-10-04",
        "schedule.toml, phase “drafting”, milestone “Progress, structure and process for finalisation agreed "
        "through Strategic Board (4th October)”: “due_on” is not a key here",
        id="key",
    ),
    pytest.param(
        "boards.toml",
        'milestone = "Progress, structure and process for finalisation agreed through Strategic Board (4th October)"',
        'milestone = "Progress and structure agreed through Strategic Board (4th October)"',
        "boards.toml, meeting “Strategic Board: progress, structure and process for finalisation”, decision",
        id="milestone",
    ),
    pytest.param(
        "evidence.toml",
        'themes = ["business-environment"]',
        'themes = ["business-enviroment"]',
        "evidence.toml, item “Regional and subregional labour productivity, UK”: “themes” has “business-enviroment”",
        id="theme",
    ),
    pytest.param(
        "priorities.toml",
        'themes = ["ageing-society"]',
        'themes = ["ageing-societies"]',
        "priorities.toml, council “East Sussex County Council”, priority “Healthy ageing economy”: “themes” has "
        "“ageing-societies”",
        id="priority-theme",
    ),
    pytest.param(
        "priorities.toml",
        '"Care sector workforce", "Healthy ageing economy"]',
        '"Care workforce", "Healthy ageing economy"]',
        "priorities.toml, proposition “Healthy ageing economy (demo)”: “priorities” names “Care workforce”",
        id="proposition-priority",
    ),
    pytest.param(
        "priorities.toml",
        'tags = ["energy"]\nevidence = ["Clean growth workshop: notes (demo)"]',
        'tags = ["energy"]\nevidence = ["Clean growth workshop (demo)"]',
        "priorities.toml, council “Medway Council”, priority “Estuary energy and the Isle of Grain”: “evidence” names "
        "“Clean growth workshop (demo)”",
        id="priority-evidence",
    ),
    pytest.param(
        "evidence.toml",
        '"Sevenoaks", "Swale"',
        '"Sevenoakes", "Swale"',
        "evidence.toml, series “Business births 2022: {areanm}”: “districts” names “Sevenoakes”",
        id="series-district",
    ),
    pytest.param(
        "draft.toml",
        'propositions = ["Healthy ageing economy (demo)"]',
        'propositions = ["Healthy ageing (demo)"]',
        "draft.toml, section “Ageing society”: “propositions” names “Healthy ageing (demo)”",
        id="draft-section-proposition",
    ),
    pytest.param(
        "responses.toml",
        'coded = ["people", "places"]',
        'coded = ["people", "placse"]',
        "responses.toml, response number 1: “coded” has “placse”",
        id="response-coded",
    ),
    pytest.param(
        "workshops.toml",
        'theme = "ideas"',
        'theme = "idea"',
        "workshops.toml, workshop “idea”: “theme” is “idea”",
        id="workshop-theme",
    ),
    pytest.param(
        "sources.toml",
        'guide = "SEEC',
        "guide = SEEC",
        "sources.toml: not valid TOML",
        id="syntax",
    ),
]


@pytest.mark.parametrize(("name", "text", "typo", "message"), TYPOS)
def test_a_typo_fails_naming_its_file_and_entry_and_writes_nothing(
    name: str, text: str, typo: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content.CONTENT_DIR, folder)
    original = (folder / name).read_text(encoding="utf-8")
    assert text in original
    (folder / name).write_text(original.replace(text, typo, 1), encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", folder)
    with pytest.raises(CommandError) as raised:
        call_command("loaddemo", stdout=io.StringIO())
    assert message in str(raised.value)
    assert not Area.objects.exists()
