"""Boards' meetings: the agenda, attendance, declarations, the decisions boards take (at a meeting, by
written procedure, or delegated) and a meeting's minutes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .process import Board, Milestone, Phase


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
        from ..meeting_page import meeting_page_url

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
