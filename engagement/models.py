"""Engagement: calls for priorities and the priorities councils submit to them.

A call is an officer's request to the strategy's councillors for their councils' priorities,
open between two moments and serving one phase. A priority is written on behalf of a council by
its councillors, saved as a draft, submitted, edited until the call closes, or withdrawn. The
LEP's officers code it (themes, free tags), respond to it ("you said, we did") and may hide it
with a reason.

A consultation puts ordered questions (free text, single and multiple choice, a 1–5 scale) to
councillors, partners or everyone; each organisation responds once, its people continuing one
draft, and the officers code, respond to and hide the responses as they do priorities.

Public (no-account) responses, events, propositions and updates arrive in later slices.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from core.models import Area, Organisation, Strategy, Theme
from evidence.models import EvidenceItem
from timeline.models import Phase

TITLE_MAX = 200
SUMMARY_MAX = 2_000
WHY_MAX = 4_000
RESPONSE_MAX = 4_000
REASON_MAX = 1_000
DESCRIPTION_MAX = 4_000
EVIDENCE_LINKS_MAX = 10
TAG_MAX = 60

https_only = URLValidator(schemes=["https"], message="Enter a web address that starts with https://")


class Call(models.Model):
    """A call for priorities: open from `opens_at` to `closes_at`, addressed to an audience."""

    class Audience(models.TextChoices):
        COUNCILLORS = "councillors", "Councillors of the strategy's councils"

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

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The call must close after it opens."})

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


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
    version = models.PositiveIntegerField(
        default=1, help_text="Counts the council's saves, so a stale edit is refused."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:priority-detail", kwargs={"strategy_slug": self.call.strategy.slug, "pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.is_hidden and not self.hidden_reason.strip():
            raise ValidationError({"hidden_reason": "Enter the reason for hiding the priority."})


class CallReminder(models.Model):
    """One row per reminder sent: its unique key stops a second run sending the same one again."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="call_reminder_once")]

    def __str__(self) -> str:
        return f"Reminder of {self.call} to {self.user}"


# Consultations --------------------------------------------------------------------------------------

QUESTION_MAX = 500
HINT_MAX = 300
CHOICE_MAX = 200
CHOICES_MAX = 20
ANSWER_MAX = 4_000
SCALE_MIN, SCALE_MAX = 1, 5


class Consultation(models.Model):
    """A consultation: ordered questions put to an audience between two moments, serving one phase.
    Organisations respond, each once, on behalf of the organisation."""

    class Audience(models.TextChoices):
        COUNCILLORS = "councillors", "Councillors, for their councils"
        PARTNERS = "partners", "Partners: universities, colleges, businesses, business groups and voluntary bodies"
        PUBLIC = "public", "Everyone: councils and partners now, the public without an account later"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="consultations")
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, related_name="consultations", help_text="The phase it serves."
    )
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.PARTNERS)
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
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="consultation_closes_after_opens")
        ]
        indexes = [models.Index(fields=["strategy", "closes_at"], name="consultation_strategy_closes")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:consultation-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The consultation must close after it opens."})

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class Question(models.Model):
    """One question of a consultation, in its order. Choice questions carry their choices."""

    class Kind(models.TextChoices):
        TEXT = "text", "Free text"
        SINGLE = "single", "Single choice (radios)"
        MULTIPLE = "multiple", "Multiple choice (checkboxes)"
        SCALE = "scale", "A scale from 1 to 5"

    CHOICE_KINDS: ClassVar[frozenset[str]] = frozenset({Kind.SINGLE, Kind.MULTIPLE})

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.CharField("question", max_length=QUESTION_MAX)
    hint = models.CharField(max_length=HINT_MAX, blank=True)
    choices = models.JSONField(default=list, blank=True, help_text="The choices of a choice question, in order.")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["consultation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["single", "multiple"]) | Q(choices=[]), name="question_choices_only_for_choice"
            )
        ]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        super().clean()
        choices = self.choices if isinstance(self.choices, list) else None
        if choices is None or not all(isinstance(c, str) for c in choices):
            raise ValidationError({"choices": "The choices must be a list of words."})
        if self.kind in self.CHOICE_KINDS:
            if not 2 <= len(choices) <= CHOICES_MAX:
                raise ValidationError({"choices": f"Give between 2 and {CHOICES_MAX} choices, one a line."})
            if len({c.strip().lower() for c in choices}) != len(choices):
                raise ValidationError({"choices": "Give each choice once."})
            if any(not c.strip() or len(c) > CHOICE_MAX for c in choices):
                raise ValidationError({"choices": f"Keep each choice to {CHOICE_MAX} characters or fewer."})
        elif choices:
            raise ValidationError({"choices": "Only single and multiple choice questions have choices."})

    def answer_display(self, value: Any) -> str:
        """An answer as a person reads it: the text, the choices joined, or the point on the scale."""
        if value is None or value == "" or value == []:
            return ""
        if self.kind == self.Kind.MULTIPLE and isinstance(value, list):
            return "; ".join(str(v) for v in value)
        if self.kind == self.Kind.SCALE:
            return f"{value} of {SCALE_MAX}"
        return str(value)


