"""Every engagement URL × every role × two strategies, as data.

Councillors of the strategy's councils see the calls and write their council's priorities; officers
(and administrators) run the calls and see submitted priorities; everybody else gets 404, and
anonymous visitors are sent to sign in. A priority of another strategy is never reachable through
this strategy's addresses, and a draft is the council's alone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import User
from engagement.models import Priority
from tests.conftest import Cast
from tests.engagement.conftest import Setting, make_priority, make_setting

ROLES = ["anonymous", "outsider", "councillor", "officer", "board_member", "partner", "admin"]
MEMBERS = {"councillor", "officer", "partner", "admin"}
CALLS = {"councillor", "officer", "admin"}
OFFICERS = {"officer", "admin"}
COUNCIL = {"councillor"}

# (url name, which object it needs, who may GET it in their own strategy)
PAGES = [
    ("index", None, MEMBERS),
    ("call-list", None, CALLS),
    ("call-create", None, OFFICERS),
    ("call-detail", "call", CALLS),
    ("call-edit", "call", OFFICERS),
    ("call-priorities", "call", OFFICERS),
    ("call-export", "call", OFFICERS),
    ("priority-create", "call", COUNCIL),
    ("priority-list", None, COUNCIL),
    ("priority-detail", "submitted", {"councillor", "officer", "admin"}),
    ("priority-detail", "draft", COUNCIL),
    ("priority-edit", "submitted", COUNCIL),
    ("priority-edit", "draft", COUNCIL),
    ("priority-withdraw", "submitted", COUNCIL),
    ("priority-code", "submitted", OFFICERS),
    ("priority-code", "draft", set()),
    ("priority-respond", "submitted", OFFICERS),
    ("priority-hide", "submitted", OFFICERS),
]

# POST-only actions: (url name, object, data, who may do it)
ACTIONS: list[tuple[str, str, dict[str, str], set[str]]] = [
    ("priority-submit", "draft", {}, COUNCIL),
    ("priority-unhide", "hidden", {}, OFFICERS),
]


def _objects(cast: Cast, strategy_key: str) -> dict[str, int]:
    strategy = cast.strategy if strategy_key == "own" else cast.other_strategy
    setting = make_setting(strategy, code=100 if strategy_key == "own" else 200)
    author = cast.councillor if strategy_key == "own" else _other_councillor(setting)
    submitted = make_priority(setting, author)
    draft = make_priority(setting, author, submit=False, title="A draft")
    hidden = make_priority(setting, author, title="Hidden")
    Priority.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_reason="Test")
    return {"call": setting.call.pk, "submitted": submitted.pk, "draft": draft.pk, "hidden": hidden.pk}


def _other_councillor(setting: Setting) -> User:
    return User.objects.get(email=f"councillor@{setting.strategy.slug}.example")


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or (role == "admin" and allowed is not COUNCIL)):
        return 200
    return 302 if role == "anonymous" else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "other"])
def test_engagement_pages(client, cast: Cast, role: str, which: str) -> None:
    objects = _objects(cast, which)
    strategy = cast.strategy if which == "own" else cast.other_strategy
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    failures = []
    for name, needs, allowed in PAGES:
        kwargs: dict[str, object] = {"strategy_slug": strategy.slug}
        if needs:
            kwargs["pk"] = objects[needs]
        response = client.get(reverse(f"engagement:{name}", kwargs=kwargs))
        expected = _expected(role, allowed, own=which == "own")
        if response.status_code != expected:
            failures.append(f"{name} ({needs}): {response.status_code}, expected {expected}")
        if expected == 302 and response.status_code == 302:
            assert response.url.startswith(reverse("accounts:login"))
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize(("name", "needs", "data", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_engagement_actions(
    client, cast: Cast, role: str, which: str, name: str, needs: str, data: dict[str, str], allowed: set[str]
) -> None:
    objects = _objects(cast, which)
    strategy = cast.strategy if which == "own" else cast.other_strategy
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    url = reverse(f"engagement:{name}", kwargs={"strategy_slug": strategy.slug, "pk": objects[needs]})
    before = Priority.objects.get(pk=objects[needs])
    response = client.post(url, data)
    after = Priority.objects.get(pk=objects[needs])
    may = role in allowed and (which == "own" or (role == "admin" and allowed is not COUNCIL))
    if may:
        assert response.status_code == 302
        assert (before.status, before.is_hidden) != (after.status, after.is_hidden)
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert (before.status, before.is_hidden) == (after.status, after.is_hidden)


@pytest.mark.django_db
def test_a_priority_is_not_reachable_through_another_strategy(client, cast: Cast) -> None:
    """An officer of the other strategy, and the other strategy's address, both get 404."""
    objects = _objects(cast, "own")
    client.force_login(cast.other_officer)
    for strategy in (cast.strategy, cast.other_strategy):
        url = reverse("engagement:priority-detail", kwargs={"strategy_slug": strategy.slug, "pk": objects["submitted"]})
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_colleagues_of_the_same_council_see_the_councils_priorities(client, cast: Cast) -> None:
    from core.models import Organisation, Role
    from tests.factories import MembershipFactory

    objects = _objects(cast, "own")
    council = Organisation.objects.get(slug="kent-council")
    colleague = MembershipFactory(organisation=council, role=Role.COUNCILLOR).user
    client.force_login(colleague)
    for needs in ("submitted", "draft"):
        url = reverse("engagement:priority-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": objects[needs]})
        assert client.get(url).status_code == 200
    listing = client.get(reverse("engagement:priority-list", kwargs={"strategy_slug": cast.strategy.slug}))
    assert "A draft" in listing.content.decode()
