"""factory_boy factories for the shared vocabulary and the timeline."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from core.models import Area, Membership, Organisation, Role, Strategy, User
from timeline.models import Board, BoardMembership, Milestone, Phase

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    code = factory.Sequence(lambda n: f"E37{n:06d}")
    name = factory.Sequence(lambda n: f"LEP area {n}")
    kind = Area.Kind.LEP_AREA
    vintage = "2017"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.BUSINESS_GROUP


class StrategyFactory(DjangoModelFactory):
    class Meta:
        model = Strategy

    slug = factory.Sequence(lambda n: f"strategy-{n}")
    name = factory.Sequence(lambda n: f"Strategy {n}")
    lead = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.LEP)
    area = factory.SubFactory(AreaFactory)
    summary = "A Local Industrial Strategy for tests."
    aims = "Increase productivity\nLet all communities benefit"


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER


class BoardFactory(DjangoModelFactory):
    class Meta:
        model = Board

    strategy = factory.SubFactory(StrategyFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    kind = Board.Kind.STRATEGIC


class BoardMembershipFactory(DjangoModelFactory):
    class Meta:
        model = BoardMembership

    board = factory.SubFactory(BoardFactory)
    user = factory.SubFactory(UserFactory)


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase

    strategy = factory.SubFactory(StrategyFactory)
    stage = Phase.Stage.SCOPING
    order = 1
    name = "Scoping"
    planned_start = datetime.date(2026, 6, 1)
    planned_end = datetime.date(2026, 7, 31)


class MilestoneFactory(DjangoModelFactory):
    class Meta:
        model = Milestone

    phase = factory.SubFactory(PhaseFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    order = factory.Sequence(lambda n: n)
