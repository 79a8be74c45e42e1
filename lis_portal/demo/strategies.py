"""The strategies (content/strategies.toml): the one the demo replays in full and the lighter ones
from the guide's case studies, with their lead LEPs and partners."""

from __future__ import annotations

from core.models import Area, Organisation, Strategy

from .content import Content, Entry
from .organisations import Organisations
from .places import Geography
from .records import upsert

PARTNER_GROUPS = ("federated_areas", "councils")


def strategy_named(entry: Entry, strategies: dict[str, Strategy], key: str = "strategy") -> Strategy:
    """The strategy an entry names by its slug."""
    slug = entry.text(key)
    if slug not in strategies:
        raise entry.error(f"“{key}” is “{slug}”, which is not a strategy of strategies.toml.")
    return strategies[slug]


def _lep(entry: Entry, geo: Geography) -> Area:
    code = entry.text("lep")
    if code not in geo.leps:
        raise entry.error(f"“lep” is {code}, which is not a LEP of places.toml.")
    return geo.leps[code]


def load_strategies(
    content: Content, geo: Geography, orgs: Organisations, *, schedule_note: str
) -> dict[str, Strategy]:
    file = content.file("strategies.toml", required=["replayed", "lighter", "case_study"])
    replayed = file.table(
        "replayed",
        required=["slug", "name", "lep", "summary", "aims", "source", "demo_note"],
        optional=["partners", "partner_groups"],
    )
    area = _lep(replayed, geo)
    full = upsert(
        Strategy,
        {"slug": replayed.text("slug")},
        {
            "name": replayed.text("name"),
            "lead": orgs.leps[area.code],
            "area": area,
            "summary": replayed.text("summary"),
            "aims": "\n".join(replayed.texts("aims")),
            "schedule_note": schedule_note,
            "source": replayed.text("source"),
            "demo_note": replayed.text("demo_note"),
            "is_published": True,
        },
    )
    groups = replayed.texts("partner_groups", ())
    unknown = [group for group in groups if group not in PARTNER_GROUPS]
    if unknown:
        raise replayed.error(f"“partner_groups” has “{unknown[0]}”; the groups are {', '.join(PARTNER_GROUPS)}.")
    partners: list[Organisation] = []
    if "federated_areas" in groups:
        partners.extend(orgs.federated.values())
    if "councils" in groups:
        partners.extend(orgs.detailed_councils)
    partners.extend(orgs.named(replayed, "partners", name) for name in replayed.texts("partners", ()))
    full.partners.set(partners)
    strategies = {full.slug: full}

    lighter = file.table("lighter", required=["name", "source", "demo_note", "strategy"])
    case_studies = file.named("case_study", required=["summary", "partners"])
    for entry in lighter.entries("strategy", name="slug", required=["slug", "lep", "case_study"]):
        area = _lep(entry, geo)
        case_study = case_studies.get(entry.text("case_study"))
        if case_study is None:
            raise entry.error(f"“case_study” is “{entry.text('case_study')}”, which has no [case_study] table.")
        values = {"area": area.name, "code": area.code, "case_study": entry.text("case_study")}
        strategy = upsert(
            Strategy,
            {"slug": entry.text("slug")},
            {
                "name": lighter.text("name", **values),
                "lead": orgs.leps[area.code],
                "area": area,
                "summary": case_study.text("summary"),
                "aims": "",
                "schedule_note": "",
                "source": lighter.text("source", **values),
                "demo_note": lighter.text("demo_note", **values),
                "is_published": True,
            },
        )
        strategy.partners.set([orgs.named(case_study, "partners", name) for name in case_study.texts("partners")])
        strategies[strategy.slug] = strategy
    return strategies
