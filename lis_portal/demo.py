"""The demo data set behind `python manage.py loaddemo`, as plain functions.

Every fact comes from the two seed documents (../shared/seeds) or the public data extracts
(settings.SHARED_DATA_DIR); each record says where its facts come from (Organisation.note,
Strategy.source, Milestone.source). What the data does not hold — which districts each federated
area covers, how councils are named, the demo partner, the demo people — is the portal's own
choice, recorded in docs/demo-data.md.

Loading is idempotent: every record is found by its natural key (an area's code and vintage, an
organisation's or strategy's slug, a person's email, a board's name in its strategy, a phase's
stage, a milestone's title in its phase) and brought to its demo state, so a second run changes
nothing but the demo password's hash.
"""

from __future__ import annotations

import calendar
import csv
import os
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import Area, Membership, Organisation, Role, Strategy, User
from timeline.deadlines import minutes_deadline, papers_deadline
from timeline.models import AgendaItem, Board, BoardMembership, Decision, Meeting, Milestone, Phase

# --- Sources -------------------------------------------------------------------------------

LEP_LOOKUP_CSV = "lad19_to_lep17_lookup_england.csv"
NUTS_LOOKUP_CSV = "lad18_to_lau1_nuts3_nuts2_nuts1_uk.csv"
POPULATION_CSV = "population_census2011_2021_lad_england.csv"
BUSINESS_DEMOGRAPHY_CSV = "business_demography_lad_england_2019_2024.csv"

SELEP_PAGE = "South East LEP, Development of the South East LEP Local Industrial Strategy (web page)"
GUIDE = "SEEC, Engaging with Local Industrial Strategies: A Guide for Councillors (2018)"
LEP_LOOKUP_SOURCE = (
    "ONS Lower Layer Super Output Area (2011) to Local Enterprise Partnership (April 2017) Lookup in England, "
    f"joined to districts ({LEP_LOOKUP_CSV}: LAD19CD, LAD19NM, LEP17CD1/LEP17NM1, LEP17CD2/LEP17NM2)"
)
NUTS_LOOKUP_SOURCE = (
    "ONS LAD (Dec 2018) to NUTS3 to NUTS2 to NUTS1 (Jan 2018) Lookup in UK "
    f"({NUTS_LOOKUP_CSV}: NUTS318CD/NM, NUTS218CD/NM)"
)
COUNTY_SOURCE = (
    f"county code and name from ONS Business demography ({BUSINESS_DEMOGRAPHY_CSV}: areacd, areanm, "
    f"geography “County or Unitary Authority”); its districts from {POPULATION_CSV} (LAD, COUNTY)"
)
PORTAL_NAMING = (
    "Name: the portal's convention “<district> Council”; the data names the district, not the council's "
    "legal name (docs/demo-data.md)."
)

# --- The demo's scope -------------------------------------------------------------------------

SELEP = "E37000030"
THAMES_VALLEY_BERKSHIRE = "E37000035"
ENTERPRISE_M3 = "E37000010"
COAST_TO_CAPITAL = "E37000004"
LEP_CODES: tuple[str, ...] = (SELEP, THAMES_VALLEY_BERKSHIRE, ENTERPRISE_M3, COAST_TO_CAPITAL)

LEP_VINTAGE = "2017"  # LEP17 codes (lad19_to_lep17_lookup_england.csv)
DISTRICT_VINTAGE = "2019"  # LAD19 codes
NUTS_VINTAGE = "2018"  # NUTS 2018 codes
COUNTY_VINTAGE = ""  # the business demography file states no boundary year for its county codes

DISTRICT_KIND_BY_PREFIX: dict[str, str] = {
    "E06": Area.Kind.UNITARY,
    "E07": Area.Kind.DISTRICT,
    "E08": Area.Kind.DISTRICT,
    "E09": Area.Kind.DISTRICT,
}

# Councils the seed documents name, by the area code they govern (otherwise the naming convention).
SEED_COUNCIL_NAMES: dict[str, tuple[str, str]] = {
    "E07000115": (
        "Tonbridge and Malling Borough Council",
        f"{GUIDE}, Appendix 1, case study “Tonbridge and Malling”: “Tonbridge and Malling Borough Council "
        "have a direct relationship with Kent and Medway Economic Partnership (KMEP)”.",
    ),
    "E06000036": (
        "Bracknell Forest Council",
        f"{GUIDE}, Appendix 1, case study “Bracknell Forest”: “Bracknell Forest Council as part of its wider "
        "partnership with the Thames Valley Berkshire LEP”.",
    ),
    "E10000030": (
        "Surrey County Council",
        f"{GUIDE}, Appendix 1, case study “Surrey”: “Surrey County Council has relationships with both "
        "Enterprise M3 and Coast to Capital as each LEP covers part of the county area”.",
    ),
}

# The federated areas of SELEP. The seed guide says SELEP has four and names KMEP; the other three
# names and every district mapping below are the portal's assumption (docs/demo-data.md).
KMEP = "Kent and Medway Economic Partnership"
OPPORTUNITY_SOUTH_ESSEX = "Opportunity South Essex"
SUCCESS_ESSEX = "Success Essex"
TEAM_EAST_SUSSEX = "Team East Sussex"
OPPORTUNITY_SOUTH_ESSEX_DISTRICTS = frozenset({"E07000066", "E07000069", "E07000075", "E06000033", "E06000034"})
MEDWAY = "E06000035"
# Federated areas whose assumed districts make up exactly one region of the NUTS lookup.
FEDERATED_AREA_REGION = {KMEP: "UKJ4", TEAM_EAST_SUSSEX: "UKJ22"}

DEMO_PARTNER = "Example Business Group (demo)"
SEEC = "South East England Councils"

# --- The replayed schedule ------------------------------------------------------------------

