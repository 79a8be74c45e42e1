"""Events, and the planned activities of the communications and engagement plan they carry out."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.models import Organisation, Strategy, Theme
from timeline.models import Phase

from .common import REASON_MAX, TITLE_MAX
from .consultations import Consultation

# Events and the engagement plan -------------------------------------------------------------------

PLACE_MAX = 200
NOTES_MAX = 10_000


CHANNEL_MAX = 100


class PlannedActivity(models.Model):
    """One line of the communications and engagement plan: what the LEP means to do, for whom, by when.
    Log entries and events that deliver it point at it, so the plan can be read against what happened."""

    class Audience(models.TextChoices):
        COUNCILS = "councils", "Councils"
        BUSINESSES = "businesses", "Businesses"
        UNIVERSITIES = "universities", "Universities and colleges"
        VOLUNTARY = "voluntary", "Voluntary sector"
        PUBLIC = "public", "Public"
        GOVERNMENT = "government", "Government"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "audience", "channel", "planned_on", "owner", "status")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="planned_activities")
    title = models.CharField(max_length=TITLE_MAX)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    channel = models.CharField(max_length=CHANNEL_MAX, help_text="For example, workshop, newsletter, board paper.")
    planned_on = models.DateField("planned date")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name_plural = "planned activities"
        indexes = [models.Index(fields=["strategy", "planned_on"], name="activity_strategy_planned")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:activity-edit", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})


class Event(models.Model):
    """A workshop (on one foundation or grand challenge), a roundtable or a slidepack presentation:
    when and where, who organised it and who came, notes, and the feedback gathered afterwards through
    a short consultation attached to it."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        ROUNDTABLE = "roundtable", "Roundtable"
        SLIDEPACK = "slidepack", "Slidepack presentation"
        OTHER = "other", "Other"

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "title",
        "theme",
        "starts_at",
        "place",
        "organiser",
        "notes",
        "internal_notes",
        "phase",
        "planned_activity",
    )

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=TITLE_MAX)
    theme = models.ForeignKey(
        Theme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text="The foundation or grand challenge a workshop is about.",
    )
    starts_at = models.DateTimeField("date and time")
    place = models.CharField(max_length=PLACE_MAX, help_text="An address, a venue, or “online”.")
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="organised_events")
    attending = models.ManyToManyField(
        Organisation, blank=True, related_name="attended_events", verbose_name="organisations attending"
    )
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(NOTES_MAX)], help_text="Markdown.")
    internal_notes = models.TextField(
        "internal notes",
        blank=True,
        validators=[MaxLengthValidator(NOTES_MAX)],
        help_text="Markdown; officers and administrators only.",
    )
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.SET_NULL, related_name="events", help_text="The phase it serves."
    )
    planned_activity = models.ForeignKey(
        PlannedActivity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text="The activity of the engagement plan it delivers.",
    )
    feedback = models.OneToOneField(
        Consultation, null=True, blank=True, on_delete=models.SET_NULL, related_name="event"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["strategy", "starts_at"], name="event_strategy_starts")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="workshop") | Q(theme__isnull=False), name="event_workshop_has_theme"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancelled_reason=""), name="event_cancelled_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:event-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.WORKSHOP and self.theme_id is None:
            raise ValidationError({"theme": "Choose the foundation or grand challenge the workshop is about."})

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None
