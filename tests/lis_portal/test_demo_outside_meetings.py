"""The demo's decisions outside meetings and forward plan (content/decisions.toml): made through
the services on their replayed days, illustrative, public, and the same rows on a second load."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditVerb
from core.models import AuditEvent
from timeline.models import Decision, ForwardPlanEntry, WrittenProcedure

pytestmark = pytest.mark.django_db


def load() -> None:
    call_command("loaddemo", stdout=io.StringIO())


def test_the_demo_has_a_written_procedure_a_delegated_decision_and_a_forward_plan() -> None:
    load()
    procedure = WrittenProcedure.objects.select_related("decision").get(board__strategy__slug="south-east")
    delegated = Decision.objects.get(kind=Decision.Kind.DELEGATED)
    today = timezone.localdate()

    assert procedure.status == "closed" and procedure.decision is not None
    assert procedure.decision.outcome == "approved" and procedure.decision.decided_on == procedure.closes_on
    assert procedure.decision.closes_phase is None and delegated.closes_phase is None
    assert procedure.decision.is_public(today) and delegated.is_public(today) and delegated.decided_on < today
    assert procedure.question.startswith("Illustrative") and delegated.text.startswith("Illustrative")
    assert AuditEvent.objects.filter(verb=AuditVerb.WRITTEN_PROCEDURE_CLOSED).count() == 1
    entries = ForwardPlanEntry.objects.filter(board__strategy__slug="south-east")
    assert entries.count() == 4 and all(entry.title.endswith("(demo)") for entry in entries)
    assert entries.get(status="taken").decision == procedure.decision

    page = Client().get(reverse("timeline:forward-plan", kwargs={"strategy_slug": "south-east"})).content.decode()
    detail = reverse("timeline:decision-detail", kwargs={"strategy_slug": "south-east", "pk": procedure.decision.pk})
    assert detail in page

    load()
    assert WrittenProcedure.objects.count() == 1 and ForwardPlanEntry.objects.count() == 4
    assert Decision.objects.exclude(kind=Decision.Kind.MEETING).count() == 2
    assert AuditEvent.objects.filter(verb=AuditVerb.WRITTEN_PROCEDURE_CLOSED).count() == 1
