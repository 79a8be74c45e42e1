"""Roles in a strategy come from memberships of its lead LEP and partner organisations."""

from __future__ import annotations

import pytest

from core.models import Organisation, Role
from core.rules import strategy_roles
from tests.conftest import Cast
from tests.factories import MembershipFactory, OrganisationFactory
from timeline.rules import is_board_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "own_roles"),
    [
        ("officer", {Role.OFFICER}),
        ("councillor", {Role.COUNCILLOR}),
        ("partner", {Role.PARTNER}),
        ("board_member", set()),
        ("outsider", set()),
        ("admin", set()),
    ],
)
def test_roles_in_own_and_other_strategy(cast: Cast, person: str, own_roles: set[str]) -> None:
    user = getattr(cast, person)
    assert strategy_roles(user, cast.strategy) == own_roles
    assert strategy_roles(user, cast.other_strategy) == frozenset()


def test_board_member_is_a_board_member_of_own_strategy_only(cast: Cast) -> None:
    assert is_board_member(cast.board_member, cast.strategy)
    assert not is_board_member(cast.board_member, cast.other_strategy)
    assert not is_board_member(cast.officer, cast.strategy)


def test_a_council_in_two_strategies_sees_both(cast: Cast) -> None:
    surrey = OrganisationFactory(name="Surrey County Council", kind=Organisation.Kind.COUNTY_COUNCIL)
    cast.strategy.partners.add(surrey)
    cast.other_strategy.partners.add(surrey)
    councillor = MembershipFactory(organisation=surrey, role=Role.COUNCILLOR).user
    assert strategy_roles(councillor, cast.strategy) == {Role.COUNCILLOR}
    assert strategy_roles(councillor, cast.other_strategy) == {Role.COUNCILLOR}


def test_inactive_person_has_no_role(cast: Cast) -> None:
    cast.officer.is_active = False
    assert strategy_roles(cast.officer, cast.strategy) == frozenset()


def test_roles_cost_two_queries_once_per_strategy(cast: Cast, django_assert_num_queries) -> None:
    user = cast.officer
    with django_assert_num_queries(2):
        strategy_roles(user, cast.strategy)
        strategy_roles(user, cast.strategy)
