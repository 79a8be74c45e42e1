"""The process: the six phases with their milestones, and the boards whose decisions move it on."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

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


class Meeting(models.Model):
    """A board meeting, with the publication deadlines the LEP assurance rules set."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        PAPERS_PUBLISHED = "papers_published", "Papers published"
        HELD = "held", "Held"
        MINUTES_PUBLISHED = "minutes_published", "Minutes published"
        CANCELLED = "cancelled", "Cancelled"

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True, help_text="The place, if it meets in person.")
    online_url = models.URLField("online link", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    papers_published_on = models.DateField(null=True, blank=True)
    minutes_published_on = models.DateField(null=True, blank=True)
    minutes_circulated_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day the draft minutes went to the board's members (timeline/minutes): on time when "
        "within ten clear working days of the meeting, as publishing them would be.",
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["board", "starts_at"], name="meeting_board_time")]

    def __str__(self) -> str:
        return f"{self.title}, {self.starts_at:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        """The meeting's one page (registered by the app that owns it, timeline/meeting_page.py);
        timeline's own address, which leads there, while none is."""
        from .meeting_page import meeting_page_url

        return meeting_page_url(self) or reverse(
            "timeline:meeting-detail", kwargs={"strategy_slug": self.board.strategy.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        super().clean()
        if self.online_url and not self.online_url.lower().startswith(("https://", "http://")):
            raise ValidationError({"online_url": "Enter a web address that starts with https://"})


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    presenter = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)

    class Meta:
        ordering = ["meeting", "user__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"


class Declaration(models.Model):
    """A declaration of interest by a person present, on one agenda item."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="declarations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    interest = models.TextField(help_text="The interest, and whether the person left the room or took no part.")

    class Meta:
        ordering = ["agenda_item", "user__name"]

    def __str__(self) -> str:
        return f"{self.user} on item {self.agenda_item.number}"


class DecisionQuerySet(models.QuerySet["Decision"]):
    def public(self, today: date) -> DecisionQuerySet:
        """Published decisions whose publication date (if any) has come."""
        return self.filter(is_published=True).filter(Q(published_on__isnull=True) | Q(published_on__lte=today))


class Decision(models.Model):
    """What a board decided: at a meeting, by written procedure, or by an officer under a
    delegation of the board. A decision of the board may close the phase its board closes (by
    written procedure only where the board's rules allow it); a delegated one never does."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        AMENDED = "amended", "Approved as amended"
        DEFERRED = "deferred", "Deferred"
        REJECTED = "rejected", "Rejected"

    class Kind(models.TextChoices):
        MEETING = "meeting", "At a meeting"
        WRITTEN = "written", "By written procedure"
        DELEGATED = "delegated", "Delegated to an officer"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MEETING)
    board = models.ForeignKey(
        Board,
        on_delete=models.CASCADE,
        related_name="decisions",
        help_text="The board that decided, or whose decision was delegated.",
    )
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField(
        "decision date", help_text="The meeting's day, the day a written procedure closed, or the officer's decision."
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    phase = models.ForeignKey(
        Phase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text="The phase the decision concerns.",
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        help_text="The milestone the decision concerns.",
    )
    closes_phase = models.OneToOneField(
        Phase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closing_decision",
        help_text="The phase this decision closes, moving the strategy on to the next.",
    )
    is_published = models.BooleanField(default=True, help_text="Shown on the public timeline.")
    published_on = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="When published, the day it becomes public; none: public at once.",
    )
    delegate_name = models.CharField(
        "decided by", max_length=150, blank=True, help_text="For a delegated decision, the officer's name."
    )
    delegate_post = models.CharField(
        "post", max_length=150, blank=True, help_text="For a delegated decision, the officer's post."
    )
    delegation = models.TextField(
        blank=True, help_text="For a delegated decision, the delegation it rests on: which board, when, what."
    )
    delegated_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegated_decisions",
        help_text="The board's decision that delegated this one, if recorded here.",
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["board", "decided_on"], name="decision_board_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_phase__isnull=True) | Q(outcome__in=["approved", "amended"]),
                name="decision_closing_is_approved",
            ),
            models.CheckConstraint(
                condition=Q(kind="meeting", meeting__isnull=False) | (~Q(kind="meeting") & Q(meeting__isnull=True)),
                name="decision_meeting_only_at_meetings",
            ),
            models.CheckConstraint(
                condition=~Q(kind="delegated")
                | (~Q(delegate_name="") & ~Q(delegation="") & Q(closes_phase__isnull=True)),
                name="decision_delegated_names_officer",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.take_meeting_details()
        super().save(*args, **kwargs)

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self.take_meeting_details()
        super().full_clean(*args, **kwargs)

    def take_meeting_details(self) -> None:
        """A meeting's decision belongs to the meeting's board and is dated the meeting's day."""
        if self.kind == self.Kind.MEETING and self.meeting_id is not None:
            meeting = self.meeting
            assert meeting is not None
            self.board_id = meeting.board_id
            self.decided_on = timezone.localtime(meeting.starts_at).date()

    def is_public(self, today: date) -> bool:
        """Published, and its publication date (if any) has come."""
        return self.is_published and (self.published_on is None or self.published_on <= today)

    @property
    def decision_maker(self) -> str:
        """Who decided: the board, or the named officer."""
        if self.kind == self.Kind.DELEGATED:
            return ", ".join(part for part in (self.delegate_name, self.delegate_post) if part)
        return self.board.name

    @property
    def how_taken(self) -> str:
        """How the decision was taken, as the pages say it ("By written procedure, closed 3 June 2026")."""
        if self.kind == self.Kind.WRITTEN:
            return f"By written procedure, closed {self.decided_on:%-d %B %Y}"
        if self.kind == self.Kind.DELEGATED:
            return f"Delegated to {self.decision_maker}"
        return f"At the meeting {self.meeting.title}" if self.meeting else "At a meeting"


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


class CalendarFeed(models.Model):
    """A person's secret calendar address. Resetting it changes the token, so old links stop."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"


class ReminderSent(models.Model):
    """One row per reminder sent. Its unique key is what stops a second beat sending it again."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest of milestones"
        PAPERS = "papers", "Papers deadline"
        MINUTES = "minutes", "Minutes deadline"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "day"], condition=Q(meeting__isnull=True), name="reminder_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["kind", "user", "meeting"], condition=Q(meeting__isnull=False), name="reminder_once_a_meeting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.user} on {self.day}"


