"""`manage.py loaddemo`: idempotent, faithful to the data, and replayed so that today is in drafting."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import models
from django.test import RequestFactory
from django.utils import timezone

from core.models import Area, Membership, Organisation, Role, Strategy, User
from core.rules import strategy_roles
from lis_portal import demo
from timeline.models import Board, BoardMembership, Milestone, Phase
from timeline.selectors import phase_current

pytestmark = pytest.mark.django_db

EMAILS = [
    "councillor@example.org",
    "officer@example.org",
    "board@example.org",
    "partner@example.org",
    "admin@example.org",
]
# Natural keys of the models the demo writes; any other model is compared row by row.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "core.Area": ("code", "vintage"),
    "core.Organisation": ("slug",),
    "core.Strategy": ("slug",),
    "core.Theme": ("slug",),
    "core.User": ("email",),
    "core.Membership": ("user__email", "organisation__slug"),
    "timeline.Board": ("strategy__slug", "name"),
    "timeline.BoardMembership": ("board__strategy__slug", "board__name", "user__email"),
    "timeline.Phase": ("strategy__slug", "stage"),
    "timeline.Milestone": ("phase__strategy__slug", "phase__stage", "title"),
    "timeline.Meeting": ("board__strategy__slug", "board__name", "title"),
    "timeline.AgendaItem": ("meeting__board__name", "meeting__title", "number"),
    "timeline.Decision": ("meeting__board__name", "meeting__title", "text"),
}
# A new hash of the same password (a fresh salt) on every run; nobody signs in during the test.
VOLATILE = {"id", "password", "last_login", "updated_at"}  # updated_at: a save stamps the time


def load() -> str:
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def demo_models() -> list[type[models.Model]]:
    return [
        model
        for label in ("core", "timeline", "engagement")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ] + [
        apps.get_model(label)
        for label in (
            "evidence.EvidenceItem",
            "documents.DraftStrategy",
            "documents.DraftSection",
            "documents.DraftVersion",
            "documents.BoardPaper",
            "documents.PaperAppendix",
            "documents.Pack",
            "documents.ReviewWindow",
            "documents.ReviewComment",
        )
    ]


def snapshot() -> dict[str, Any]:
    """Every row of core and timeline: natural key -> field values (or the rows, for the rest)."""
    result: dict[str, Any] = {}
    for model in demo_models():
        label = model._meta.label
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
        key = NATURAL_KEYS.get(label)
        if key:
            rows = list(model._default_manager.values_list(*key).order_by())
            assert len(rows) == len(set(rows)), f"{label}: a natural key is used twice"
            result[label] = {
                tuple(row[k] for k in key): {f: row[f] for f in fields}
                for row in model._default_manager.values(*key, *fields)
            }
        else:
            result[label] = sorted(map(repr, model._default_manager.values(*fields)))
    return result


def counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in demo_models()}


def selep_phases() -> list[Phase]:
    return list(Phase.objects.filter(strategy__slug="south-east").order_by("order"))


def test_loading_twice_gives_the_same_rows() -> None:
    load()
    first_counts, first = counts(), snapshot()
    load()
    assert counts() == first_counts
    assert snapshot() == first
    assert first_counts["core.Strategy"] == 4
    assert first_counts["timeline.Phase"] == 6
    assert first_counts["documents.DraftVersion"] == 2
    assert first_counts["documents.Pack"] == 2
    assert first_counts["documents.ReviewWindow"] == 2  # the partners' review and the public round
    assert first_counts["documents.ReviewComment"] >= 7  # five comments, three replies
    assert first_counts["engagement.ConsultationResponse"] >= 25  # the consultation's and the workshops'
    assert first_counts["timeline.Meeting"] == 4


def test_the_replayed_cycle_has_priorities_propositions_and_evidence() -> None:
    from engagement.models import Priority, Proposition
    from evidence.models import EvidenceItem

    load()
    priorities = Priority.objects.filter(call__strategy__slug="south-east")
    assert 30 <= priorities.count() <= 60
    assert priorities.values("organisation").distinct().count() >= 10
    assert priorities.filter(status="withdrawn").count() >= 3
    assert priorities.filter(status="draft").count() >= 2
    assert priorities.filter(coded_at__isnull=False).count() >= 25
    assert priorities.exclude(response="").count() >= 15
    assert priorities.filter(author__email="councillor@example.org").count() >= 4
    assert all(not p.call.is_open() for p in priorities)
    assert all(
        p.submitted_at and p.submitted_at.date() < timezone.localdate() for p in priorities.exclude(status="draft")
    )
    propositions = Proposition.objects.filter(strategy__slug="south-east")
    assert {p.status for p in propositions} == {"emerging", "agreed", "dropped"}
    assert all(p.priorities.exists() and p.evidence_items.exists() for p in propositions)
    assert EvidenceItem.objects.filter(strategy__slug="south-east").count() >= 36


def test_the_draft_has_text_in_every_section_and_two_versions() -> None:
    from documents.models import DraftStrategy

    load()
    draft = DraftStrategy.objects.get(strategy__slug="south-east")
    sections = list(draft.sections.all())
    assert len(sections) == 12
    assert all(s.body.startswith("Illustrative (demo wording") for s in sections)
    assert all(s.evidence_items.exists() for s in sections)
    assert sum(s.propositions.exists() for s in sections) >= 8
    assert sum(s.priorities.exists() for s in sections) >= 8
    versions = list(draft.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].sections != versions[1].sections  # the second version revised some sections
    assert all(section["body"] for section in versions[1].sections)


def test_the_upcoming_meeting_has_papers_and_both_packs_are_ready() -> None:
    from pypdf import PdfReader

    from documents.models import Pack
    from timeline.models import Meeting

    load()
    meeting = Meeting.objects.get(title="Strategic Board: the draft Local Industrial Strategy (demo)")
    assert meeting.starts_at.date() > timezone.localdate()
    assert meeting.status == Meeting.Status.SCHEDULED
    papers = [item.paper for item in meeting.agenda_items.order_by("number")]
    assert len(papers) == 3
    exempt = [p for p in papers if p.is_exempt]
    assert len(exempt) == 1
    assert exempt[0].exempt_paragraph == "3" and exempt[0].public_interest_reason
    with_appendix = [p for p in papers if p.appendices.exists()]
    assert len(with_appendix) == 1
    appendix = with_appendix[0].appendices.get()
    with appendix.file.open("rb") as handle:
        assert len(PdfReader(handle).pages) == appendix.page_count == 1
    latest = meeting.board.strategy.draft.versions.order_by("-number").first()
    texts = {}
    for kind in (Pack.Kind.MEMBERS, Pack.Kind.PUBLIC):
        pack = Pack.objects.get(meeting=meeting, kind=kind)
        assert pack.status == Pack.Status.READY
        assert pack.draft_version == latest
        with pack.file.open("rb") as handle:
            reader = PdfReader(handle)
            assert len(reader.pages) == pack.page_count
            assert len(reader.pages) > 1
            texts[kind] = " ".join(page.extract_text() for page in reader.pages)
    title = " ".join(exempt[0].title.split())
    assert title in " ".join(texts[Pack.Kind.MEMBERS].split())
    assert title not in " ".join(texts[Pack.Kind.PUBLIC].split())


def test_selep_has_its_32_districts_and_their_regions() -> None:
    load()
    selep = Area.objects.get(code=demo.SELEP, vintage="2017")
    districts = Area.objects.filter(parents=selep, kind__in=[Area.Kind.DISTRICT, Area.Kind.UNITARY])
    assert districts.count() == 32
    # Lewes and Uttlesford have SELEP as their second LEP in the 2017 lookup.
    lewes = Area.objects.get(code="E07000063")
    assert {p.code for p in lewes.parents.all()} == {"E37000004", "E37000030", "E10000011", "UKJ22"}
    assert districts.filter(code="E07000077").exists()
    # Every SELEP district sits in a NUTS3 region, and each NUTS3 region in a NUTS2 region.
    for district in districts:
        nuts3 = district.parents.get(kind=Area.Kind.ITL_REGION)
        assert nuts3.vintage == "2018"
        assert nuts3.parents.get().code in {"UKJ4", "UKH3", "UKJ2"}
    assert Area.objects.get(code="UKJ41").parents.get().code == "UKJ4"
    # Counties carry the GSS codes the data holds, never invented ones.
    assert set(Area.objects.filter(kind=Area.Kind.COUNTY).values_list("code", flat=True)) >= {
        "E10000016",
        "E10000012",
        "E10000011",
        "E10000030",
    }
    kent = Organisation.objects.get(slug="kent-county-council").area
    assert kent is not None and kent.code == "E10000016"


def test_strategies_and_their_partners() -> None:
    load()
    south_east = Strategy.objects.get(slug="south-east")
    assert south_east.lead.name == "South East LEP"
    assert south_east.area is not None and south_east.area.code == "E37000030"
    assert len(south_east.aim_list) == 2
    assert "Development of the South East LEP Local Industrial Strategy" in south_east.source
    partners = south_east.partners.all()
    assert partners.filter(kind=Organisation.Kind.FEDERATED_AREA).count() == 4
    assert partners.filter(kind__in=Organisation.COUNCIL_KINDS).count() == 32 + 3  # districts + counties
    assert partners.filter(name="Tonbridge and Malling Borough Council").exists()
    assert partners.filter(name__endswith="(demo)").count() == 1
    assert not partners.filter(name="Surrey County Council").exists()

    surrey = Organisation.objects.get(name="Surrey County Council")
    assert set(surrey.partner_strategies.values_list("slug", flat=True)) == {"enterprise-m3", "coast-to-capital"}
    assert Strategy.objects.get(slug="thames-valley-berkshire").partners.get().name == "Bracknell Forest Council"
    for slug in ("thames-valley-berkshire", "enterprise-m3", "coast-to-capital"):
        strategy = Strategy.objects.get(slug=slug)
        assert strategy.lead.kind == Organisation.Kind.LEP
        assert "Guide for Councillors" in strategy.source
        assert not strategy.phases.exists()
    fictitious = Organisation.objects.exclude(kind__in=Organisation.COUNCIL_KINDS).filter(note__icontains="fictitious")
    assert all("(demo)" in o.name for o in fictitious)


@pytest.mark.parametrize(
    "moment", [datetime(2025, 3, 1, 12, tzinfo=UTC), datetime(2031, 7, 15, 12, tzinfo=UTC)], ids=str
)
def test_today_falls_three_weeks_into_drafting(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        load()
        today = timezone.localdate()
    phases = selep_phases()
    assert [p.stage for p in phases] == [choice.value for choice in Phase.Stage]
    current = next(p for p in phases if p.actual_start and not p.actual_end)
    assert current.stage == Phase.Stage.DRAFTING
    assert phase_current(phases=phases) == current
    assert current.planned_start <= today <= current.planned_end
    assert today - current.planned_start == date(2019, 10, 21) - date(2019, 10, 1)
    assert current.original_dates == "October – November 2019"
    scoping, evidence = phases[0], phases[1]
    assert scoping.actual_end is not None and evidence.actual_end is not None
    assert all(p.actual_start is None for p in phases[3:])
    assert "June 2019 – March 2020" in current.strategy.schedule_note


def test_reloading_on_another_day_moves_the_schedule() -> None:
    with time_machine.travel(datetime(2025, 3, 1, 12, tzinfo=UTC), tick=False):
        load()
    before = counts()
    with time_machine.travel(datetime(2025, 3, 11, 12, tzinfo=UTC), tick=False):
        load()
    assert counts() == before
    drafting = Phase.objects.get(strategy__slug="south-east", stage=Phase.Stage.DRAFTING)
    assert drafting.planned_start == date(2025, 3, 11) - timedelta(days=20)


def test_milestones_follow_the_replay() -> None:
    load()
    milestones = Milestone.objects.filter(phase__strategy__slug="south-east")
    assert milestones.count() == 22
    assert all(m.completed_on is not None for m in milestones.filter(status=Milestone.Status.DONE))
    assert not milestones.filter(phase__stage__in=["scoping", "evidence"]).exclude(status="done").exists()
    drafting = list(milestones.filter(phase__stage="drafting").order_by("order"))
    assert [m.status for m in drafting] == ["done", "at_risk", "in_progress", "not_started"]
    today = timezone.localdate()
    overdue, soon = drafting[2].due_date, drafting[3].due_date
    assert overdue is not None and overdue < today
    assert soon is not None and today < soon <= today + timedelta(days=7)
    assert drafting[0].title.endswith("(4th October)") and drafting[0].is_key
    assert all(m.owner and m.owner.email == "officer@example.org" for m in drafting)
    assert all(m.lead_organisation and m.lead_organisation.name == "South East LEP" for m in drafting)
    assert set(milestones.values_list("source", flat=True)) == {demo.SELEP_PAGE}
    assert milestones.filter(is_key=True).count() == 4


def test_boards_and_people() -> None:
    load()
    boards = Board.objects.filter(strategy__slug="south-east")
    assert boards.filter(kind=Board.Kind.STRATEGIC).get().name == "Strategic Board"
    assert boards.filter(kind=Board.Kind.FEDERATED, organisation__kind=Organisation.Kind.FEDERATED_AREA).count() == 4
    board_member = User.objects.get(email="board@example.org")
    assert set(BoardMembership.objects.filter(user=board_member).values_list("board__name", flat=True)) == {
        "Strategic Board",
        "Kent and Medway Economic Partnership Board",
    }
    south_east = Strategy.objects.get(slug="south-east")
    assert strategy_roles(User.objects.get(email="councillor@example.org"), south_east) == {Role.COUNCILLOR}
    assert strategy_roles(User.objects.get(email="officer@example.org"), south_east) == {Role.OFFICER}
    assert strategy_roles(User.objects.get(email="partner@example.org"), south_east) == {Role.PARTNER}
    admin = User.objects.get(email="admin@example.org")
    assert admin.is_staff and admin.is_superuser
    assert Membership.objects.filter(user__email__in=EMAILS).count() == 3


def _signs_in(email: str, password: str) -> bool:
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=email, password=password) is not None


def test_each_account_signs_in_with_demo_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", "replayed-2019-schedule")
    output = load()
    assert "replayed-2019-schedule" in output
    for email in EMAILS:
        assert email in output
        assert _signs_in(email, "replayed-2019-schedule")
        assert not _signs_in(email, "not-the-password")


def test_without_demo_password_one_is_generated_and_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    output = load()
    match = re.search(r"password: (\S+)", output)
    assert match, output
    password = match.group(1)
    assert len(password) >= 12
    assert all(_signs_in(email, password) for email in EMAILS)


def test_missing_data_is_a_clear_error(settings: Any, tmp_path: Any) -> None:
    settings.SHARED_DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="SHARED_DATA_DIR"):
        load()
    assert not Area.objects.exists()
