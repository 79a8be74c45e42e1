"""The process: the six phases with their milestones, and the boards whose decisions move it on."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import Organisation, Strategy


class Board(models.Model):
    """The Strategic Board, or the board of a federated area."""

    class Kind(models.TextChoices):
        STRATEGIC = "strategic", "Strategic Board"
        FEDERATED = "federated", "Federated board"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boards",
        help_text="For a federated board, the federated area partnership it belongs to.",
    )
    phases_closed_outside_meetings = models.BooleanField(
        "The board’s rules allow a written procedure to close a phase",
        default=False,
        help_text="When ticked, a written procedure of this board that approves may close the phase it closes.",
    )

    class Meta:
        ordering = ["strategy", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["strategy", "name"], name="board_strategy_name_unique")]

    def __str__(self) -> str:
        return self.name


class BoardMembership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"
        OBSERVER = "observer", "Observer"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    organisation_name = models.CharField(
        "organisation", max_length=200, blank=True, help_text="The organisation or sector the member represents."
    )

    class Meta:
        ordering = ["board", "role", "user__name"]
        constraints = [models.UniqueConstraint(fields=["board", "user"], name="board_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.board}"


class Phase(models.Model):
    """One of the six phases. It closes when the named board records the decision that closes it."""

    class Stage(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        EVIDENCE = "evidence", "Building the evidence base and defining propositions"
        DRAFTING = "drafting", "Drafting of the LIS"
        SIGN_OFF = "sign_off", "LIS sign-off"
        CO_DESIGN = "co_design", "Co-design with government"
        IMPLEMENTATION = "implementation", "Negotiation and implementation"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="phases")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    planned_start = models.DateField()
    planned_end = models.DateField()
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    closing_board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The board whose decision closes this phase.",
    )
    original_dates = models.CharField(
        max_length=60, blank=True, help_text="The dates as first published, when the schedule shown is shifted."
    )

    class Meta:
        ordering = ["strategy", "order"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "stage"], name="phase_strategy_stage_unique"),
            models.UniqueConstraint(fields=["strategy", "order"], name="phase_strategy_order_unique"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="phase_planned_order"),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=False, actual_end__gte=F("actual_start")),
                name="phase_actual_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": "The planned end must be on or after the planned start."})
        if self.actual_end and not self.actual_start:
            raise ValidationError({"actual_start": "Enter the actual start before the actual end."})
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            raise ValidationError({"actual_end": "The actual end must be on or after the actual start."})

    def status_on(self, day: date) -> str:
        if self.actual_end:
            return "complete"
        if self.actual_start:
            return "current"
        return "not started"


class Milestone(models.Model):
    """A task of a phase, with its owner, due date and status."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        AT_RISK = "at_risk", "At risk"
        BLOCKED = "blocked", "Blocked"
        DONE = "done", "Done"

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    is_key = models.BooleanField("key milestone", default=False)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the task comes from, e.g. a seed page.")
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        help_text="Milestones that must be done before this one can be.",
    )
    decision = models.ForeignKey(
        "Decision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The decision that created this milestone as a follow-up action.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["phase__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "title"], name="milestone_phase_title_unique"),
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="milestone_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timeline:milestone-detail", kwargs={"strategy_slug": self.phase.strategy.slug, "pk": self.pk})

    def is_overdue(self, today: date) -> bool:
        return self.status != self.Status.DONE and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today: date, days: int = 7) -> bool:
        return (
            self.status != self.Status.DONE
            and self.due_date is not None
            and today <= self.due_date <= today + timedelta(days=days)
        )