class Minutes(models.Model):
    """One version of a meeting's minutes, written in Markdown. A version moves draft →
    circulated to the board → approved (by a decision of a later meeting of the same board) →
    published. A published version is never edited: a correction is the next version, published
    with its reason, and the one it replaces stays readable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        CIRCULATED = "circulated", "Circulated to the board"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveSmallIntegerField("version number", default=1)
    body = models.TextField("minutes", help_text="Markdown.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_by_decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
        help_text="The decision of a later meeting that approved these minutes as a correct record.",
    )
    published_on = models.DateField("publication date", null=True, blank=True)
    correction_reason = models.TextField(
        "reason for the correction", blank=True, help_text="Why this version replaces the one before it."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name_plural = "minutes"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_number_unique"),
            # Published versions pile up; at most one version is being written at a time.
            models.UniqueConstraint(
                fields=["meeting"], condition=~Q(status="published"), name="minutes_one_unpublished_version"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="minutes_number_positive"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(circulated_at__isnull=False), name="minutes_circulated_has_time"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "circulated"]) | Q(approved_by_decision__isnull=False),
                name="minutes_approved_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(status="published", published_on__isnull=False)
                | (~Q(status="published") & Q(published_on__isnull=True)),
                name="minutes_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(correction_reason=""), name="minutes_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "timeline:minutes-version",
            kwargs={"strategy_slug": self.meeting.board.strategy.slug, "pk": self.meeting_id, "number": self.number},
        )

    def is_public(self, today: date) -> bool:
        """Published on a day that has come."""
        return self.status == self.Status.PUBLISHED and self.published_on is not None and self.published_on <= today


# A register is confirmed up to date every year; a change is registered within 28 days of it.
REVIEW_EVERY_DAYS = 365
REGISTER_WITHIN_DAYS = 28


class InterestRegister(models.Model):
    """A board member's register of interests in one strategy: one per person, however many of
    the strategy's boards they sit on. Its entries are never deleted (ended ones stay, as history)."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="interest_registers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_registers")
    opened_on = models.DateField(
        default=timezone.localdate, help_text="When the register was opened: near enough, the member's first day."
    )
    reviewed_on = models.DateField(null=True, blank=True, help_text="When the member last confirmed it up to date.")
    review_reminded_on = models.DateField(
        null=True, blank=True, help_text="When the member was last reminded to review it (cleared by a review)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["strategy", "user__name"]
        constraints = [models.UniqueConstraint(fields=["strategy", "user"], name="interest_register_unique")]

    def __str__(self) -> str:
        return f"Register of interests of {self.user}"

    def review_due(self, today: date) -> bool:
        """Never confirmed, or last confirmed a year or more ago."""
        return self.reviewed_on is None or self.reviewed_on <= today - timedelta(days=REVIEW_EVERY_DAYS)


class InterestEntry(models.Model):
    """One interest on a register: what, with whom, from when (and until when, once ended)."""

    class Category(models.TextChoices):
        EMPLOYMENT = "employment", "Employment, office, trade or profession"
        DIRECTORSHIP = "directorship", "Directorships"
        LAND = "land", "Land and property"
        GIFT = "gift", "Gifts and hospitality"
        SPONSORSHIP = "sponsorship", "Sponsorship"
        SECURITIES = "securities", "Securities and shareholdings"
        MEMBERSHIP = "membership", "Other memberships (bodies, charities, clubs)"

    register = models.ForeignKey(InterestRegister, on_delete=models.CASCADE, related_name="entries")
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.CharField(max_length=500)
    organisation = models.CharField("organisation", max_length=200, blank=True)
    starts_on = models.DateField("start date")
    ends_on = models.DateField("end date", null=True, blank=True)
    gift_value = models.PositiveIntegerField(
        "value in pounds", null=True, blank=True, help_text="For gifts and hospitality: the value, in whole pounds."
    )
    registered_on = models.DateField(help_text="The day the entry was added to the register.")
    end_registered_on = models.DateField(null=True, blank=True, help_text="The day its end was recorded.")
    declarations = models.ManyToManyField(
        Declaration,
        blank=True,
        related_name="register_entries",
        help_text="Declarations made at meetings from this entry.",
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["register", "category", "-starts_on", "pk"]
        verbose_name_plural = "interest entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="interest_entry_dates_order"
            ),
            models.CheckConstraint(
                condition=~Q(category="gift") | Q(gift_value__isnull=False), name="interest_entry_gift_has_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.organisation})" if self.organisation else self.description

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
        if self.category == self.Category.GIFT and self.gift_value is None:
            raise ValidationError({"gift_value": "Enter the value of the gift or hospitality, in pounds."})

    def is_current(self, today: date) -> bool:
        return self.ends_on is None or self.ends_on >= today

    @property
    def registered_late(self) -> bool:
        """Added more than 28 days after it started, or after the register was opened when it
        started before that (a member registers what they hold within 28 days of joining)."""
        since = max(self.starts_on, self.register.opened_on)
        return self.registered_on > since + timedelta(days=REGISTER_WITHIN_DAYS)

    @property
    def end_registered_late(self) -> bool:
        return (
            self.ends_on is not None
            and self.end_registered_on is not None
            and self.end_registered_on > self.ends_on + timedelta(days=REGISTER_WITHIN_DAYS)
        )

    @property
    def gift_band(self) -> str:
        """A gift's value as the public register shows it: a band, not the exact sum."""
        if self.gift_value is None:
            return ""
        for limit, band in ((100, "up to £100"), (250, "£100 to £250"), (500, "£250 to £500")):
            if self.gift_value <= limit:
                return band
        return "over £500"
