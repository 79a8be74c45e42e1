"""The shared vocabulary's invariants, held by the database as well as by clean()."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Area, Membership, Organisation, Role, Strategy, Theme
from tests.factories import AreaFactory, MembershipFactory, OrganisationFactory, StrategyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (Area.Kind.DISTRICT, "E07000105"),
        (Area.Kind.DISTRICT, "E09000008"),
        (Area.Kind.COUNTY, "E10000016"),
        (Area.Kind.UNITARY, "E06000035"),
        (Area.Kind.ITL_REGION, "UKJ4"),
        (Area.Kind.ITL_REGION, "TLJ4"),
        (Area.Kind.ITL_REGION, "UKJ41"),
        (Area.Kind.ITL_REGION, "TLH3"),
        (Area.Kind.LEP_AREA, "E37000030"),
    ],
)
def test_area_code_fits_its_kind(kind: str, code: str) -> None:
    area = Area(code=code, name="Somewhere", kind=kind)
    area.full_clean()
    area.save()


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (Area.Kind.DISTRICT, "E06000035"),  # a unitary code called a district
        (Area.Kind.COUNTY, "E07000105"),
        (Area.Kind.UNITARY, "E0600003"),  # one digit short
        (Area.Kind.ITL_REGION, "E37000030"),
        (Area.Kind.LEP_AREA, "UKJ4"),
        (Area.Kind.ITL_REGION, "ukj4"),
    ],
)
def test_area_code_that_does_not_fit_is_refused_with_an_example(kind: str, code: str) -> None:
    area = Area(code=code, name="Somewhere", kind=kind)
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert "Enter a code like" in error.value.message_dict["code"][0]
    # The database refuses it too, whoever bypasses clean().
    with pytest.raises(IntegrityError), transaction.atomic():
        area.save()
    assert not Area.objects.filter(code=code).exists()


def test_area_code_unique_per_vintage() -> None:
    AreaFactory(code="E37000030", vintage="2017")
    AreaFactory(code="E37000030", vintage="2020")
    with pytest.raises(IntegrityError), transaction.atomic():
        AreaFactory(code="E37000030", vintage="2017")


def test_districts_sit_inside_counties_and_lep_areas() -> None:
    lep = AreaFactory(code="E37000030", name="South East")
    kent = Area.objects.create(code="UKJ4", name="Kent", kind=Area.Kind.ITL_REGION)
    ashford = Area.objects.create(code="E07000105", name="Ashford", kind=Area.Kind.DISTRICT)
    ashford.parents.add(lep, kent)
    assert set(kent.children.all()) == {ashford}
    assert set(ashford.parents.all()) == {lep, kent}


def test_themes_ship_five_foundations_and_four_grand_challenges() -> None:
    assert Theme.objects.filter(kind=Theme.Kind.FOUNDATION).count() == 5
    assert Theme.objects.filter(kind=Theme.Kind.GRAND_CHALLENGE).count() == 4
    assert "portal" in Theme.objects.get(slug="ideas").description_source
    assert "Guide for Councillors" in Theme.objects.get(slug="clean-growth").description_source


def test_user_email_is_stored_lower_case_and_unique() -> None:
    user = UserFactory(email="Ada@Example.ORG".lower())
    assert user.email == "ada@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory._meta.model.objects.create(email="ADA@example.org", name="Shouty")


def test_user_overlong_name_is_refused() -> None:
    user = UserFactory.build(email="long@example.org", name="x" * 151)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "name" in error.value.message_dict


def test_officer_must_belong_to_a_lep() -> None:
    council = OrganisationFactory(kind=Organisation.Kind.DISTRICT_COUNCIL)
    membership = Membership(user=UserFactory(), organisation=council, role=Role.OFFICER)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "LEP officers are members of a LEP" in error.value.message_dict["role"][0]


def test_councillor_must_belong_to_a_council() -> None:
    university = OrganisationFactory(kind=Organisation.Kind.UNIVERSITY)
    membership = Membership(user=UserFactory(), organisation=university, role=Role.COUNCILLOR)
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_one_membership_per_person_and_organisation() -> None:
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, organisation=membership.organisation, role=Role.PARTNER)


def test_strategy_is_led_by_a_lep() -> None:
    strategy = StrategyFactory.build(lead=OrganisationFactory(kind=Organisation.Kind.UNIVERSITY), area=None)
    with pytest.raises(ValidationError) as error:
        strategy.full_clean()
    assert "led by a LEP" in error.value.message_dict["lead"][0]


@pytest.mark.parametrize("slug", sorted(Strategy.RESERVED_SLUGS))
def test_strategy_slug_cannot_take_a_portal_path(slug: str) -> None:
    strategy = StrategyFactory.build(slug=slug, lead=OrganisationFactory(kind=Organisation.Kind.LEP), area=None)
    with pytest.raises(ValidationError) as error:
        strategy.full_clean()
    assert "used by the portal itself" in error.value.message_dict["slug"][0]
