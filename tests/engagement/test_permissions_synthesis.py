"""The synthesis pages and the XLSX exports × every role × two strategies, on the harness of
test_permissions.py: officers (and administrators) of the strategy only; everybody else 404,
anonymous visitors sent to sign in; and another strategy's call or consultation, asked for through
this strategy's address, is 404 for everyone, administrators included."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.conftest import Cast
from tests.engagement.test_permissions import OFFICERS, _objects
from tests.permissions import ROLES, WHICH, page_failures, sign_in, strategy_of

PAGES = [
    ("call-synthesis", "call", OFFICERS),
    ("call-export-xlsx", "call", OFFICERS),
    ("consultation-synthesis", "consultation", OFFICERS),
    ("consultation-export-xlsx", "consultation", OFFICERS),
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_synthesis_pages(client, cast: Cast, role: str, which: str) -> None:
    objects = _objects(cast, which)
    sign_in(client, cast, role)
    failures = page_failures(
        client,
        namespace="engagement",
        pages=PAGES,
        strategy=strategy_of(cast, which),
        objects=objects,
        role=role,
        own=which == "own",
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)
    exported = AuditEvent.objects.filter(verb__endswith="_exported", data__format="xlsx").count()
    assert exported == (2 if role in OFFICERS and (which == "own" or role == "admin") else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "admin"])
def test_another_strategys_objects_are_404_through_this_strategys_address(client, cast: Cast, role: str) -> None:
    _objects(cast, "own")
    other = _objects(cast, "other")
    client.force_login(cast.person(role))
    for name, needs, _ in PAGES:
        address = reverse(f"engagement:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": other[needs]})
        assert client.get(address).status_code == 404, name
    assert not AuditEvent.objects.filter(data__format="xlsx").exists()