class ConsultationResponse(models.Model):
    """An organisation's response to a consultation, written by its people: a draft any of them can
    continue, then submitted once. Answers are held by question id (see docs/adr/0040)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consultation_responses", help_text="Who it speaks for."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True, help_text="{question id: text, choice, choices or 1–5}")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The officer's coding, moderation and published response, as for priorities.
    coded_themes = models.ManyToManyField(Theme, blank=True, related_name="coded_consultation_responses")
    tags = models.ManyToManyField(Tag, blank=True, related_name="consultation_responses")
    coded_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True, validators=[MaxLengthValidator(REASON_MAX)])
    hidden_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField("the LEP’s response", blank=True, validators=[MaxLengthValidator(RESPONSE_MAX)])
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale save is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["consultation", "status"], name="response_consultation_status")]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "organisation"], name="response_once_per_organisation"),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""), name="response_hidden_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False), name="response_submitted_has_time"
            ),
            models.CheckConstraint(
                condition=Q(reply="", replied_at__isnull=True) | Q(~Q(reply=""), replied_at__isnull=False),
                name="response_reply_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.consultation}"

    def get_absolute_url(self) -> str:
        return reverse(
            "engagement:response-detail", kwargs={"strategy_slug": self.consultation.strategy.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        super().clean()
        if self.is_hidden and not self.hidden_reason.strip():
            raise ValidationError({"hidden_reason": "Enter the reason for hiding the response."})


# Propositions ----------------------------------------------------------------------------------------


class Proposition(models.Model):
    """What officers make of similar priorities: merged into one proposition for the strategy, with
    the themes it serves and the priorities and evidence behind it."""

    class Status(models.TextChoices):
        EMERGING = "emerging", "Emerging"
        AGREED = "agreed", "Agreed"
        DROPPED = "dropped", "Dropped"

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "description")
    CONTENT_RELATIONS: ClassVar[tuple[str, ...]] = ("themes", "priorities", "evidence_items")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="propositions")
    title = models.CharField(max_length=TITLE_MAX)
    description = models.TextField(validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    themes = models.ManyToManyField(Theme, blank=True, related_name="propositions")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="propositions")
    evidence_items = models.ManyToManyField(EvidenceItem, blank=True, related_name="propositions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.EMERGING, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:proposition-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})


# Updates ----------------------------------------------------------------------------------------------

UPDATE_SUBJECT_MAX = 150
UPDATE_BODY_MAX = 20_000


class Subscription(models.Model):
    """An email address subscribed to a strategy's updates: pending until the emailed link
    confirms it (double opt-in), then confirmed until its one-click link unsubscribes it. One row
    per address and strategy, whatever the case it was typed in."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="subscriptions")
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
            models.UniqueConstraint("strategy", Lower("email"), name="subscription_strategy_email_unique"),
        ]
        indexes = [models.Index(fields=["strategy", "status"], name="subscription_strategy_status")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_status_display()})"


class Update(models.Model):
    """An update officers write (Markdown) and send to the strategy's confirmed subscribers. The row
    is the sending job's truth: draft, queued, sending, sent or failed, claimed by a conditional
    update, with one UpdateDelivery row per address so none is sent twice."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    MAX_ATTEMPTS: ClassVar[int] = 3
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("subject", "body")

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="updates")
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
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["strategy", "status"], name="update_strategy_status")]

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
        constraints = [
            models.UniqueConstraint(fields=["update", "subscription"], name="update_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.update} to subscription {self.subscription_id}"
