"""The timeline's sub-navigation offers only what the reader may open: meetings are for officers and
the boards' members, so councillors and partners are not sent to a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "sees_meetings"),
    [("officer", True), ("admin", True), ("board_member", True), ("councillor", False), ("partner", False)],
)
def test_the_meetings_link_is_offered_to_those_who_may_open_it(
    client, cast: Cast, role: str, sees_meetings: bool
) -> None:
    from tests.timeline.conftest import make_process

    make_process(cast.strategy)
    client.force_login(getattr(cast, role))
    page = client.get(reverse("timeline:gantt", kwargs={"strategy_slug": cast.strategy.slug}))
    assert page.status_code == 200
    meetings = reverse("timeline:meeting-list", kwargs={"strategy_slug": cast.strategy.slug})
    assert (f'href="{meetings}"' in page.content.decode()) is sees_meetings
    if sees_meetings:
        assert client.get(meetings).status_code == 200
