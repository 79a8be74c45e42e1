"""The API answers 400, naming the filter, when a filter cannot mean anything — it never ignores it
and answers with everything (issue 13, item 11)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/observations/?year=abc", "year"),
        ("/api/observations/?year=20.5", "year"),
        ("/api/evidence-items/?published_after=yesterday", "published_after"),
        ("/api/evidence-items/?published_before=2021-13-01", "published_before"),
        ("/api/evidence-items/?kind=rumour", "kind"),
        ("/api/indicators/?layout=xls", "layout"),
    ],
)
def test_a_filter_that_cannot_mean_anything_is_refused(client, url: str, name: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize(
    "url",
    ["/api/observations/?year=2021", "/api/evidence-items/?published_after=2021-03-31", "/api/indicators/?layout=bres"],
)
def test_good_filters_still_answer(client, url: str) -> None:
    assert client.get(url).status_code == 200
