"""The open data API finds a region's figures under either of its codes: asking for TLJ4 (ITL) also
returns what is stored under UKJ4 (NUTS) and the other way round, at level 2 by the prefix rule and
at level 3 by the shipped lookup; each result says the code it is stored under and its level."""

from __future__ import annotations

import io
from typing import Any

import pytest

from evidence.importers import import_file, import_stream
from evidence.models import Indicator, Observation
from tests.conftest import Cast
from tests.evidence.conftest import GVA_ITL3_FILE, Places

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(cast: Cast, places: Places) -> None:
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    import_stream(io.BytesIO((header + "2021,UKJ4,Kent,52,24000\n2021,UKH3,Essex,52,12000\n").encode()), layout="bres")
    import_file(GVA_ITL3_FILE, layout="gva")


def _results(client, query: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/observations/?{query}&page_size=1000")
    assert response.status_code == 200
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_an_itl_code_finds_figures_stored_under_its_nuts_code(client, figures: None) -> None:
    [row] = _results(client, "indicator=bres-employment&geo_code=TLJ4")
    assert row["value"] == 24000.0 and row["area_name"] == "Kent"
    assert row["geo_code"] == "UKJ4" and row["stored_as"] == "UKJ4 (NUTS 2)"
    assert row["equivalent_geo_code"] == "TLJ4" and row["matched"] == "equivalent"
    assert row["geo_level"] == "ITL2 / NUTS 2 region"
    [exact] = _results(client, "indicator=bres-employment&geo_code=UKJ4")
    assert exact["geo_code"] == "UKJ4" and exact["matched"] == "exact"
    assert _results(client, "indicator=bres-employment&geo_code=tlj4")[0]["geo_code"] == "UKJ4"
    # Essex is not Kent, whichever code is asked for.
    assert {r["geo_code"] for r in _results(client, "indicator=bres-employment&geo_code=TLH3")} == {"UKH3"}


def test_a_nuts_level_3_code_finds_figures_stored_under_its_itl_code(client, figures: None) -> None:
    stored = Observation.objects.filter(indicator__code="gva-current-prices", geo_code="TLJ41").count()
    assert stored > 0
    response = client.get("/api/observations/?indicator=gva-current-prices&geo_code=UKJ41&page_size=1000").json()
    assert response["count"] == stored
    rows = response["results"]
    assert {(r["geo_code"], r["stored_as"], r["matched"]) for r in rows} == {("TLJ41", "TLJ41 (ITL3)", "equivalent")}
    assert {r["equivalent_geo_code"] for r in rows} == {"UKJ41"}


def test_figures_stored_under_both_codes_all_come_back_each_saying_its_code(client, figures: None) -> None:
    bres = Indicator.objects.get(code="bres-employment")
    Observation.objects.create(indicator=bres, geo_code="TLJ4", period="2022", year=2022, industry_code="52", value=1)
    for asked in ("UKJ4", "TLJ4"):
        rows = _results(client, f"indicator=bres-employment&geo_code={asked}")
        assert sorted((r["geo_code"], r["matched"]) for r in rows) == sorted(
            [
                ("UKJ4", "exact" if asked == "UKJ4" else "equivalent"),
                ("TLJ4", "exact" if asked == "TLJ4" else "equivalent"),
            ]
        )


def test_a_code_without_an_equivalent_matches_itself_only(client, figures: None) -> None:
    assert _results(client, "geo_code=UKI1") == []
    rows = _results(client, "indicator=bres-employment")
    assert {r["matched"] for r in rows} == {None}


def test_the_schema_documents_the_stored_code(client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    fields = schema["components"]["schemas"]["Observation"]["properties"]
    assert {"geo_code", "stored_as", "geo_level", "equivalent_geo_code", "matched"} <= set(fields)
    parameters = {p["name"]: p for p in schema["paths"]["/api/observations/"]["get"]["parameters"]}
    assert "ITL equivalent" in parameters["geo_code"]["description"]
