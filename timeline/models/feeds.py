"""Calendar feeds and the reminders sent (each once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .meetings import Meeting


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
