"""Calls for priorities, the tags officers code with, the priorities councils submit and the
reminders sent before a call closes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse

from core.models import Area, Organisation, Strategy, Theme
from evidence.models import EvidenceItem
from timeline.models import Phase

from .common import (
    DESCRIPTION_MAX,
    EVIDENCE_LINKS_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    SUMMARY_MAX,
    TAG_MAX,
    TITLE_MAX,
    WHY_MAX,
    Channel,
    OpenBetween,
    https_only,
)


class Call(OpenBetween, models.Model):
    """A call for priorities: open from `opens_at` to `closes_at`, addressed to an audience."""

    NOUN = "call"

    class Audience(models.TextChoices):
        COUNCILLORS = "councillors", "Councillors of the strategy’s councils"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="calls")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="calls", help_text="The phase it serves.")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.COUNCILLORS)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opens")]
        indexes = [models.Index(fields=["strategy", "closes_at"], name="call_strategy_closes")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:call-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})


class Tag(models.Model):
    """A free tag an officer codes priorities with; one vocabulary per strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="engagement_tags")
    name = models.CharField(max_length=TAG_MAX)

    class Meta:
        ordering = [Lower("name").asc()]
        constraints = [models.UniqueConstraint("strategy", Lower("name"), name="tag_strategy_name_unique")]

    def __str__(self) -> str:
        return self.name


def _validate_evidence_links(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError("Evidence links must be a list.", code="evidence_link")
    if len(value) > EVIDENCE_LINKS_MAX:
        raise ValidationError(f"Add at most {EVIDENCE_LINKS_MAX} evidence links.", code="evidence_link")
    for link in value:
        if not isinstance(link, dict) or set(link) != {"title", "url"}:
            raise ValidationError("Each evidence link needs a title and a web address.", code="evidence_link")
        title, url = str(link["title"]).strip(), str(link["url"]).strip()
        if not title or len(title) > TITLE_MAX:
            raise ValidationError(
                f"Give each evidence link a title of at most {TITLE_MAX} characters.", code="evidence_link"
            )
        try:
            https_only(url)
        except ValidationError as error:
            # A code of our own: the field would replace an "invalid" message with its own.
            raise ValidationError(
                f"Enter the web address of “{title}” starting https://", code="evidence_link"
            ) from error


class PriorityQuerySet(models.QuerySet["Priority"]):
    """Which priorities people beyond the council may see: the one spelling every app uses."""

    def shared(self) -> PriorityQuerySet:
        """Submitted or withdrawn and not hidden by an officer: never a council's draft."""
        return self.filter(is_hidden=False).exclude(status=Priority.Status.DRAFT)

    def standing(self) -> PriorityQuerySet:
        """Submitted and not hidden: what a proposition, a draft section or a pack may rest on."""
        return self.filter(is_hidden=False, status=Priority.Status.SUBMITTED)


class Priority(models.Model):
    """A council's priority for the strategy, submitted to a call."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Scale(models.TextChoices):
        LOCAL = "local", "Local"
        LEP_WIDE = "lep_wide", "LEP-wide"
        SOUTH_EAST_WIDE = "south_east_wide", "South East-wide"

    # The fields a councillor writes; an edit made on a stale version is refused field by field.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary", "why_it_matters", "evidence_links", "scale")
    CONTENT_RELATIONS: ClassVar[tuple[str, ...]] = ("evidence_items", "themes", "areas", "backing_organisations")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="priorities")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="priorities", help_text="The council it speaks for."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities"
    )
    title = models.CharField(max_length=TITLE_MAX)
    summary = models.TextField(blank=True, validators=[MaxLengthValidator(SUMMARY_MAX)])
    why_it_matters = models.TextField("why it matters", blank=True, validators=[MaxLengthValidator(WHY_MAX)])
    # The evidence a priority rests on: items of the strategy's evidence base the council may see,
    # and links to outside sources as a list of {"title", "url"}, https only.
    evidence_items = models.ManyToManyField(EvidenceItem, blank=True, related_name="priorities")
    evidence_links = models.JSONField(default=list, blank=True, validators=[_validate_evidence_links])
    themes = models.ManyToManyField(Theme, blank=True, related_name="priorities")
    areas = models.ManyToManyField(Area, blank=True, related_name="priorities", help_text="The places it concerns.")
    scale = models.CharField(max_length=16, choices=Scale.choices, blank=True)
    backing_organisations = models.ManyToManyField(Organisation, blank=True, related_name="backed_priorities")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The officer's coding: themes as the LEP reads it, and free tags.
    coded_themes = models.ManyToManyField(Theme, blank=True, related_name="coded_priorities")
    tags = models.ManyToManyField(Tag, blank=True, related_name="priorities")
    coded_at = models.DateTimeField(null=True, blank=True)
    # Moderation: hidden from shared views with a reason officers see; reversible.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The LEP's published response ("you said, we did").
    response = models.TextField(blank=True, validators=[MaxLengthValidator(RESPONSE_MAX)])
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Offline input: an officer entered it on the council's behalf (docs/adr/0041).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    received_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Counts the council's saves, so a stale edit is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at", "-pk"]
        verbose_name_plural = "priorities"
        indexes = [
            models.Index(fields=["call", "status"], name="priority_call_status"),
            models.Index(fields=["organisation", "call"], name="priority_organisation_call"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""), name="priority_hidden_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False), name="priority_submitted_has_time"
            ),
            models.CheckConstraint(
                condition=Q(response="", responded_at__isnull=True) | Q(~Q(response=""), responded_at__isnull=False),
                name="priority_response_has_time",
            ),
            models.CheckConstraint(
                condition=Q(channel="", received_on__isnull=True) | (~Q(channel="") & Q(received_on__isnull=False)),
                name="priority_offline_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:priority-detail", kwargs={"strategy_slug": self.call.strategy.slug, "pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.is_hidden and not self.hidden_reason.strip():
            raise ValidationError({"hidden_reason": "Enter the reason for hiding the priority."})

    @property
    def offline_label(self) -> str:
        """“Entered by <officer> on behalf of <council>, from <channel>” for input from outside the portal."""
        if not self.channel:
            return ""
        officer = self.entered_by.name if self.entered_by else "an officer"
        channel = self.get_channel_display().lower()
        received = f", received {self.received_on:%-d %B %Y}" if self.received_on else ""
        return f"Entered by {officer} on behalf of {self.organisation.name}, from {channel}{received}"


class CallReminder(models.Model):
    """One row per reminder sent: its unique key stops a second run sending the same one again."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="call_reminder_once")]

    def __str__(self) -> str:
        return f"Reminder of {self.call} to {self.user}"
