"""What a consultation consults on: its URLs × every role × two strategies, as data.

The officers' pages (choose the propositions, upload a document, choose the draft version, remove
a document) are the officers' and administrators'. The draft version's read-only page and an
uploaded document are for whoever may read the consultation: for one addressed to partners, its
partners, officers and administrators; for one open to the public, everyone, signed in or not
(linking a draft version publishes it to the consultation's audience). Everybody else gets 404,
anonymous visitors are sent to sign in, and nothing is reachable through another strategy's address."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from engagement.models import ConsultationDocument
from tests.conftest import Cast
from tests.engagement.consulted_helpers import make_consulted
from tests.permissions import ROLES, WHICH, action_failures, expected_status, sign_in, strategy_of

EVERYONE = set(ROLES)
CONSULTED = {"partner", "officer", "admin"}
OFFICERS = {"officer", "admin"}

# (namespace, url name, the object it needs, who may GET it in their own strategy)
PAGES = [
    ("engagement", "consultation-propositions", "partners", OFFICERS),
    ("engagement", "consultation-propositions", "public", OFFICERS),
    ("engagement", "consultation-document-add", "partners", OFFICERS),
    ("engagement", "consultation-document-add", "public", OFFICERS),
    ("engagement", "consultation-document", "partners_document", CONSULTED),
    ("engagement", "consultation-document", "public_document", EVERYONE),
    ("documents", "consulted-draft", "partners", CONSULTED),
    ("documents", "consulted-draft", "public", EVERYONE),
    ("documents", "consulted-draft-set", "partners", OFFICERS),
    ("documents", "consulted-draft-set", "public", OFFICERS),
]
# POST-only actions: (url name, object, who may do it)
ACTIONS = [("consultation-document-remove", "partners_document", OFFICERS)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _objects(cast: Cast, which: str) -> dict[str, int]:
    made = make_consulted(strategy_of(cast, which), code=100 if which == "own" else 200)
    return {
        "partners": made.partners.pk,
        "public": made.public.pk,
        "partners_document": made.partners_document.pk,
        "public_document": made.public_document.pk,
    }


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    return 200 if allowed == EVERYONE else expected_status(role, allowed, own=own)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_consulted_pages(client, cast: Cast, role: str, which: str) -> None:
    objects = _objects(cast, which)
    strategy = strategy_of(cast, which)
    sign_in(client, cast, role)
    failures = []
    for namespace, name, needs, allowed in PAGES:
        url = reverse(f"{namespace}:{name}", kwargs={"strategy_slug": strategy.slug, "pk": objects[needs]})
        response = client.get(url)
        want = _expected(role, allowed, own=which == "own")
        if response.status_code != want:
            failures.append(f"{namespace}:{name} ({needs}): {response.status_code}, expected {want}")
        elif want == 302:
            assert response.url.startswith(reverse("accounts:login"))
    if which == "other":
        # This strategy's objects through the other strategy's address (the own one's): never.
        for namespace, name, needs, _ in PAGES:
            url = reverse(f"{namespace}:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects[needs]})
            status = client.get(url).status_code
            want = 302 if role == "anonymous" else 404
            if status != want:
                failures.append(f"cross-strategy {namespace}:{name} ({needs}): {status}, expected {want}")
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_consulted_actions(client, cast: Cast, role: str, which: str) -> None:
    objects = _objects(cast, which)
    sign_in(client, cast, role)
    failures = action_failures(
        client,
        namespace="engagement",
        actions=[(name, needs, allowed) for name, needs, allowed in ACTIONS],
        strategy=strategy_of(cast, which),
        objects=objects,
        role=role,
        own=which == "own",
    )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)
    removed = not ConsultationDocument.objects.filter(pk=objects["partners_document"]).exists()
    assert removed == (role in OFFICERS and (which == "own" or role == "admin"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r not in OFFICERS])
def test_only_officers_change_what_is_consulted_on(client, cast: Cast, role: str) -> None:
    """A POST to the officers' pages by anyone else changes nothing: 404, or sign in."""
    objects = _objects(cast, "own")
    sign_in(client, cast, role)
    slug = cast.strategy.slug
    posts = [
        ("engagement:consultation-propositions", {"version": "99"}),
        ("engagement:consultation-document-add", {"title": "Sneaky"}),
        ("documents:consulted-draft-set", {"version": ""}),
    ]
    for name, data in posts:
        url = reverse(name, kwargs={"strategy_slug": slug, "pk": objects["partners"]})
        assert client.post(url, data).status_code == (302 if role == "anonymous" else 404), name
    assert ConsultationDocument.objects.filter(consultation_id=objects["partners"]).count() == 1
    url = reverse("documents:consulted-draft", kwargs={"strategy_slug": slug, "pk": objects["partners"]})
    client.force_login(cast.partner)
    assert client.get(url).status_code == 200  # still linked
