"""The gaps matrix (themes × the strategy's areas, counts by sharing level, empty cells marked,
each cell linking to its items) and the narrative per foundation that officers write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent, Theme
from evidence.models import EvidenceNarrative, Sharing
from evidence.selectors import gaps_matrix
from tests.conftest import Cast
from tests.evidence.conftest import Places, make_item, theme

pytestmark = pytest.mark.django_db


def _cell(gaps, area, slug):
    row = next(r for r in gaps.rows if r.area == area)
    return next(c for c in row.cells if c.theme.slug == slug)


def test_counts_by_sharing_level_for_what_each_person_may_see(cast: Cast, places: Places) -> None:
    people, places_theme = theme("people"), theme("places")
    make_item(cast.strategy, sharing=Sharing.OPEN, themes=[people], areas=[places.medway, places.ashford])
    make_item(cast.strategy, sharing=Sharing.PARTNERS, themes=[people], areas=[places.medway])
    make_item(cast.strategy, sharing=Sharing.OFFICERS, themes=[people, places_theme], areas=[places.medway])
    make_item(cast.other_strategy, sharing=Sharing.OPEN, themes=[people], areas=[places.medway])  # not ours

    officer = gaps_matrix(strategy=cast.strategy, user=cast.officer)
    assert _cell(officer, places.medway, "people").counts == {"open": 1, "partners": 1, "officers": 1}
    assert _cell(officer, places.medway, "places").counts == {"officers": 1}
    assert _cell(officer, places.ashford, "people").counts == {"open": 1}
    assert _cell(officer, places.ashford, "places").total == 0
    # The strategy's areas: its LEP area, Kent (which holds its districts), then the districts.
    assert [r.area for r in officer.rows] == [cast.strategy.area, places.kent, places.medway, places.ashford]
    assert officer.empty + officer.covered == 4 * Theme.objects.count()

    partner = gaps_matrix(strategy=cast.strategy, user=cast.partner)
    assert _cell(partner, places.medway, "people").counts == {"open": 1, "partners": 1}
    assert _cell(partner, places.medway, "places").total == 0, "officers-only items are not counted for partners"


def test_the_page_marks_gaps_and_links_each_cell_to_its_items(
    client, cast: Cast, places: Places, django_assert_num_queries
) -> None:
    make_item(cast.strategy, title="Medway skills", themes=[theme("people")], areas=[places.medway])
    client.force_login(cast.councillor)
    url = reverse("evidence:gaps", kwargs={"strategy_slug": cast.strategy.slug})
    client.get(url)
    with django_assert_num_queries(14) as few:  # 14: one query finds the ITL codes of the NUTS regions
        page = client.get(url).content.decode()
    few_count = len(few)
    link = reverse("evidence:item-list", kwargs={"strategy_slug": cast.strategy.slug})
    link += f"?theme={theme('people').pk}&amp;area={places.medway.pk}"
    assert f'href="{link}"' in page
    assert "Gap</strong>" in page and "Medway (E06000035)" not in page  # names and codes shown apart
    assert "E06000035, unitary authority" in page
    # The matrix is wider than the page at 1280 px: the region says it scrolls, and takes the keyboard.
    assert 'id="gaps-scroll-hint">The table is wider than the page: scroll sideways to see every column' in page
    assert 'role="region" aria-label="Evidence coverage by area and theme" aria-describedby="gaps-scroll-hint"' in page
    assert 'tabindex="0"' in page and 'class="govuk-table__header app-gaps__area"' in page
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Medway skills" in listed
    for n in range(20):
        make_item(
            cast.strategy,
            title=f"More {n}",
            themes=[theme("ideas"), theme("people")],
            areas=[places.medway, places.ashford],
        )
    with django_assert_num_queries(few_count):
        client.get(url)


def test_officers_write_the_narrative_per_foundation(client, cast: Cast, places: Places) -> None:
    url = reverse("evidence:narrative-edit", kwargs={"strategy_slug": cast.strategy.slug, "theme_slug": "people"})
    client.force_login(cast.officer)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "strengths": "Two universities.",
            "challenges": "Skills gaps in construction.",
            "opportunities": "Institute of Technology bid.",
        },
    )
    assert response.status_code == 302
    narrative = EvidenceNarrative.objects.get(strategy=cast.strategy, theme__slug="people")
    assert narrative.strengths == "Two universities." and narrative.updated_by == cast.officer
    assert AuditEvent.objects.filter(verb="evidence_narrative.saved").count() == 1
    # Saving again edits the same narrative.
    client.post(url, {"strengths": "Two universities and four colleges.", "challenges": "", "opportunities": ""})
    assert EvidenceNarrative.objects.get().strengths == "Two universities and four colleges."
    page = client.get(reverse("evidence:gaps", kwargs={"strategy_slug": cast.strategy.slug})).content.decode()
    assert "Two universities and four colleges." in page
    # Grand challenges have no narrative page; partners cannot write.
    challenge = Theme.objects.filter(kind=Theme.Kind.GRAND_CHALLENGE).first()
    assert challenge is not None
    assert client.get(url.replace("people", challenge.slug)).status_code == 404
    client.force_login(cast.partner)
    assert client.post(url, {"strengths": "x"}).status_code == 404
    assert EvidenceNarrative.objects.get().strengths == "Two universities and four colleges."
