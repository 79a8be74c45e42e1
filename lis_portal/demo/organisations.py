"""The organisations (content/organisations.toml): the LEPs, the detailed LEP's federated areas and
councils, the councils the seeds name, and the others (SEEC, the demo partner)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from core.models import Area, Organisation

from .content import Content, Entry
from .places import Geography
from .records import join_names, upsert


@dataclass
class Organisations:
    leps: dict[str, Organisation]  # by LEP code
    federated: dict[str, Organisation]  # by name
    councils: dict[str, Organisation]  # by the code of the area they govern
    detailed_councils: list[Organisation]  # the councils of the detailed LEP's districts and counties
    others: dict[str, Organisation]  # by name

    def all(self) -> list[Organisation]:
        return [*self.leps.values(), *self.federated.values(), *self.councils.values(), *self.others.values()]

    def named(self, entry: Entry, key: str, name: str | None = None) -> Organisation:
        """The organisation an entry names under `key` (its name as organisations.toml gives it)."""
        name = entry.text(key) if name is None else name
        for organisation in self.all():
            if organisation.name == name:
                return organisation
        raise entry.error(f"“{key}” names “{name}”, and the demo loads no organisation of that name.")


def _organisation(name: str, kind: str, area: Area | None, note: str, website: str = "") -> Organisation:
    return upsert(
        Organisation,
        {"slug": slugify(name)},
        {"name": name, "kind": kind, "area": area, "note": note, "website": website},
    )


def load_organisations(content: Content, geo: Geography) -> Organisations:
    file = content.file(
        "organisations.toml",
        required=["lep_name", "lep", "federated_area", "councils", "named_council", "organisation"],
    )
    leps = _leps(file, geo)
    federated = _federated_areas(file, geo)
    councils, detailed_councils = _councils(file, geo)
    others = {
        entry.text("name"): _organisation(
            entry.text("name"),
            entry.choice("kind", Organisation.Kind),
            None,
            entry.text("note"),
            entry.text("website", ""),
        )
        for entry in file.entries("organisation", name="name", required=["name", "kind", "note"], optional=["website"])
    }
    return Organisations(leps, federated, councils, detailed_councils, others)


def _leps(file: Entry, geo: Geography) -> dict[str, Organisation]:
    entries = {
        entry.text("code"): entry
        for entry in file.entries("lep", name="code", required=["code", "note"], optional=["website"])
    }
    if set(entries) != set(geo.leps):
        raise file.error(f"[[lep]] should have one entry for each LEP of places.toml: {', '.join(geo.leps)}.")
    return {
        code: _organisation(
            file.text("lep_name", area=area.name),
            Organisation.Kind.LEP,
            area,
            entries[code].text("note", code=code, area=area.name),
            entries[code].text("website", ""),
        )
        for code, area in geo.leps.items()
    }


def _federated_areas(file: Entry, geo: Geography) -> dict[str, Organisation]:
    """The detailed LEP's federated areas, which must cover each of its districts exactly once."""
    detailed = {area.name: area for area in geo.lep_districts(geo.detailed_lep)}
    entries = file.entries("federated_area", name="name", required=["name", "districts", "note"], optional=["region"])
    covered: dict[str, list[Area]] = {}
    for entry in entries:
        unknown = [name for name in entry.texts("districts") if name not in detailed]
        if unknown:
            raise entry.error(f"“districts” names “{unknown[0]}”, which is not a district of the detailed LEP.")
        covered[entry.text("name")] = [detailed[name] for name in entry.texts("districts")]
    assigned = sorted(area.name for areas in covered.values() for area in areas)
    if assigned != sorted(detailed):
        raise file.error("the federated areas do not cover each district of the detailed LEP exactly once.")

    federated: dict[str, Organisation] = {}
    for entry in entries:
        name, areas = entry.text("name"), covered[entry.text("name")]
        region = None
        if "region" in entry.data:
            region = geo.regions.get(entry.text("region"))
            held = {code for code, regions in geo.district_regions.items() if entry.text("region") in regions}
            if region is None or held != {area.code for area in areas}:
                raise entry.error(
                    f"“region” {entry.text('region')} is not a NUTS region holding exactly its districts."
                )
        note = entry.text(
            "note",
            covers=join_names(sorted(area.name for area in areas)),
            region=region.code if region else "",
            region_name=region.name if region else "",
        )
        federated[name] = _organisation(name, Organisation.Kind.FEDERATED_AREA, region, note)
    return federated


def _councils(file: Entry, geo: Geography) -> tuple[dict[str, Organisation], list[Organisation]]:
    """The councils of the detailed LEP's counties and districts, then the other councils a seed names."""
    conventions = file.table("councils", required=["county", "district"])
    county_texts = conventions.table("county", required=["name", "note", "source"])
    district_texts = conventions.table("district", required=["name", "note", "source"])
    named = {
        entry.text("area"): entry
        for entry in file.entries("named_council", name="name", required=["area", "name", "note"])
    }
    county_areas = {area.code: area for area in geo.counties.values()}
    for code, entry in named.items():
        if code not in county_areas and code not in geo.districts:
            raise entry.error(f"“area” is {code}, which is not a county or district the demo loads.")

    detailed_districts = geo.lep_districts(geo.detailed_lep)
    detailed_counties = [
        geo.counties[name]
        for name in sorted({geo.district_county[a.code] for a in detailed_districts if a.code in geo.district_county})
    ]
    extra = [code for code in named if all(area.code != code for area in [*detailed_counties, *detailed_districts])]
    counties = [*detailed_counties, *(county_areas[code] for code in extra if code in county_areas)]
    districts = [*detailed_districts, *(geo.districts[code] for code in extra if code in geo.districts)]

    councils: dict[str, Organisation] = {}
    for area in [*counties, *districts]:
        county = area.kind == Area.Kind.COUNTY
        texts = county_texts if county else district_texts
        values = {"area": area.name, "code": area.code, "kind": area.get_kind_display()}
        naming = named.get(area.code, texts)  # a seed's name and note, or the convention's
        name = naming.text("name", **values)
        note = f"{naming.text('note', **values)} {texts.text('source', **values)}"
        if county:
            kind = Organisation.Kind.COUNTY_COUNCIL
        elif area.kind == Area.Kind.UNITARY:
            kind = Organisation.Kind.UNITARY_COUNCIL
        else:
            kind = Organisation.Kind.DISTRICT_COUNCIL
        councils[area.code] = _organisation(name, kind, area, note)
    detailed = {area.code for area in [*detailed_counties, *detailed_districts]}
    return councils, [council for code, council in councils.items() if code in detailed]
