"""Every published-strategy URL × every role × two strategies, with the edition's day not yet come
and come, as data.

The strategy's page (its latest edition whose day has come) and an edition by number are for
everybody from the edition's day, signed out included, whichever strategy; before it, the strategy's
page is a 404 for everybody (nothing to sign in for) and an edition is the officers'. The publish
page is the officers'. The edition's PDF (its pack) is public from the same day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Strategy
from documents.models import Pack
from tests.conftest import Cast
from tests.documents.publishing import make_publishable, publish
from tests.permissions import ROLES, WHICH, page_failures, sign_in, strategy_of

EVERYBODY = set(ROLES)
OFFICERS = {"officer", "admin"}
NOBODY: set[str] = set()
PUBLISHED_ON = date(2026, 11, 9)
WHEN = {  # in the past, so that the test's signed-in session has not expired by then
    "before": timezone.make_aware(datetime(2026, 11, 8, 12, 0)),
    "after": timezone.make_aware(datetime(2026, 11, 9, 12, 0)),
}

# (url name, edition, who may GET it in their own strategy, before / after the edition's day)
PAGES: list[tuple[str, str | None, set[str], set[str]]] = [
    ("publication-latest", None, NOBODY, EVERYBODY),
    ("publication-edition", "1", OFFICERS, EVERYBODY),
    ("publication-edition", "2", NOBODY, NOBODY),  # no such edition
    ("publication-publish", None, OFFICERS, OFFICERS),
    ("pack-detail", "pack", {"officer", "board_member", "admin"}, EVERYBODY),
    ("pack-download", "pack", {"officer", "board_member", "admin"}, EVERYBODY),
]


def make_edition(strategy: Strategy) -> dict[str, Any]:
    ready = make_publishable(strategy)
    edition = publish(ready, on=PUBLISHED_ON, today=date(2026, 11, 1))
    assert edition.pack is not None
    # The PDF as the worker leaves it (the worker's own test renders it for real).
    Pack.objects.filter(pk=edition.pack.pk).update(
        status=Pack.Status.READY, file="documents/packs/missing.pdf", sha256="0" * 64, page_count=3
    )
    return {"pack": edition.pack.pk}


def _url_kwargs(strategy: Strategy, needs: str | None, objects: Mapping[str, Any]) -> dict[str, object]:
    kwargs: dict[str, object] = {"strategy_slug": strategy.slug}
    if needs == "pack":
        kwargs["pk"] = objects["pack"]
    elif needs:
        kwargs["edition"] = int(needs)
    return kwargs


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    # A published strategy's pages are a 404 for everybody, signed out included.
    return 404


def _sign_in_first(role: str, allowed: set[str], *, own: bool) -> int:
    """The publish page and the PDF (a pack) send an anonymous visitor they do not show to sign in."""
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    return 302 if role == "anonymous" else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("when", list(WHEN))
def test_published_strategy_pages(client, cast: Cast, media, role: str, which: str, when: str) -> None:
    strategy = strategy_of(cast, which)
    objects = make_edition(strategy)
    if which == "other":
        make_edition(cast.strategy)
    (media / "documents/packs").mkdir(parents=True)
    (media / "documents/packs/missing.pdf").write_bytes(b"%PDF-1.7\n")
    sign_in(client, cast, role)
    pages = [(name, needs, before if when == "before" else after) for name, needs, before, after in PAGES]
    failures: list[str] = []
    with time_machine.travel(WHEN[when], tick=False):
        for name, needs, allowed in pages:
            failures += page_failures(
                client,
                namespace="documents",
                pages=[(name, needs, allowed)],
                strategy=strategy,
                objects=objects,
                role=role,
                own=which == "own",
                expected=_expected
                if name.startswith(("publication-latest", "publication-edition"))
                else _sign_in_first,
                url_kwargs=_url_kwargs,
            )
    assert not failures, f"{role} in the {which} strategy, {when} the edition's day:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_publishing_is_the_officers(client, cast: Cast, role: str) -> None:
    ready = make_publishable(cast.strategy)
    sign_in(client, cast, role)
    url = reverse("documents:publication-publish", kwargs={"strategy_slug": cast.strategy.slug})
    response = client.post(
        url,
        {
            "version": ready.version.pk,
            "decision": ready.decision.pk,
            "published_on_0": "1",
            "published_on_1": "3",
            "published_on_2": "2099",
            "summary": "Our plan.",
        },
    )
    if role in OFFICERS:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert ready.strategy.publications.count() == 1
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert ready.strategy.publications.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_strategys_edition_stays_with_its_people(client, cast: Cast, media, role: str) -> None:
    make_edition(cast.strategy)
    cast.strategy.is_published = False
    cast.strategy.save()
    sign_in(client, cast, role)
    url = reverse("documents:publication-latest", kwargs={"strategy_slug": cast.strategy.slug})
    with time_machine.travel(WHEN["after"], tick=False):
        status = client.get(url).status_code
    # core.access.get_strategy_or_404: an unpublished strategy's members and administrators (a board
    # member who is not a member of one of its organisations does not see the strategy at all).
    readers = {"councillor", "officer", "partner", "admin"}
    assert status == (200 if role in readers else 404)
