"""The evidence library says which geographic level each place (and so each figure) is for: the list,
an item's page and the area filter name each area with its code(s) and level; the specialisms page
names the level of its figures."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from evidence.importers import import_stream
from tests.conftest import Cast
from tests.evidence.conftest import Places, make_item, theme

pytestmark = pytest.mark.django_db


def test_the_list_the_item_and_the_filter_name_each_areas_level(client, cast: Cast, places: Places) -> None:
    item = make_item(cast.strategy, themes=[theme("people")], areas=[places.medway, places.kent])
    client.force_login(cast.officer)
    listing = client.get(reverse("evidence:item-list", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert "Medway (E06000035, unitary authority)" in listing
    assert "Kent (UKJ4 (NUTS 2) = TLJ4 (ITL2), ITL2 / NUTS 2 region)" in listing
    # The area filter's choices carry the level too.
    assert (
        f'<option value="{places.kent.pk}">Kent (UKJ4 (NUTS 2) = TLJ4 (ITL2), ITL2 / NUTS 2 region)</option>' in listing
    )
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "Medway (E06000035, unitary authority)" in detail
    assert "Kent (UKJ4 (NUTS 2) = TLJ4 (ITL2), ITL2 / NUTS 2 region)" in detail


def test_the_specialisms_page_names_the_level_of_its_figures(client, cast: Cast, places: Places) -> None:
    header = "DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT\n"
    rows = "2021,UKJ4,Kent,52,9000\n2021,UKJ4,Kent,62,1000\n2021,UKH3,Essex,52,1000\n2021,UKH3,Essex,62,9000\n"
    import_stream(io.BytesIO((header + rows).encode()), layout="bres")
    page = client.get(reverse("evidence:specialisms", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert (
        "Figures for <strong>the LEP as a whole</strong>, at the level of ITL2 / NUTS 2 region: "
        "the strategy’s one region, Kent (UKJ4), in 2021"
    ) in page
