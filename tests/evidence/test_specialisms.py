"""Sector specialisms: location quotients against Great Britain, checked against figures worked
out by hand from the shipped BRES file, and a page whose query count does not grow with the data."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Area
from evidence.importers import import_file, import_stream
from evidence.selectors import industry_names, industry_short_name, specialism_analysis
from tests.conftest import Cast
from tests.evidence.conftest import BRES_FILE, Places

pytestmark = pytest.mark.django_db


def test_lq_of_kent_warehousing_in_2021_by_hand(places: Places) -> None:
    import_file(BRES_FILE, layout="bres")
    analysis = specialism_analysis(area=places.kent, year=2021)
    # From the shipped file (DATE = 2021):
    #   Kent (UKJ4), all 88 divisions added up:            753,495 people
    #   Kent, division 52 (warehousing and support for transportation): 24,000
    #   Great Britain = the 40 NUTS 2 areas added up:     31,341,585 (the README's GB total for 2021)
    #   Great Britain, division 52, the 40 areas added up:   644,750
    # LQ = (24,000 / 753,495) / (644,750 / 31,341,585)
    #    = 0.0318516 / 0.0205717 = 1.54832
    assert analysis.area_total == 753_495
    assert analysis.gb_total == 31_341_585
    assert analysis.gb_areas == 40
    row = next(r for r in analysis.rows if r.industry_code == "52")
    assert row.employment == 24_000 and row.gb_employment == 644_750
    assert row.area_share == pytest.approx(24_000 / 753_495)
    assert row.lq == pytest.approx(1.54832, abs=1e-5)
    assert row.is_specialism  # LQ ≥ 1.25 and 24,000 ≥ 1,000 people
    assert row.industry_name == "Warehousing and support activities for transportation"
    # The change over the years: in 2015 Kent had 15,000 of 730,775 people in division 52, and GB
    # 475,000 of 29,754,055: LQ = (15,000 / 730,775) / (475,000 / 29,754,055)
    #                            = 0.0205262 / 0.0159642 = 1.28576.
    assert row.first_employment == 15_000
    assert row.first_lq == pytest.approx(1.28576, abs=1e-5)
    assert sorted(row.lq_by_year) == list(range(2015, 2022))
    # Ranked by LQ, highest first; every division of the year is listed.
    assert len(analysis.rows) == 88
    assert [r.rank for r in analysis.rows] == list(range(1, 89))
    assert all(a.lq >= b.lq for a, b in zip(analysis.rows, analysis.rows[1:], strict=False))


def test_lq_of_essex_construction_in_2021_by_hand(places: Places) -> None:
    import_file(BRES_FILE, layout="bres")
    essex = Area.objects.get(code="UKH3")
    analysis = specialism_analysis(area=essex, year=2021)
    # Essex (UKH3) 2021: 758,145 people in all; division 41 (construction of buildings): 18,000.
    # GB division 41: 512,500 of 31,341,585.
    # LQ = (18,000 / 758,145) / (512,500 / 31,341,585) = 0.0237422 / 0.0163521 = 1.45194
    row = next(r for r in analysis.rows if r.industry_code == "41")
    assert row.lq == pytest.approx(1.45194, abs=1e-5)


def test_the_employment_threshold_decides_a_specialism(places: Places) -> None:
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    # Kent: 900 in 01 and 100 in 02; the other area: 100 in 01 and 900 in 02. GB: 1,000 and 1,000.
    # LQ of Kent in 01 = (900 / 1,000) / (1,000 / 2,000) = 1.8.
    rows = "2021,UKJ4,Kent,01,900\n2021,UKJ4,Kent,02,100\n2021,UKH3,Essex,01,100\n2021,UKH3,Essex,02,900\n"
    import_stream(io.BytesIO((header + rows).encode()), layout="bres")
    high = specialism_analysis(area=places.kent, year=2021, min_employment=1000)
    low = specialism_analysis(area=places.kent, year=2021, min_employment=500)
    assert next(r for r in high.rows if r.industry_code == "01").lq == pytest.approx(1.8)
    assert high.specialisms == []
    assert [r.industry_code for r in low.specialisms] == ["01"]


def _bres(areas: int, industries: int, years: int) -> bytes:
    codes = ["UKJ4", "UKH3", "UKJ2", "UKJ1", "UKK1", "UKI3", "UKD3", "UKE4"][:areas]
    lines = ["DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT"]
    for year in range(2021 - years + 1, 2022):
        for n, code in enumerate(codes):
            for industry in range(1, industries + 1):
                lines.append(f"{year},{code},{code},{industry:02d},{(n + 1) * industry * 10}")
    return ("\n".join(lines) + "\n").encode()


def test_the_page_query_count_does_not_grow_with_the_data(
    client, cast: Cast, places: Places, django_assert_num_queries
) -> None:
    url = reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug}) + "?area=UKJ4&year=2021"
    client.force_login(cast.officer)
    import_stream(io.BytesIO(_bres(2, 3, 1)), layout="bres")
    with django_assert_num_queries(15) as small:  # one finds the ITL codes of the NUTS regions; one the 2FA device
        assert client.get(url).status_code == 200
    small_count = len(small)
    import_stream(io.BytesIO(_bres(8, 88, 7)), layout="bres")
    with django_assert_num_queries(small_count):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kent (UKJ4)" in page and "ITL2 / NUTS 2 region" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "The chart’s figures" in page


def test_the_page_with_the_real_file(client, cast: Cast, places: Places) -> None:
    import_file(BRES_FILE, layout="bres")
    url = reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug})
    page = client.get(url).content.decode()  # anonymous: open data
    # The default is the LEP as a whole (here its one region, Kent), in the latest year.
    assert "Figures for <strong>the LEP as a whole</strong>" in page and "one region, Kent (UKJ4), in 2021" in page
    assert "Warehousing and support activities for transportation" in page
    assert "1.55" in page  # Kent's LQ for division 52, rounded


def _essex_in_the_strategy(cast: Cast) -> Area:
    """A district of the strategy in Essex (UKH3): the strategy's regions become Kent and Essex."""
    essex = Area.objects.get(code="UKH3")
    basildon = Area.objects.create(code="E07000066", name="Basildon", kind=Area.Kind.DISTRICT, vintage="2019")
    assert cast.strategy.area is not None
    basildon.parents.set([cast.strategy.area, essex])
    return essex