# The day of the original 2019–20 schedule that the demo's "today" stands for: three weeks into
# drafting (planned October – November 2019).
REPLAY_TODAY = date(2019, 10, 21)
ORIGINAL_SPAN = "June 2019 – March 2020"


@dataclass(frozen=True)
class PhaseSpec:
    stage: str
    original_dates: str  # the page's words, whitespace tidied
    first_month: tuple[int, int]
    last_month: tuple[int, int]
    tasks: tuple[str, ...]  # the page's bullets, verbatim


SELEP_PHASES: tuple[PhaseSpec, ...] = (
    PhaseSpec(
        Phase.Stage.SCOPING,
        "June- July 2019",
        (2019, 6),
        (2019, 7),
        (
            "Agree approach to the LIS development",
            "Reviewing existing evidence and building a narrative that identifies gaps and details areas of "
            "strength, challenge and opportunity",
            "Consultation with partners and stakeholders to inform the approach and process",
            "Develop a communications & engagement plan for the LIS development",
        ),
    ),
    PhaseSpec(
        Phase.Stage.EVIDENCE,
        "August – September 2019",
        (2019, 8),
        (2019, 9),
        (
            "Consultation with partners and stakeholders around the evidence base narrative to test and debate "
            "its findings and agree emerging propositions",
            "Agreement of evidence base and emerging propositions",
            "Commissioning of further ‘deep dive’ work, if required, to help further explore an area or help to "
            "develop propositions",
            "Productivity Foundation/ Grand Challenge workshops with partners and stakeholders to further refine "
            "the propositions",
            "Start to identify how evaluation will be undertaken and embedded",
            "Liaison with Government departments regarding evidence propositions",
            "Progress and structure agreed through Federated (September)",
        ),
    ),
    PhaseSpec(
        Phase.Stage.DRAFTING,
        "October – November 2019",
        (2019, 10),
        (2019, 11),
        (
            "Progress, structure and process for finalisation agreed through Strategic Board (4th October)",
            "Drafting and designing of the strategy document",
            "Wider consultation to inform the development of the draft strategy",
            "Sharing of the draft with partners and stakeholders for review",
        ),
    ),
    PhaseSpec(
        Phase.Stage.SIGN_OFF,
        "November – December 2019",
        (2019, 11),
        (2019, 12),
        (
            "Final draft to go to Federated Boards",
            "Final draft to be agreed by Strategic Board",
            "Finalising of the LIS Strategy document and accompanying documents",
        ),
    ),
    PhaseSpec(
        Phase.Stage.CO_DESIGN,
        "December 2019",
        (2019, 12),
        (2019, 12),
        ("Enter into negotiation with government (on emerging priorities)",),
    ),
    PhaseSpec(
        Phase.Stage.IMPLEMENTATION,
        "January – March 2020",
        (2020, 1),
        (2020, 3),
        (
            "Government discussions and negotiation to secure agreement of the LIS",
            "Development of an implementation plan to deliver",
            "Full publication and launch of the South East Local Industrial Strategy",
        ),
    ),
)

# The board agreements: key milestones.
KEY_TASKS = frozenset(
    {
        "Progress and structure agreed through Federated (September)",
        "Progress, structure and process for finalisation agreed through Strategic Board (4th October)",
        "Final draft to go to Federated Boards",
        "Final draft to be agreed by Strategic Board",
    }
)
# Tasks whose text names their own day; the rest fall due at their phase's planned end.
TASK_DATES: dict[str, date] = {
    "Progress, structure and process for finalisation agreed through Strategic Board (4th October)": date(2019, 10, 4),
}

# --- People ---------------------------------------------------------------------------------

PASSWORD_ENV = "DEMO_PASSWORD"  # noqa: S105 - the name of the variable, not a password
COUNCILLOR_EMAIL = "councillor@example.org"
OFFICER_EMAIL = "officer@example.org"
BOARD_EMAIL = "board@example.org"
PARTNER_EMAIL = "partner@example.org"
ADMIN_EMAIL = "admin@example.org"
# Readable: no 0/O, 1/l/I, 2/Z, 5/S look-alikes.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789"  # noqa: S105


class DemoDataError(Exception):
    """The shared data the demo reads is missing or not what it expects."""


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    access: str


@dataclass
class DemoResult:
    today: date
    shift: timedelta
    password: str
    password_generated: bool
    counts: dict[str, int] = field(default_factory=dict)
    breakdown: dict[str, Counter[str]] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)


# --- Helpers --------------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of one shared data file (UTF-8, with or without a byte-order mark)."""
    path = Path(settings.SHARED_DATA_DIR) / name
    if not path.is_file():
        raise DemoDataError(
            f"The demo reads {name} from SHARED_DATA_DIR ({settings.SHARED_DATA_DIR}), and it is not there. "
            "Set SHARED_DATA_DIR to the folder of the shared data extracts."
        )
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the row by its natural key (or start one), set `values`, validate it, save it."""
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def month_start(year_month: tuple[int, int]) -> date:
    return date(year_month[0], year_month[1], 1)


def month_end(year_month: tuple[int, int]) -> date:
    year, month = year_month
    return date(year, month, calendar.monthrange(year, month)[1])


def replay_shift(today: date) -> timedelta:
    """How far the 2019–20 schedule moves so that `today` stands for REPLAY_TODAY (whole days)."""
    return today - REPLAY_TODAY


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD from the environment, or a new readable one; and whether it was generated."""
    password = os.environ.get(PASSWORD_ENV, "").strip()
    if password:
        return password, False
    chars = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}", True


