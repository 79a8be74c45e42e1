"""Decisions outside meetings: written procedures and their responses; the forward plan."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from .meetings import Decision
from .process import Board


class WrittenProcedure(models.Model):
    """A board's members asked in writing to agree a resolution by a closing date. When it closes,
    an officer records the outcome the responses give, which becomes the board's Decision."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for responses"
        CLOSED = "closed", "Closed"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="written_procedures")
    question = models.TextField("resolution", help_text="The resolution put to the board's members.")
    closes_on = models.DateField("closing date", help_text="The last day members may respond.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="written_procedure"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-closes_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed") | Q(decision__isnull=True), name="written_procedure_open_undecided"
            )
        ]

    def __str__(self) -> str:
        return f"Written procedure of the {self.board}: {self.question[:60]}"

    def is_open(self, today: date) -> bool:
        return self.status == self.Status.OPEN and today <= self.closes_on

    def tally(self, responses: list[WrittenProcedureResponse] | None = None) -> dict[str, int]:
        """How many members agreed, disagreed and abstained (of `responses`, or of the prefetched ones)."""
        counted = dict.fromkeys(WrittenProcedureResponse.Answer.values, 0)
        for response in self.responses.all() if responses is None else responses:
            counted[response.answer] += 1
        return counted


class WrittenProcedureResponse(models.Model):
    """One member's response to a written procedure, recorded by an officer or by the member."""

    class Answer(models.TextChoices):
        AGREE = "agree", "Agree"
        DISAGREE = "disagree", "Disagree"
        ABSTAIN = "abstain", "Abstain"

    procedure = models.ForeignKey(WrittenProcedure, on_delete=models.CASCADE, related_name="responses")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    comment = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["procedure", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "member"], name="written_procedure_response_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_answer_display()}"


class ForwardPlanEntry(models.Model):
    """A decision the LEP expects to take: by which board (or officer), when, on what papers."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        TAKEN = "taken", "Taken"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Maker(models.TextChoices):
        BOARD = "board", "The board"
        OFFICER = "officer", "An officer, under a delegation of the board"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="forward_plan_entries")
    title = models.CharField("decision to be taken", max_length=300)
    expected_on = models.DateField("expected date")
    decision_maker = models.CharField("who decides", max_length=8, choices=Maker.choices, default=Maker.BOARD)
    officer = models.CharField(
        "officer", max_length=200, blank=True, help_text="When an officer decides, their name and post."
    )
    papers = models.TextField("papers expected", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="forward_plan_entries"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expected_on", "pk"]
        verbose_name_plural = "forward plan entries"
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="taken") | Q(decision__isnull=False), name="forward_plan_taken_has_decision"
            ),
            models.CheckConstraint(
                condition=~Q(decision_maker="officer") | ~Q(officer=""), name="forward_plan_officer_named"
            ),
        ]

    def __str__(self) -> str:
        return self.title
