"""Update subscriptions, updates and their deliveries."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from core.claims import Claimed
from core.models import Strategy
from timeline.models import Board, Meeting

# Updates ----------------------------------------------------------------------------------------------

UPDATE_SUBJECT_MAX = 150
UPDATE_BODY_MAX = 20_000


class Subscription(models.Model):
    """An email address subscribed to a topic of a strategy: its updates (no board) or one of its
    boards (an email when the board's papers or minutes are published). Pending until the emailed
    link confirms it (double opt-in), then confirmed until its one-click link unsubscribes it. One
    row per address and topic, whatever the case it was typed in."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="subscriptions")
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        help_text="The board followed; none for the strategy's updates.",
    )
    email = models.EmailField(max_length=254)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    # The confirmation link's token: only its hash is stored, and it works once, until it expires.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    token_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                "strategy",
                Lower("email"),
                condition=models.Q(board__isnull=True),
                name="subscription_strategy_email_unique",
            ),
            models.UniqueConstraint(
                "board", Lower("email"), condition=models.Q(board__isnull=False), name="subscription_board_email_unique"
            ),
        ]
        indexes = [models.Index(fields=["strategy", "status"], name="subscription_strategy_status")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class Update(Claimed):
    """An update officers write (Markdown) and send to the strategy's confirmed subscribers, or
    one the portal writes when a board's papers or minutes are published (`board`, `meeting`,
    `announces`), sent to that board's followers. The row is the sending job's truth: draft,
    queued, sending, sent or failed, claimed by a conditional update, with one UpdateDelivery row
    per address so none is sent twice."""

    class Announces(models.TextChoices):
        PAPERS = "papers", "Agenda and papers published"
        MINUTES = "minutes", "Minutes published"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    MAX_ATTEMPTS: ClassVar[int] = 3
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("subject", "body")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="updates")
    board = models.ForeignKey(
        Board,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="updates",
        help_text="Sent to its followers.",
    )
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    announces = models.CharField(max_length=8, choices=Announces.choices, blank=True)
    subject = models.CharField(max_length=UPDATE_SUBJECT_MAX)
    body = models.TextField(validators=[MaxLengthValidator(UPDATE_BODY_MAX)], help_text="Markdown.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0, help_text="Confirmed subscribers when sending began.")
    last_error = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["strategy", "status"], name="update_strategy_status")]
        constraints = [
            # Each publication of a meeting is announced once, however often the beat looks.
            models.UniqueConstraint(
                fields=["meeting", "announces"], condition=models.Q(meeting__isnull=False), name="update_announce_once"
            ),
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=True, announces="")
                | models.Q(meeting__isnull=False, board__isnull=False, announces__in=["papers", "minutes"]),
                name="update_announcement_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("engagement:update-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})


class UpdateDelivery(models.Model):
    """One address an update went to: the unique pair stops a second run sending it again."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    email = models.ForeignKey("core.Email", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "update deliveries"
        constraints = [
            models.UniqueConstraint(fields=["update", "subscription"], name="update_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.update} to subscription {self.subscription_id}"
