"""The "you said, we did" URLs × every role × two strategies, as data.

Everybody, signed in or not, reads the published page of a closed consultation (any audience) or a
closed call of a published strategy; an open one is 404 for everybody (nothing is published while
people can still respond); an object of another strategy is 404 through this strategy's address;
an unpublished strategy's pages are 404 for the public (its members and administrators still reach
them, as for the strategy's other public pages)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Strategy
from engagement.models import Consultation
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_response, make_setting
from tests.permissions import ROLES, WHICH, sign_in

EVERYONE = set(ROLES)


def _objects(strategy: Strategy, code: int) -> dict[str, int]:
    setting = make_setting(strategy, code=code)
    partner = setting.strategy.partners.get(slug=f"{strategy.slug}-university").memberships.first()
    assert partner is not None
    closed = {}
    for audience in ("public", "partners", "councillors"):
        consultation = make_consultation(setting, audience=audience, title=f"Closed for {audience}")
        if audience != "councillors":
            make_response(setting, consultation, partner.user)
        closed[audience] = consultation.pk
    Consultation.objects.filter(pk__in=closed.values()).update(closes_at=timezone.now() - timedelta(minutes=1))
    open_consultation = make_consultation(setting, audience="public", title="Still open")
    return {
        "closed_public": closed["public"],
        "closed_partners": closed["partners"],
        "closed_councillors": closed["councillors"],
        "open_consultation": open_consultation.pk,
        "closed_call": setting.closed_call.pk,
        "open_call": setting.call.pk,
    }


# (url name, which object, who may GET it)
PAGES = [
    ("consultation-published", "closed_public", EVERYONE),
    ("consultation-published", "closed_partners", EVERYONE),
    ("consultation-published", "closed_councillors", EVERYONE),
    ("consultation-published", "open_consultation", set()),
    ("call-published", "closed_call", EVERYONE),
    ("call-published", "open_call", set()),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_published_pages(client, cast: Cast, role: str, which: str) -> None:
    """Own strategy: the table. Other strategy: its objects through its own address behave the same
    (the pages are public); the own strategy's objects through the other's address are always 404."""
    own = _objects(cast.strategy, 100)
    other = _objects(cast.other_strategy, 200) if which == "other" else own
    strategy = cast.strategy if which == "own" else cast.other_strategy
    sign_in(client, cast, role)
    failures = []
    for name, needs, allowed in PAGES:
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, "pk": other[needs]})
        status = client.get(url).status_code
        expected = 200 if role in allowed else 404
        if status != expected:
            failures.append(f"{name} ({needs}): {status}, expected {expected}")
    if which == "other":
        for name, needs, _ in PAGES:
            url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, "pk": own[needs]})
            status = client.get(url).status_code
            if status != 404:
                failures.append(f"cross-strategy {name} ({needs}): {status}, expected 404")
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_strategy_hides_its_published_pages_from_the_public(client, cast: Cast, role: str) -> None:
    objects = _objects(cast.strategy, 100)
    Strategy.objects.filter(pk=cast.strategy.pk).update(is_published=False)
    sign_in(client, cast, role)
    # Members of the strategy and administrators still see its public pages; everybody else 404.
    expected = 200 if role in {"councillor", "officer", "partner", "admin"} else 404
    for name, needs in (("consultation-published", "closed_public"), ("call-published", "closed_call")):
        url = reverse(f"engagement:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects[needs]})
        assert client.get(url).status_code == expected, (role, name)


@pytest.mark.django_db
def test_post_is_not_allowed(client, cast: Cast) -> None:
    objects = _objects(cast.strategy, 100)
    url = reverse(
        "engagement:consultation-published",
        kwargs={"strategy_slug": cast.strategy.slug, "pk": objects["closed_public"]},
    )
    assert client.post(url).status_code == 405