def test_the_lep_as_a_whole_adds_its_regions_up_by_hand(client, cast: Cast, places: Places) -> None:
    import_file(BRES_FILE, layout="bres")
    _essex_in_the_strategy(cast)
    url = reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug})
    response = client.get(url + "?year=2021")  # the LEP as a whole is the default
    analysis = response.context["analysis"]
    assert [p.code for p in analysis.places] == ["UKH3", "UKJ4"]
    # From the shipped file (DATE = 2021): Kent 753,495 people and Essex 758,145: 1,511,640 together.
    # Division 52: Kent 24,000 and Essex 24,000: 48,000. GB: 644,750 of 31,341,585.
    # LQ = (48,000 / 1,511,640) / (644,750 / 31,341,585) = 0.0317536 / 0.0205717 = 1.54356
    assert analysis.area_total == 1_511_640 and analysis.gb_total == 31_341_585
    row = next(r for r in analysis.rows if r.industry_code == "52")
    assert row.employment == 48_000
    assert row.lq == pytest.approx(1.54356, abs=1e-5)
    # Division 41: Kent 16,000 and Essex 18,000 = 34,000; GB 512,500.
    # LQ = (34,000 / 1,511,640) / (512,500 / 31,341,585) = 0.0224922 / 0.0163521 = 1.37549
    assert next(r for r in analysis.rows if r.industry_code == "41").lq == pytest.approx(1.37549, abs=1e-5)
    page = response.content.decode()
    assert "Figures for <strong>the LEP as a whole</strong>" in page
    assert "the strategy’s 2 regions added together, Essex (UKH3), Kent (UKJ4), in 2021" in page
    assert "1,511,640 of them in the LEP’s regions (4.8%)" in page  # 1,511,640 / 31,341,585 = 4.82%
    assert '<option value="lep" selected>The LEP as a whole: Essex, Kent added together</option>' in page
    # Shares as percentages: 48,000 / 1,511,640 = 3.18%; 644,750 / 31,341,585 = 2.06%.
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3.2%</td>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2.1%</td>' in page
    # One region chosen: Kent alone, as before.
    kent = client.get(url + "?area=UKJ4&year=2021")
    assert kent.context["analysis"].area_total == 753_495
    assert "Figures for <strong>Kent (UKJ4)</strong>" in kent.content.decode()


def test_the_lep_as_a_whole_query_count_does_not_grow_with_its_regions(
    client, cast: Cast, places: Places, django_assert_num_queries
) -> None:
    import_stream(io.BytesIO(_bres(8, 88, 7)), layout="bres")
    url = reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug}) + "?area=lep&year=2021"
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["analysis"].places) == 1
    _essex_in_the_strategy(cast)
    with django_assert_num_queries(len(one)):
        assert len(client.get(url).context["analysis"].places) == 2


def test_division_names_are_shown_without_their_definitions() -> None:
    names = industry_names()
    assert len(names) == 88
    assert names["39"] == "Remediation activities and other waste management services"
    assert names["16"] == (
        "Manufacture of wood and of products of wood and cork, except furniture; "
        "manufacture of articles of straw and plaiting materials"
    )
    assert names["70"] == "Activities of head offices; management consultancy activities"
    assert all(". " not in name and not name[:2].isdigit() for name in names.values())
    assert industry_short_name("47 : Retail trade, except of motor vehicles and motorcycles") == (
        "Retail trade, except of motor vehicles and motorcycles"
    )


def test_the_chart_labels_are_at_body_size(client, cast: Cast, places: Places) -> None:
    import_file(BRES_FILE, layout="bres")
    url = reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug})
    page = client.get(url).content.decode()
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg"') :].split(">", 1)[0]
    assert 'font-size="19"' in svg  # GOV.UK's body size
    # Drawn at its own size (width and height in CSS pixels, equal to the view box), never shrunk.
    view_box = svg.split('viewBox="0 0 ', 1)[1].split('"', 1)[0].split()
    assert f'width="{view_box[0]}" height="{view_box[1]}"' in svg
