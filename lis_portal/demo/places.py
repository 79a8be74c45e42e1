"""The geography (content/places.toml): the LEP areas, their districts and unitary authorities, the
counties they sit in and, for the LEP loaded in detail, the NUTS regions, all from the shared data."""

from __future__ import annotations

from dataclasses import dataclass

from core.models import Area

from .content import Content, DemoDataError
from .records import read_csv, upsert


@dataclass
class Geography:
    detailed_lep: str  # the code of the LEP loaded in detail (SELEP)
    leps: dict[str, Area]  # by code
    districts: dict[str, Area]  # every district and unitary authority of the LEPs, by code
    district_leps: dict[str, list[str]]  # district code -> its LEP codes among those loaded
    counties: dict[str, Area]  # by county name
    district_county: dict[str, str]  # district code -> county name
    regions: dict[str, Area]  # NUTS3 and NUTS2, by code
    district_regions: dict[str, set[str]]  # district code -> the codes of its NUTS3 and NUTS2 regions

    def lep_districts(self, lep_code: str) -> list[Area]:
        return [self.districts[code] for code, leps in self.district_leps.items() if lep_code in leps]

    def all(self) -> list[Area]:
        return [*self.leps.values(), *self.counties.values(), *self.regions.values(), *self.districts.values()]


def load_areas(content: Content) -> Geography:
    """LEP areas, their districts and unitaries, the counties and (for the detailed LEP) the NUTS regions."""
    places = content.file("places.toml", required=["leps", "detailed_lep", "vintages", "district_kinds"])
    lep_codes = places.texts("leps")
    detailed = places.text("detailed_lep")
    if detailed not in lep_codes:
        raise places.error(f"“detailed_lep” is {detailed}, which is not one of “leps”.")
    vintages = places.table("vintages", required=["lep", "district", "nuts", "county"])
    prefixes = places.table("district_kinds", required=places.data["district_kinds"])
    kind_by_prefix = {prefix: prefixes.choice(prefix, Area.Kind) for prefix in prefixes.data}

    lep_csv = content.data_file("lep_lookup_csv")
    lep_names, district_rows, district_leps = _lep_lookup(lep_csv, lep_codes)
    leps = {
        code: upsert(
            Area,
            {"code": code, "vintage": vintages.text("lep")},
            {"name": lep_names[code], "kind": Area.Kind.LEP_AREA},
        )
        for code in lep_codes
    }
    counties, district_county = _counties(content, set(district_rows), vintage=vintages.text("county"))
    detailed_codes = {code for code, codes in district_leps.items() if detailed in codes}
    regions, district_nuts = _regions(content, detailed_codes, vintage=vintages.text("nuts"))

    districts: dict[str, Area] = {}
    for code, row in sorted(district_rows.items()):
        kind = kind_by_prefix.get(code[:3])
        if kind is None:
            raise DemoDataError(
                f"{lep_csv}: {code} is neither a district nor a unitary authority code (places.toml, [district_kinds])."
            )
        area = upsert(
            Area, {"code": code, "vintage": vintages.text("district")}, {"name": row["LAD19NM"], "kind": kind}
        )
        parents = [leps[lep] for lep in district_leps[code]]
        if code in district_county:
            parents.append(counties[district_county[code]])
        if code in district_nuts:
            parents.append(regions[district_nuts[code][0]])
        area.parents.set(parents)
        districts[code] = area
    district_regions = {code: set(codes) for code, codes in district_nuts.items()}
    return Geography(detailed, leps, districts, district_leps, counties, district_county, regions, district_regions)


def _lep_lookup(
    lep_csv: str, lep_codes: list[str]
) -> tuple[dict[str, str], dict[str, dict[str, str]], dict[str, list[str]]]:
    """The LEPs' names, and the rows and LEPs of their districts, from the district lookup."""
    lep_names: dict[str, str] = {}
    district_rows: dict[str, dict[str, str]] = {}
    district_leps: dict[str, list[str]] = {}
    for row in read_csv(lep_csv):
        row_leps = [code for code in (row["LEP17CD1"], row["LEP17CD2"]) if code in lep_codes]
        for number in ("1", "2"):
            if row[f"LEP17CD{number}"] in lep_codes:
                lep_names[row[f"LEP17CD{number}"]] = row[f"LEP17NM{number}"]
        if row_leps:
            district_rows[row["LAD19CD"]] = row
            district_leps[row["LAD19CD"]] = row_leps
    missing = [code for code in lep_codes if code not in lep_names]
    if missing:
        raise DemoDataError(f"{lep_csv} has no districts for LEP {', '.join(missing)} (places.toml, “leps”).")
    return lep_names, district_rows, district_leps


def _counties(content: Content, district_codes: set[str], *, vintage: str) -> tuple[dict[str, Area], dict[str, str]]:
    """The counties the districts sit in (by name), and each district's county: their GSS codes from
    business demography, their districts from the census file."""
    county_codes = {
        row["areanm"]: row["areacd"]
        for row in read_csv(content.data_file("business_demography_csv"))
        if row["areacd"].startswith("E10") and row["geography"] == "County or Unitary Authority"
    }
    district_county = {
        row["LAD"]: row["COUNTY"]
        for row in read_csv(content.data_file("population_csv"))
        if row["LAD"] in district_codes and row["COUNTY"] in county_codes
    }
    counties = {
        name: upsert(Area, {"code": county_codes[name], "vintage": vintage}, {"name": name, "kind": Area.Kind.COUNTY})
        for name in sorted(set(district_county.values()))
    }
    return counties, district_county


def _regions(
    content: Content, district_codes: set[str], *, vintage: str
) -> tuple[dict[str, Area], dict[str, tuple[str, str]]]:
    """The NUTS 2018 regions of the districts (NUTS3 in NUTS2), by code; and each district's NUTS3 and NUTS2."""
    nuts_csv = content.data_file("nuts_lookup_csv")
    nuts_rows = {row["LAD18CD"]: row for row in read_csv(nuts_csv) if row["LAD18CD"] in district_codes}
    if set(nuts_rows) != district_codes:
        raise DemoDataError(f"{nuts_csv} lacks districts {', '.join(sorted(district_codes - set(nuts_rows)))}.")
    regions: dict[str, Area] = {}
    nuts3_parent: dict[str, str] = {}
    for row in nuts_rows.values():
        for level in ("NUTS2", "NUTS3"):
            code = row[f"{level}18CD"]
            if code not in regions:
                regions[code] = upsert(
                    Area,
                    {"code": code, "vintage": vintage},
                    {"name": row[f"{level}18NM"], "kind": Area.Kind.ITL_REGION},
                )
        nuts3_parent[row["NUTS318CD"]] = row["NUTS218CD"]
    for nuts3, nuts2 in nuts3_parent.items():
        regions[nuts3].parents.set([regions[nuts2]])
    return regions, {code: (row["NUTS318CD"], row["NUTS218CD"]) for code, row in nuts_rows.items()}