def _join(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


# --- Areas ----------------------------------------------------------------------------------


@dataclass
class Geography:
    leps: dict[str, Area]  # by code
    districts: dict[str, Area]  # every district and unitary authority of the four LEPs, by code
    district_leps: dict[str, list[str]]  # district code -> its LEP codes among the four
    counties: dict[str, Area]  # by county name
    district_county: dict[str, str]  # district code -> county name
    regions: dict[str, Area]  # NUTS3 and NUTS2, by code

    def lep_districts(self, lep_code: str) -> list[Area]:
        return [self.districts[code] for code, leps in self.district_leps.items() if lep_code in leps]


def load_areas() -> Geography:
    """LEP areas, their districts and unitaries, the counties and (for SELEP) the NUTS regions."""
    lookup = read_csv(LEP_LOOKUP_CSV)
    lep_names: dict[str, str] = {}
    district_rows: dict[str, dict[str, str]] = {}
    district_leps: dict[str, list[str]] = {}
    for row in lookup:
        row_leps = [code for code in (row["LEP17CD1"], row["LEP17CD2"]) if code in LEP_CODES]
        for number in ("1", "2"):
            if row[f"LEP17CD{number}"] in LEP_CODES:
                lep_names[row[f"LEP17CD{number}"]] = row[f"LEP17NM{number}"]
        if row_leps:
            district_rows[row["LAD19CD"]] = row
            district_leps[row["LAD19CD"]] = row_leps
    missing = [code for code in LEP_CODES if code not in lep_names]
    if missing:
        raise DemoDataError(f"{LEP_LOOKUP_CSV} has no districts for LEP {', '.join(missing)}.")

    leps = {
        code: upsert(
            Area, {"code": code, "vintage": LEP_VINTAGE}, {"name": lep_names[code], "kind": Area.Kind.LEP_AREA}
        )
        for code in LEP_CODES
    }

    # Counties: their GSS codes from business demography, their districts from the census file.
    county_codes = {
        row["areanm"]: row["areacd"]
        for row in read_csv(BUSINESS_DEMOGRAPHY_CSV)
        if row["areacd"].startswith("E10") and row["geography"] == "County or Unitary Authority"
    }
    district_county = {
        row["LAD"]: row["COUNTY"]
        for row in read_csv(POPULATION_CSV)
        if row["LAD"] in district_rows and row["COUNTY"] in county_codes
    }
    counties = {
        name: upsert(
            Area, {"code": county_codes[name], "vintage": COUNTY_VINTAGE}, {"name": name, "kind": Area.Kind.COUNTY}
        )
        for name in sorted(set(district_county.values()))
    }

    # NUTS 2018 regions of the SELEP districts.
    selep_codes = {code for code, lep_codes in district_leps.items() if SELEP in lep_codes}
    nuts_rows = {row["LAD18CD"]: row for row in read_csv(NUTS_LOOKUP_CSV) if row["LAD18CD"] in selep_codes}
    if set(nuts_rows) != selep_codes:
        raise DemoDataError(
            f"{NUTS_LOOKUP_CSV} lacks SELEP districts {', '.join(sorted(selep_codes - set(nuts_rows)))}."
        )
    regions: dict[str, Area] = {}
    nuts3_parent: dict[str, str] = {}
    for row in nuts_rows.values():
        for level in ("NUTS2", "NUTS3"):
            code = row[f"{level}18CD"]
            if code not in regions:
                regions[code] = upsert(
                    Area,
                    {"code": code, "vintage": NUTS_VINTAGE},
                    {"name": row[f"{level}18NM"], "kind": Area.Kind.ITL_REGION},
                )
        nuts3_parent[row["NUTS318CD"]] = row["NUTS218CD"]
    for nuts3, nuts2 in nuts3_parent.items():
        regions[nuts3].parents.set([regions[nuts2]])

    districts: dict[str, Area] = {}
    for code, row in sorted(district_rows.items()):
        kind = DISTRICT_KIND_BY_PREFIX.get(code[:3])
        if kind is None:
            raise DemoDataError(f"{LEP_LOOKUP_CSV}: {code} is neither a district nor a unitary authority code.")
        area = upsert(Area, {"code": code, "vintage": DISTRICT_VINTAGE}, {"name": row["LAD19NM"], "kind": kind})
        parents = [leps[lep] for lep in district_leps[code]]
        if code in district_county:
            parents.append(counties[district_county[code]])
        if code in nuts_rows:
            parents.append(regions[nuts_rows[code]["NUTS318CD"]])
        area.parents.set(parents)
        districts[code] = area
    return Geography(leps, districts, district_leps, counties, district_county, regions)


# --- Organisations --------------------------------------------------------------------------


@dataclass
class Organisations:
    leps: dict[str, Organisation]  # by LEP code
    federated: dict[str, Organisation]  # by name
    councils: dict[str, Organisation]  # by the code of the area they govern
    selep_councils: list[Organisation]  # the councils of SELEP's districts and counties
    seec: Organisation
    demo_partner: Organisation

    def all(self) -> list[Organisation]:
        return [*self.leps.values(), *self.federated.values(), *self.councils.values(), self.seec, self.demo_partner]


def _organisation(name: str, kind: str, area: Area | None, note: str, website: str = "") -> Organisation:
    return upsert(
        Organisation,
        {"slug": slugify(name)},
        {"name": name, "kind": kind, "area": area, "note": note, "website": website},
    )


def federated_area_districts(geo: Geography) -> dict[str, list[Area]]:
    """The portal's assumed mapping of SELEP's four federated areas to its 32 districts."""
    selep = geo.lep_districts(SELEP)
    county = geo.district_county
    mapping = {
        KMEP: [a for a in selep if county.get(a.code) == "Kent" or a.code == MEDWAY],
        OPPORTUNITY_SOUTH_ESSEX: [a for a in selep if a.code in OPPORTUNITY_SOUTH_ESSEX_DISTRICTS],
        SUCCESS_ESSEX: [
            a for a in selep if county.get(a.code) == "Essex" and a.code not in OPPORTUNITY_SOUTH_ESSEX_DISTRICTS
        ],
        TEAM_EAST_SUSSEX: [a for a in selep if county.get(a.code) == "East Sussex"],
    }
    assigned = [a.code for areas in mapping.values() for a in areas]
    if sorted(assigned) != sorted(a.code for a in selep):
        raise DemoDataError("The federated areas do not cover each SELEP district exactly once.")
    return mapping


def load_organisations(geo: Geography) -> Organisations:
    leps: dict[str, Organisation] = {}
    for code, area in geo.leps.items():
        note = f"LEP area {code} “{area.name}” from {LEP_LOOKUP_SOURCE}. Name: the portal's “<LEP area> LEP”."
        website = ""
        if code == SELEP:
            note = (
                f"Named “South East LEP” by {SELEP_PAGE}; LEP area {code} “{area.name}” from {LEP_LOOKUP_SOURCE}. "
                "Website: the domain of the page's contact address (hello@southeastlep.com)."
            )
            website = "https://www.southeastlep.com/"
        elif code == THAMES_VALLEY_BERKSHIRE:
            note += f" The name matches {GUIDE}, case study “Bracknell Forest” (“Thames Valley Berkshire LEP”)."
        else:
            note += f" {GUIDE}, case study “Surrey”, calls it “{area.name}”, one of Surrey's two LEPs."
        leps[code] = _organisation(f"{area.name} LEP", Organisation.Kind.LEP, area, note, website)

    federated: dict[str, Organisation] = {}
    for name, areas in federated_area_districts(geo).items():
        basis = (
            f"{GUIDE}, case study “Tonbridge and Malling”, names it: “Kent and Medway Economic Partnership (KMEP) "
            "which features as one of four federated areas of the large South East Local Enterprise Partnership "
            "(SELEP)”."
            if name == KMEP
            else f"{GUIDE} says SELEP has four federated areas but names only KMEP; this name is the portal's "
            "(docs/demo-data.md)."
        )
        region_code = FEDERATED_AREA_REGION.get(name)
        region = geo.regions[region_code] if region_code else None
        covers = _join([a.name for a in sorted(areas, key=lambda a: a.name)])
        note = f"{basis} Districts it covers (the portal's assumption, not in the data): {covers}."
        if region is not None:
            note += f" Area: NUTS 2018 {region.code} “{region.name}”, which holds exactly those districts."
        federated[name] = _organisation(name, Organisation.Kind.FEDERATED_AREA, region, note)

    councils: dict[str, Organisation] = {}
    selep_councils: list[Organisation] = []
    selep_districts = geo.lep_districts(SELEP)
    selep_counties = sorted({geo.district_county[a.code] for a in selep_districts if a.code in geo.district_county})
    for county_name in [*selep_counties, "Surrey"]:
        area = geo.counties[county_name]
        name, note = SEED_COUNCIL_NAMES.get(
            area.code,
            (f"{county_name} County Council", "Name: the portal's convention “<county> County Council”."),
        )
        councils[area.code] = _organisation(
            name, Organisation.Kind.COUNTY_COUNCIL, area, f"{note} County {area.code}: {COUNTY_SOURCE}."
        )
        if county_name in selep_counties:
            selep_councils.append(councils[area.code])
    for area in [*selep_districts, geo.districts["E06000036"]]:
        unitary = area.kind == Area.Kind.UNITARY
        kind = Organisation.Kind.UNITARY_COUNCIL if unitary else Organisation.Kind.DISTRICT_COUNCIL
        name, note = SEED_COUNCIL_NAMES.get(area.code, (f"{area.name} Council", PORTAL_NAMING))
        note += f" {area.get_kind_display()} {area.code} “{area.name}” and its LEP(s) from {LEP_LOOKUP_SOURCE}."
        councils[area.code] = _organisation(name, kind, area, note)
        if area in selep_districts:
            selep_councils.append(councils[area.code])

    seec = _organisation(
        SEEC,
        Organisation.Kind.COUNCILS_ASSOCIATION,
        None,
        f"{GUIDE}: “This guide was prepared by Shared Intelligence for South East England Councils in spring 2018”; "
        "website from the guide's footnotes (secouncils.gov.uk).",
        "http://www.secouncils.gov.uk/",
    )
    demo_partner = _organisation(
        DEMO_PARTNER,
        Organisation.Kind.BUSINESS_GROUP,
        None,
        "Fictitious: made up for the demo, not a real body. It stands for the businesses the LEP works with "
        f"(“led by the LEP but working with businesses, colleges, universities and local councils”, {SELEP_PAGE}).",
    )
    return Organisations(leps, federated, councils, selep_councils, seec, demo_partner)


# --- Strategies -----------------------------------------------------------------------------

SOUTH_EAST_SUMMARY = (
    "In 2018, following the publication of the national Industrial Strategy in 2017, Government mandated that "
    "every LEP should produce a Local Industrial Strategy (LIS). The South East LEP's LIS is led by the LEP, "
    "working with businesses, colleges, universities and local councils; it must tackle the fundamentals of the "
    "local economy across the five foundations of productivity and cite how its priorities and actions can "
    "support the grand challenges. All LEPs in England have a target of completing and agreeing their strategy "
    "with Government by March 2020."
)
SOUTH_EAST_AIMS = (
    "To increase productivity and realise potential\n"
    "To allow all communities to contribute to and benefit from economic prosperity"
)
SURREY_SUMMARY = (
    "Surrey County Council has relationships with both Enterprise M3 and Coast to Capital as each LEP covers part "
    "of the county area. For Surrey, the LIS will be the area's ask of government: it needs to pick up housing "
    "and planning agendas and give greater definition to strategic and higher-level planning. Issues considered "
    "important to Surrey and its LEP partners are the risk of automation, Brexit and the international context, "
    "and engaging with a large SME base of local businesses to ensure input and buy-in."
)
LIGHT_STRATEGIES: tuple[tuple[str, str, str, str], ...] = (
    # slug, LEP code, the council the case study names, summary from the case study
    (
        "thames-valley-berkshire",
        THAMES_VALLEY_BERKSHIRE,
        "E06000036",
        "Bracknell Forest Council works with the Thames Valley Berkshire LEP under sound governance arrangements: "
        "councils in the LEP area are represented collectively by one leader and one chief executive on the LEP "
        "Board, each council has its own representation on the wider LEP Forum, and the Forum and the Board meet "
        "jointly once a year. The really important issues for the area are Brexit (a high concentration of "
        "foreign owned businesses) and Heathrow. The move to a LIS would be accommodated through the on-going "
        "process for reviewing the Strategic Economic Plan (SEP).",
    ),
    ("enterprise-m3", ENTERPRISE_M3, "E10000030", SURREY_SUMMARY),
    ("coast-to-capital", COAST_TO_CAPITAL, "E10000030", SURREY_SUMMARY),
)
CASE_STUDY = {"E06000036": "Bracknell Forest", "E10000030": "Surrey"}


def load_strategies(geo: Geography, orgs: Organisations, *, schedule_note: str) -> dict[str, Strategy]:
    south_east = upsert(
        Strategy,
        {"slug": "south-east"},
        {
            "name": "South East Local Industrial Strategy",
            "lead": orgs.leps[SELEP],
            "area": geo.leps[SELEP],
            "summary": SOUTH_EAST_SUMMARY,
            "aims": SOUTH_EAST_AIMS,
            "schedule_note": schedule_note,
            "source": (
                f"{SELEP_PAGE}: the summary, the two core aims and the six phases with their tasks and dates. "
                f"Areas: ONS lookups of districts to LEPs (April 2017) and to NUTS regions (2018). Councils, "
                "federated areas and the demo partner: see each organisation's note."
            ),
            "is_published": True,
        },
    )
    south_east.partners.set(
        [
            *orgs.federated.values(),
            *orgs.selep_councils,
            orgs.demo_partner,
        ]
    )
    strategies = {"south-east": south_east}
    for slug, lep_code, council_code, summary in LIGHT_STRATEGIES:
        area = geo.leps[lep_code]
        strategy = upsert(
            Strategy,
            {"slug": slug},
            {
                "name": f"{area.name} Local Industrial Strategy",
                "lead": orgs.leps[lep_code],
                "area": area,
                "summary": summary,
                "aims": "",
                "schedule_note": "",
                "source": (
                    f"{GUIDE}, Appendix 1, case study “{CASE_STUDY[council_code]}”. LEP area {area.code}: ONS "
                    "lookup of districts to LEPs (April 2017). The guide gives no schedule, so no phases are shown."
                ),
                "is_published": True,
            },
        )
        strategy.partners.set([orgs.councils[council_code]])
        strategies[slug] = strategy
    return strategies


# --- Boards, phases, milestones -------------------------------------------------------------


def load_boards(strategy: Strategy, orgs: Organisations) -> dict[str, Board]:
    boards = {
        "Strategic Board": upsert(
            Board,
            {"strategy": strategy, "name": "Strategic Board"},
            {"kind": Board.Kind.STRATEGIC, "organisation": None},
        )
    }
    for name, organisation in orgs.federated.items():
        boards[f"{name} Board"] = upsert(
            Board,
            {"strategy": strategy, "name": f"{name} Board"},
            {"kind": Board.Kind.FEDERATED, "organisation": organisation},
        )
    return boards


def load_schedule(
    strategy: Strategy, *, strategic_board: Board, shift: timedelta, officer: User, lead: Organisation
) -> tuple[list[Phase], list[Milestone]]:
    """The six phases replayed `shift` days later; scoping and evidence done, drafting under way."""
    phases: list[Phase] = []
    milestones: list[Milestone] = []
    for order, spec in enumerate(SELEP_PHASES, start=1):
        start, end = month_start(spec.first_month), month_end(spec.last_month)
        started, ended = start <= REPLAY_TODAY, end < REPLAY_TODAY
        phase = upsert(
            Phase,
            {"strategy": strategy, "stage": spec.stage},
            {
                "order": order,
                "name": Phase.Stage(spec.stage).label,
                "planned_start": start + shift,
                "planned_end": end + shift,
                "actual_start": start + shift if started else None,
                "actual_end": end + shift if ended else None,
                "closing_board": strategic_board,
                "original_dates": spec.original_dates,
            },
        )
        phases.append(phase)
        in_progress_given = False
        for number, title in enumerate(spec.tasks, start=1):
            due = TASK_DATES.get(title, end)
            if ended or (started and due <= REPLAY_TODAY):
                status, completed = Milestone.Status.DONE, due + shift
            elif started and not in_progress_given:
                status, completed, in_progress_given = Milestone.Status.IN_PROGRESS, None, True
            else:
                status, completed = Milestone.Status.NOT_STARTED, None
            drafting = spec.stage == Phase.Stage.DRAFTING
            milestones.append(
                upsert(
                    Milestone,
                    {"phase": phase, "title": title},
                    {
                        "order": number,
                        "status": status,
                        "due_date": due + shift,
                        "completed_on": completed,
                        "owner": officer if drafting else None,
                        "lead_organisation": lead if drafting else None,
                        "is_key": title in KEY_TASKS,
                        "source": SELEP_PAGE,
                    },
                )
            )
    return phases, milestones


def schedule_note(today: date, shift: timedelta) -> str:
    replayed = f"{REPLAY_TODAY.day} {REPLAY_TODAY:%B %Y}"
    return (
        f"A replay: the demo shows the South East LEP's 2019–20 schedule moved {shift.days:,} days later, so that "
        f"today ({today.day} {today:%B %Y}) stands for {replayed}, three weeks into drafting. The original "
        f"schedule ran from {ORIGINAL_SPAN}; each phase shows its dates as first published."
    )


# --- People ---------------------------------------------------------------------------------


def load_people(
    *, password: str, orgs: Organisations, boards: dict[str, Board]
) -> tuple[dict[str, User], list[Membership], list[BoardMembership], list[DemoAccount]]:
    hashed = make_password(password)  # hashed once, for speed: the five accounts share the demo password
    specs = [
        (COUNCILLOR_EMAIL, "Demo Councillor", False),
        (OFFICER_EMAIL, "Demo Officer", False),
        (BOARD_EMAIL, "Demo Board Member", False),
        (PARTNER_EMAIL, "Demo Partner", False),
        (ADMIN_EMAIL, "Demo Administrator", True),
    ]
    users = {
        email: upsert(
            User,
            {"email": email},
            {"name": name, "is_staff": admin, "is_superuser": admin, "is_active": True, "password": hashed},
        )
        for email, name, admin in specs
    }
    council = orgs.councils["E07000115"]  # Tonbridge and Malling Borough Council
    lep = orgs.leps[SELEP]
    memberships = [
        upsert(Membership, {"user": users[COUNCILLOR_EMAIL], "organisation": council}, {"role": Role.COUNCILLOR}),
        upsert(Membership, {"user": users[OFFICER_EMAIL], "organisation": lep}, {"role": Role.OFFICER}),
        upsert(Membership, {"user": users[PARTNER_EMAIL], "organisation": orgs.demo_partner}, {"role": Role.PARTNER}),
    ]
    board_names = ["Strategic Board", f"{KMEP} Board"]
    board_memberships = [
        upsert(
            BoardMembership, {"board": boards[name], "user": users[BOARD_EMAIL]}, {"role": BoardMembership.Role.MEMBER}
        )
        for name in board_names
    ]
    accounts = [
        DemoAccount(COUNCILLOR_EMAIL, "Demo Councillor", f"councillor, {council.name}"),
        DemoAccount(OFFICER_EMAIL, "Demo Officer", f"LEP officer, {lep.name}"),
        DemoAccount(BOARD_EMAIL, "Demo Board Member", f"board member: {' and '.join(board_names)}"),
        DemoAccount(PARTNER_EMAIL, "Demo Partner", f"partner, {orgs.demo_partner.name}"),
        DemoAccount(ADMIN_EMAIL, "Demo Administrator", "administrator (staff and superuser, Django admin)"),
    ]
    return users, memberships, board_memberships, accounts


# --- The whole demo -------------------------------------------------------------------------


@transaction.atomic
def load_demo(*, password: str, password_generated: bool = False, today: date | None = None) -> DemoResult:
    """Load (or bring back to its demo state) the whole demo; `today` defaults to the portal's local date."""
    today = today or timezone.localdate()
    shift = replay_shift(today)
    geo = load_areas()
    orgs = load_organisations(geo)
    strategies = load_strategies(geo, orgs, schedule_note=schedule_note(today, shift))
    south_east = strategies["south-east"]
    boards = load_boards(south_east, orgs)
    users, memberships, board_memberships, accounts = load_people(password=password, orgs=orgs, boards=boards)
    phases, milestones = load_schedule(
        south_east,
        strategic_board=boards["Strategic Board"],
        shift=shift,
        officer=users[OFFICER_EMAIL],
        lead=orgs.leps[SELEP],
    )
    meetings = load_meetings(
        strategic_board=boards["Strategic Board"], shift=shift, milestones=milestones, officer=users[OFFICER_EMAIL]
    )
    areas = [*geo.leps.values(), *geo.counties.values(), *geo.regions.values(), *geo.districts.values()]
    organisations = orgs.all()
    evidence_counts = load_evidence_demo(south_east, officer=users[OFFICER_EMAIL])
    engagement_counts = load_engagement_demo(south_east, phases=phases, officer=users[OFFICER_EMAIL])
    return DemoResult(
        today=today,
        shift=shift,
        password=password,
        password_generated=password_generated,
        counts={
            "Areas": len(areas),
            "Organisations": len(organisations),
            "Strategies": len(strategies),
            "Boards": len(boards),
            "Phases": len(phases),
            "Milestones": len(milestones),
            "People": len(users),
            "Memberships": len(memberships),
            "Board memberships": len(board_memberships),
            "Meetings": len(meetings),
            **evidence_counts,
            **engagement_counts,
        },
        breakdown={
            "Areas": Counter(str(a.get_kind_display()) for a in areas),
            "Organisations": Counter(str(o.get_kind_display()) for o in organisations),
            "Milestones": Counter(str(m.get_status_display()) for m in milestones),
        },
        accounts=accounts,
    )


# --- Board meetings (timeline app) ------------------------------------------------------------------

STRATEGIC_BOARD_MEETING = "Strategic Board: progress, structure and process for finalisation"
STRATEGIC_BOARD_DAY = date(2019, 10, 4)  # "agreed through Strategic Board (4th October)", SELEP page
STRATEGIC_BOARD_DECISION = "Progress, structure and process for finalisation of the LIS agreed."
MEETING_NOTE = (
    "Demo: the SELEP page gives this meeting's day (4 October 2019) and what it agreed. The time, and "
    "the papers and minutes published on their deadlines, are the demo's own."
)


def load_meetings(
    *, strategic_board: Board, shift: timedelta, milestones: list[Milestone], officer: User
) -> list[Meeting]:
    """The one board meeting the seeds date: the Strategic Board of 4 October 2019, replayed, with
    the decision the SELEP page records."""
    day = STRATEGIC_BOARD_DAY + shift
    starts_at = timezone.make_aware(datetime.combine(day, time(10, 0)))
    meeting = upsert(
        Meeting,
        {"board": strategic_board, "title": STRATEGIC_BOARD_MEETING},
        {
            "starts_at": starts_at,
            "location": "",
            "status": Meeting.Status.MINUTES_PUBLISHED,
            "papers_published_on": papers_deadline(day).day,
            "minutes_published_on": minutes_deadline(day).day,
            "notes": MEETING_NOTE,
        },
    )
    agreed = next(m for m in milestones if "4th October" in m.title)
    item = upsert(AgendaItem, {"meeting": meeting, "number": 1}, {"title": "Local Industrial Strategy: progress"})
    upsert(
        Decision,
        {"meeting": meeting, "text": STRATEGIC_BOARD_DECISION},
        {
            "agenda_item": item,
            "outcome": Decision.Outcome.APPROVED,
            "phase": agreed.phase,
            "milestone": agreed,
            "is_published": True,
            "recorded_by": officer,
        },
    )
    return [meeting]


# --- The evidence base (evidence app) ---------------------------------------------------------------

EVIDENCE_BRES_CSV = "bres_employment_sic2digit_nuts2_2016_gb_2015_2021.csv"
EVIDENCE_PRODUCTIVITY_CSV = "gva_per_hour_and_per_filled_job_lad_england_2002_2023.csv"
EVIDENCE_LGF_CSV = "selep_growth_deal_lgf_facts.csv"


def load_evidence_demo(strategy: Strategy, *, officer: User) -> dict[str, int]:
    """Indicator data from the shared extracts (BRES by NUTS 2 region; GVA per hour and per job for
    the portal's districts) and two open evidence items whose facts the shared data gives. Imports
    are idempotent: a second run finds every value unchanged."""
    from core.models import Theme
    from evidence.importers import import_file
    from evidence.models import EvidenceItem, Sharing

    data = Path(settings.SHARED_DATA_DIR)
    bres = import_file(data / EVIDENCE_BRES_CSV, layout="bres")
    productivity = import_file(data / EVIDENCE_PRODUCTIVITY_CSV, layout="ons_local", skip_unknown_areas=True)
    lgf = next(row for row in read_csv(EVIDENCE_LGF_CSV) if row["item"].startswith("LGF Round 1 (Growth Deal 1)"))
    items = [
        (
            "South East LEP Local Growth Fund: Growth Deal 1 allocation",
            {
                "kind": EvidenceItem.Kind.STATISTIC,
                "summary": lgf["quote"],
                "publisher": "South East LEP",
                "published_on": date(2014, 7, 1),
                "link": lgf["source_url"],
                "licence": "© South East LEP (quoted from its web page)",
                "quality_note": f"From {EVIDENCE_LGF_CSV}: an archived, undated version of the page "
                f"({lgf['source_page_version']}); the date is the month the figure is as at ({lgf['as_at']}). "
                "Other versions of the page give other running totals.",
            },
            ["business-environment", "infrastructure"],
        ),
        (
            "Regional and subregional labour productivity, UK",
            {
                "kind": EvidenceItem.Kind.DATASET,
                "summary": "Gross value added per hour worked and per filled job for local authority districts, "
                "counties and unitary authorities, 2002 to 2023 (imported: see Productivity).",
                "publisher": "Office for National Statistics",
                "published_on": date(2025, 6, 19),
                "link": "https://www.ons.gov.uk/explore-local-statistics/",
                "licence": "Open Government Licence v3.0",
                "quality_note": f"From {EVIDENCE_PRODUCTIVITY_CSV} (ONS Explore local statistics, source date "
                "19/06/2025). The file holds no England figure: the UK less Extra-Regio is the comparator.",
            },
            ["business-environment"],
        ),
    ]
    themes = {t.slug: t for t in Theme.objects.all()}
    for title, values, theme_slugs in items:
        item = upsert(
            EvidenceItem,
            {"strategy": strategy, "title": title},
            {**values, "sharing": Sharing.OPEN, "added_by": officer},
        )
        item.themes.set([themes[slug] for slug in theme_slugs if slug in themes])
        if strategy.area is not None:
            item.areas.set([strategy.area])
    return {"Evidence items": len(items), "Indicator values": bres.observations + productivity.observations}


# --- Engagement (engagement app) --------------------------------------------------------------------

ENGAGEMENT_CALL_TITLE = "Councils’ priorities for the draft strategy (demo call)"
ENGAGEMENT_CALL_DESCRIPTION = (
    "This call is the portal’s demo wording, not the South East LEP’s. Its page lists “Wider consultation to "
    "inform the development of the draft strategy” among the tasks of drafting; this call shows how the "
    "councillors of the strategy’s councils would send their councils’ priorities for it: what the council "
    "asks the strategy to do, why it matters, the evidence it rests on, the foundations and grand challenges "
    "it serves and the places it concerns. It is open for the replayed drafting phase."
)


def load_engagement_demo(strategy: Strategy, *, phases: list[Phase], officer: User) -> dict[str, int]:
    """One open call for priorities and one consultation for partners, both serving drafting, open from
    the replayed phase's first day (09:00) to its planned last day (17:00). Their text is the portal's
    demo wording; no figures or answers are invented."""
    from datetime import datetime, time

    from core.models import Theme
    from engagement.models import Call, Consultation, Question

    themes = Theme.objects.order_by("order")
    foundations = list(themes.filter(kind=Theme.Kind.FOUNDATION).values_list("name", flat=True))
    grand_challenges = list(themes.filter(kind=Theme.Kind.GRAND_CHALLENGE).values_list("name", flat=True))
    drafting = next(phase for phase in phases if phase.stage == Phase.Stage.DRAFTING)
    opens_on = drafting.actual_start or drafting.planned_start
    upsert(
        Call,
        {"strategy": strategy, "title": ENGAGEMENT_CALL_TITLE},
        {
            "phase": drafting,
            "description": ENGAGEMENT_CALL_DESCRIPTION,
            "audience": Call.Audience.COUNCILLORS,
            "opens_at": timezone.make_aware(datetime.combine(opens_on, time(9, 0))),
            "closes_at": timezone.make_aware(datetime.combine(drafting.planned_end, time(17, 0))),
            "created_by": officer,
        },
    )
    # A consultation for partners serving drafting, with one question of each kind, in the portal's
    # demo wording (the SELEP page names "consultation with partners and stakeholders"; no answers are invented).
    consultation = upsert(
        Consultation,
        {"strategy": strategy, "title": "Partners’ views on the emerging propositions (demo consultation)"},
        {
            "phase": drafting,
            "description": (
                "This consultation is the portal’s demo wording, not the South East LEP’s. It shows how "
                "universities, colleges, business groups and voluntary bodies would respond, on behalf of their "
                "organisation, to the emerging propositions while the draft strategy is written."
            ),
            "audience": Consultation.Audience.PARTNERS,
            "opens_at": timezone.make_aware(datetime.combine(opens_on, time(9, 0))),
            "closes_at": timezone.make_aware(datetime.combine(drafting.planned_end, time(17, 0))),
            "created_by": officer,
        },
    )
    questions = [
        ("text", "What should the strategy do first, and why?", [], True),
        ("single", "Which foundation of productivity matters most to your organisation?", foundations, True),
        ("multiple", "Which grand challenges does your organisation work on?", grand_challenges, False),
        ("scale", "How far does the draft vision reflect your organisation’s priorities?", [], True),
    ]
    if not consultation.responses.exists():  # questions are frozen once anyone responds
        for order, (kind, text, choices, required) in enumerate(questions, start=1):
            upsert(
                Question,
                {"consultation": consultation, "order": order},
                {"kind": kind, "text": text, "choices": choices, "required": required, "hint": ""},
            )
    # A consultation for everyone, so a visitor without an account can try the public response (ADR 41).
    public = upsert(
        Consultation,
        {"strategy": strategy, "title": "Your views on the draft strategy’s vision (demo consultation)"},
        {
            "phase": drafting,
            "description": (
                "This consultation is the portal’s demo wording, not the South East LEP’s. It shows how anyone — "
                "residents, businesses, councils and partners — would tell the LEP what they think of the draft "
                "vision, without an account for members of the public."
            ),
            "audience": Consultation.Audience.PUBLIC,
            "opens_at": timezone.make_aware(datetime.combine(opens_on, time(9, 0))),
            "closes_at": timezone.make_aware(datetime.combine(drafting.planned_end, time(17, 0))),
            "created_by": officer,
        },
    )
    if not public.responses.exists():
        for order, (kind, text, choices, required) in enumerate(
            [
                ("scale", "How far does the draft vision reflect what matters to you?", [], True),
                ("text", "What would you add to it, or change?", [], False),
            ],
            start=1,
        ):
            upsert(
                Question,
                {"consultation": public, "order": order},
                {"kind": kind, "text": text, "choices": choices, "required": required, "hint": ""},
            )
    load_updates_demo(strategy, officer=officer)
    return {"Calls for priorities": 1, "Consultations": 2, **load_events_demo(strategy, phases=phases, officer=officer)}


# --- Events and the engagement plan (engagement app) -------------------------------------------------


def load_events_demo(strategy: Strategy, *, phases: list[Phase], officer: User) -> dict[str, int]:
    """The SELEP page's "Productivity Foundation / Grand Challenge workshops with partners and
    stakeholders" (a task of building the evidence base): one planned activity of the plan, and one
    workshop for each foundation and grand challenge that delivers it, spread over the replayed
    phase. The page gives no dates or places: these are the demo's, marked so; no notes or
    attendance are invented."""
    from core.models import Theme
    from engagement.models import Event, PlannedActivity

    evidence = next(phase for phase in phases if phase.stage == Phase.Stage.EVIDENCE)
    activity = upsert(
        PlannedActivity,
        {"strategy": strategy, "title": "Productivity Foundation / Grand Challenge workshops (demo plan)"},
        {
            "audience": PlannedActivity.Audience.BUSINESSES,
            "channel": "Workshops with partners and stakeholders",
            "planned_on": evidence.planned_end,
            "owner": officer,
            "created_by": officer,
        },
    )
    themes = list(Theme.objects.order_by("kind", "order"))
    span = max((evidence.planned_end - evidence.planned_start).days, len(themes))
    for index, theme in enumerate(themes):
        day = evidence.planned_start + timedelta(days=span * (index + 1) // (len(themes) + 1))
        upsert(
            Event,
            {"strategy": strategy, "title": f"{theme.name} workshop (demo)"},
            {
                "kind": Event.Kind.WORKSHOP,
                "theme": theme,
                "starts_at": timezone.make_aware(datetime.combine(day, time(10, 0))),
                "place": "To be confirmed (demo)",
                "organiser": strategy.lead,
                "phase": evidence,
                "planned_activity": activity,
                "created_by": officer,
            },
        )
    return {"Events": len(themes), "Planned activities": 1}


# --- Updates (engagement app) -----------------------------------------------------------------------


def load_updates_demo(strategy: Strategy, *, officer: User) -> None:
    """One draft update for the officers to preview and send, in the portal's demo wording (the SELEP
    page offers a newsletter sign-up). No subscribers are invented: people subscribe on the overview."""
    from engagement.models import Update

    if Update.objects.filter(strategy=strategy).exclude(status=Update.Status.DRAFT).exists():
        return  # once one has been sent, leave the demo's updates as they are
    upsert(
        Update,
        {"strategy": strategy, "subject": "Have your say on the draft strategy (demo update)"},
        {
            "body": (
                "This update is the portal’s demo wording, not the South East LEP’s.\n\n"
                "## What is open\n\n"
                "* a **call for priorities** to the councils of the strategy;\n"
                "* a **consultation** for partners on the emerging propositions.\n\n"
                "Read more on the strategy’s overview."
            ),
            "created_by": officer,
        },
    )
