"""Productivity: GVA per hour worked and per filled job for the strategy's areas against the UK,
from the shipped ONS local-statistics file, as an SVG chart with a table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evidence.importers import import_file
from evidence.selectors import GVA_PER_HOUR, productivity
from tests.conftest import Cast
from tests.evidence.conftest import PRODUCTIVITY_FILE, Places

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(places: Places) -> None:
    import_file(PRODUCTIVITY_FILE, layout="ons_local", skip_unknown_areas=True)


def test_the_strategy_areas_against_the_uk(cast: Cast, places: Places, imported: None) -> None:
    data = productivity(strategy=cast.strategy, indicator_code=GVA_PER_HOUR, area=places.medway)
    assert data.area is not None and data.comparator is not None
    assert data.area.values[2023] == 39.16  # the README's example: Medway, 2023, GVA per hour worked
    assert data.comparator.name == "UK less Extra-Regio"
    assert data.latest_year == 2023 and data.years[0] == 2004
    # Only the strategy's districts are ranked (Reading belongs to the other strategy).
    assert {s.code for s, _, _ in data.ranking} == {"E06000035", "E07000105"}
    uk_2023 = data.comparator.values[2023]
    medway = next(r for r in data.ranking if r[0].code == "E06000035")
    assert medway[2] == pytest.approx(100 * 39.16 / uk_2023)


def test_the_page(client, cast: Cast, places: Places, imported: None, django_assert_num_queries) -> None:
    url = reverse("evidence:productivity", kwargs={"strategy_slug": cast.strategy.slug}) + "?area=E06000035"
    response = client.get(url)  # open data: anonymous
    page = response.content.decode()
    assert response.status_code == 200
    assert "Medway (E06000035)</strong>, a unitary authority" in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2 and page.count('role="img"') == 2
    assert "39.16" in page and "63,959.00" in page  # per hour and per filled job in 2023
    assert "UK less Extra-Regio" in page
    with django_assert_num_queries(11):  # 11: one query finds the ITL codes of the NUTS regions
        client.get(url)


def test_the_page_without_data(client, cast: Cast) -> None:
    page = client.get(reverse("evidence:productivity", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert "No productivity figures" in page
