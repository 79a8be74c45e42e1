"""NUTS ↔ ITL: Kent is UKJ4 in NUTS 2016/2018 and TLJ4 in ITL 2021. Level 3 codes pair through the
shipped lookup (tested on the real file); levels 1 and 2 by the prefix rule. Pages and selectors treat
a region's two codes as one place, and say which code and level a figure is for."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from core.models import Area
from evidence.geography import (
    NUTS_ITL_LOOKUP,
    code_label,
    codes_label,
    equivalent_code,
    group_places,
    itl3_to_nuts3,
    nuts3_to_itl3,
    place_key,
    strategy_area_ids,
    strategy_places,
)
from evidence.importers import import_file, import_stream
from evidence.selectors import evidence_item_list, gaps_matrix
from tests.conftest import Cast
from tests.evidence.conftest import DATA, GVA_ITL3_FILE, Places, make_item, theme

LOOKUP_FILE = DATA / "nuts3_2018_to_itl3_2021_lookup_uk.csv"


# --- The lookup, on the real file ----------------------------------------------------------------


def test_the_portal_reads_a_byte_for_byte_copy_of_the_shared_lookup() -> None:
    assert NUTS_ITL_LOOKUP.read_bytes() == LOOKUP_FILE.read_bytes()


def test_every_pair_in_the_lookup_maps_both_ways() -> None:
    with LOOKUP_FILE.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 169
    pairs = [
        (r["GEOGRAPHY_CODE_NUTS2018"], r["GEOGRAPHY_CODE_ITL321"])
        for r in rows
        if "NA" not in (r["GEOGRAPHY_CODE_NUTS2018"], r["GEOGRAPHY_CODE_ITL321"])
    ]
    assert len(pairs) == 167 == len(nuts3_to_itl3()) == len(itl3_to_nuts3())
    for nuts, itl in pairs:
        assert equivalent_code(nuts) == itl and equivalent_code(itl) == nuts
        assert place_key(nuts) == place_key(itl) == itl


def test_kent_and_the_places_that_changed() -> None:
    # Kent's level 3 areas keep their suffix.
    assert [equivalent_code(c) for c in ("UKJ41", "UKJ43", "UKJ44", "UKJ45", "UKJ46")] == [
        "TLJ41",
        "TLJ43",
        "TLJ44",
        "TLJ45",
        "TLJ46",
    ]
    # Dorset changed its code; Bournemouth and Poole (NUTS) and Bournemouth, Christchurch and Poole
    # (ITL) are different places, so neither has an equivalent.
    assert equivalent_code("UKK22") == "TLK25" and equivalent_code("TLK25") == "UKK22"
    assert equivalent_code("UKK21") is None and equivalent_code("TLK24") is None


def test_levels_one_and_two_follow_the_prefix_rule() -> None:
    assert equivalent_code("UKJ4") == "TLJ4" and equivalent_code("TLJ4") == "UKJ4"
    assert equivalent_code("UKH3") == "TLH3" and equivalent_code("TLH3") == "UKH3"
    assert equivalent_code("UKJ") == "TLJ" and equivalent_code("TLJ") == "UKJ"
    # NUTS 2013 regions that NUTS 2016 redrew have none; codes that are not NUTS/ITL have none.
    assert equivalent_code("UKM2") is None and equivalent_code("UKI1") is None
    assert equivalent_code("E07000105") is None and equivalent_code("UKX") is None


def test_labels_name_the_system_and_level() -> None:
    assert code_label("UKJ4") == "UKJ4 (NUTS 2)" and code_label("TLJ45") == "TLJ45 (ITL3)"
    assert codes_label("UKJ4") == "UKJ4 (NUTS 2) = TLJ4 (ITL2)"
    assert codes_label("TLK25") == "TLK25 (ITL3) = UKK22 (NUTS 3)"
    assert codes_label("UKK21") == "UKK21 (NUTS 3)" and codes_label("E06000035") == "E06000035"


def test_every_itl3_area_of_the_shipped_gva_file_has_its_nuts_code() -> None:
    with GVA_ITL3_FILE.open(newline="", encoding="utf-8-sig") as handle:
        codes = {row["ITL region code"] for row in csv.DictReader(handle)}
    assert len(codes) == 37
    assert {code: equivalent_code(code) for code in codes if equivalent_code(code) is None} == {}
    assert equivalent_code("TLH34") == "UKH34"


# --- Pages and selectors treat the two codes as one place -----------------------------------------


@pytest.fixture
def itl(places: Places) -> dict[str, Area]:
    """Kent under its ITL code (TLJ4) and its level 3 areas, as the real ITL3 GVA file creates them."""
    import_file(GVA_ITL3_FILE, layout="gva")
    kent_itl = Area.objects.create(code="TLJ4", name="Kent", kind=Area.Kind.ITL_REGION, vintage="2021")
    return {"TLJ4": kent_itl, "TLJ41": Area.objects.get(code="TLJ41")}


@pytest.mark.django_db
def test_the_strategy_holds_kent_under_both_codes(cast: Cast, places: Places, itl: dict[str, Area]) -> None:
    ids = strategy_area_ids(cast.strategy)
    assert places.kent.pk in ids and itl["TLJ4"].pk in ids
    assert itl["TLJ41"].pk not in ids, "Medway's level 3 area is not a parent of the strategy's districts"
    kent = next(p for p in strategy_places(cast.strategy) if p.area.code == "UKJ4")
    assert [a.code for a in kent.areas] == ["UKJ4", "TLJ4"]
    assert kent.codes == "UKJ4 (NUTS 2) = TLJ4 (ITL2)"
    assert len(group_places([places.kent, itl["TLJ4"], places.medway])) == 2


@pytest.mark.django_db
def test_the_gaps_matrix_counts_kent_once_under_either_code(cast: Cast, places: Places, itl: dict[str, Area]) -> None:
    people = theme("people")
    make_item(cast.strategy, title="Tagged with the ITL code", themes=[people], areas=[itl["TLJ4"]])
    make_item(cast.strategy, title="Tagged with both", themes=[people], areas=[places.kent, itl["TLJ4"]])
    gaps = gaps_matrix(strategy=cast.strategy, user=cast.officer)
    kent_rows = [row for row in gaps.rows if row.area.name == "Kent"]
    assert len(kent_rows) == 1
    row = kent_rows[0]
    assert row.area == places.kent and row.codes == "UKJ4 (NUTS 2) = TLJ4 (ITL2)"
    cell = next(c for c in row.cells if c.theme == people)
    assert cell.total == 2 and cell.counts == {"open": 2}


@pytest.mark.django_db
def test_the_gaps_page_and_the_library_filter_follow_the_place(
    client, cast: Cast, places: Places, itl: dict[str, Area]
) -> None:
    people = theme("people")
    item = make_item(cast.strategy, title="Tagged with the ITL code", themes=[people], areas=[itl["TLJ4"]])
    make_item(cast.strategy, title="Medway only", themes=[people], areas=[places.medway])
    found = evidence_item_list(strategy=cast.strategy, user=cast.officer, area=places.kent)
    assert list(found) == [item]
    client.force_login(cast.officer)
    page = client.get(reverse("evidence:gaps", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert "UKJ4 (NUTS 2) = TLJ4 (ITL2), ITL2 / NUTS 2 region" in page
    assert page.count("TLJ4 (ITL2)") == 1
    library = reverse("evidence:item-list", kwargs={"strategy_slug": cast.strategy.slug})
    page = client.get(library, {"theme": people.pk, "area": places.kent.pk}).content.decode()
    assert "Tagged with the ITL code" in page and "Medway only" not in page


@pytest.mark.django_db
def test_the_specialisms_page_takes_either_code_and_says_both(client, cast: Cast, places: Places) -> None:
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    rows = "2021,UKJ4,Kent,01,900\n2021,UKJ4,Kent,02,100\n2021,UKH3,Essex,01,100\n2021,UKH3,Essex,02,900\n"
    import_stream(io.BytesIO((header + rows).encode()), layout="bres")
    url = reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug})
    page = client.get(url, {"area": "TLJ4", "year": 2021}).content.decode()
    assert "Figures for <strong>Kent (UKJ4)</strong>" in page
    assert "UKJ4 (NUTS 2) = TLJ4 (ITL2), the same place under its NUTS and ITL codes" in page
    assert '<option value="UKJ4" selected>Kent: UKJ4 (NUTS 2) = TLJ4 (ITL2) – this strategy</option>' in page
    assert "Essex: UKH3 (NUTS 2) = TLH3 (ITL2)" in page


@pytest.mark.django_db
def test_a_district_shared_with_another_lep_does_not_bring_that_lep_in(cast: Cast, places: Places) -> None:
    """Lewes is in two LEP areas; the strategy's places are its own LEP area and what its districts
    sit inside, never the other LEP area."""
    assert cast.other_strategy.area is not None
    places.ashford.parents.add(cast.other_strategy.area)
    ids = strategy_area_ids(cast.strategy)
    assert cast.strategy.area_id in ids and places.ashford.pk in ids and places.kent.pk in ids
    assert cast.other_strategy.area.pk not in ids
    assert all(
        row.area.pk != cast.other_strategy.area.pk
        for row in gaps_matrix(strategy=cast.strategy, user=cast.officer).rows
    )
