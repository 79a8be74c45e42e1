"""Open data: CSV and JSON downloads of open items and indicators, with licence and source, and the
read-only API with its OpenAPI schema. Items that are not open never appear, whoever asks."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from evidence.importers import import_stream
from evidence.models import Sharing
from tests.conftest import Cast
from tests.evidence.conftest import Places, make_item, theme

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "councillor", "officer", "partner", "admin"]


@pytest.fixture
def data(cast: Cast, places: Places) -> None:
    make_item(
        cast.strategy, sharing=Sharing.OPEN, title="Open skills audit", themes=[theme("people")], areas=[places.medway]
    )
    make_item(cast.strategy, sharing=Sharing.PARTNERS, title="Partners-only draft")
    make_item(cast.strategy, sharing=Sharing.OFFICERS, title="Officers-only briefing")
    make_item(cast.other_strategy, sharing=Sharing.OPEN, title="Berkshire open report")
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    import_stream(io.BytesIO((header + "2021,UKJ4,Kent,52,24000\n2021,UKH3,Essex,52,12000\n").encode()), layout="bres")


def _url(cast: Cast, name: str) -> str:
    return reverse(f"evidence:{name}", kwargs={"strategy_slug": cast.strategy.slug})


@pytest.mark.parametrize("role", ROLES)
def test_downloads_hold_open_items_only_with_their_licence(client, cast: Cast, data: None, role: str) -> None:
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    response = client.get(_url(cast, "open-items-csv"))
    assert response["Content-Disposition"] == 'attachment; filename="kent-open-evidence.csv"'
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["Open skills audit"]
    assert rows[0]["licence"] == "Open Government Licence v3.0" and rows[0]["publisher"] == "Kent County Council"
    assert rows[0]["themes"] == "People" and rows[0]["areas"] == "Medway (E06000035)"
    payload = json.loads(client.get(_url(cast, "open-items-json")).content)
    assert [i["title"] for i in payload["items"]] == ["Open skills audit"]
    body = text + json.dumps(payload)
    assert "Partners-only" not in body and "Officers-only" not in body and "Berkshire" not in body


def test_indicator_downloads_carry_source_and_licence(client, cast: Cast, data: None) -> None:
    response = client.get(_url(cast, "open-indicators-csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        {
            "code": "bres-employment",
            "name": "Employment by industry (BRES)",
            "unit": "people",
            "source": rows[0]["source"],
            "source_url": "https://www.nomisweb.co.uk/",
            "licence": "Open Government Licence v3.0",
            "geography_note": "ITL2 / NUTS 2 region",
            "observations": "2",
        }
    ]
    assert "Business Register and Employment Survey" in rows[0]["source"]
    assert (
        json.loads(client.get(_url(cast, "open-indicators-json")).content)["indicators"][0]["code"] == "bres-employment"
    )
    url = reverse(
        "evidence:open-observations-csv", kwargs={"strategy_slug": cast.strategy.slug, "code": "bres-employment"}
    )
    values = list(csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode())))
    assert [(v["geo_code"], v["value"], v["licence"]) for v in values] == [
        ("UKH3", "12000.0", "Open Government Licence v3.0"),
        ("UKJ4", "24000.0", "Open Government Licence v3.0"),
    ]


def test_api_lists_filters_and_paginates(client, cast: Cast, data: None, places: Places) -> None:
    items = client.get("/api/evidence-items/").json()
    assert items["count"] == 2 and {i["title"] for i in items["results"]} == {
        "Open skills audit",
        "Berkshire open report",
    }
    assert client.get("/api/evidence-items/?strategy=kent").json()["count"] == 1
    assert client.get("/api/evidence-items/?theme=people&area=E06000035").json()["count"] == 1
    assert client.get("/api/evidence-items/?published_after=2020-01-01").json()["count"] == 0
    assert client.get("/api/evidence-items/?search=audit").json()["count"] == 1
    first = client.get("/api/evidence-items/?strategy=kent").json()["results"][0]
    assert first["licence"] == "Open Government Licence v3.0" and first["themes"] == ["people"]
    observations = client.get("/api/observations/?indicator=bres-employment&geo_code=UKJ4").json()
    assert observations["count"] == 1 and observations["results"][0]["value"] == 24000.0
    assert observations["results"][0]["area_name"] == "Kent"
    paged = client.get("/api/observations/?page_size=1").json()
    assert paged["count"] == 2 and len(paged["results"]) == 1 and paged["next"]
    indicator = client.get("/api/indicators/bres-employment/").json()
    assert indicator["licence"] == "Open Government Licence v3.0"


def test_openapi_schema(client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "LIS Portal open data API"
    assert {"/api/evidence-items/", "/api/indicators/", "/api/observations/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/evidence-items/"]["get"]["parameters"]}
    assert {"strategy", "theme", "area", "kind", "search", "page"} <= parameters
    assert set(schema["paths"]["/api/evidence-items/"]) == {"get"}, "read-only"
