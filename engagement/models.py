"""Engagement: calls for priorities and the priorities councils submit to them.

A call is an officer's request to the strategy's councillors for their councils' priorities,
open between two moments and serving one phase. A priority is written on behalf of a council by
its councillors, saved as a draft, submitted, edited until the call closes, or withdrawn. The
LEP's officers code it (themes, free tags), respond to it ("you said, we did") and may hide it
with a reason.

A consultation puts ordered questions (free text, single and multiple choice, a 1–5 scale) to
councillors, partners or everyone; each organisation responds once, its people continuing one
draft, and the officers code, respond to and hide the responses as they do priorities.

Members of the public respond without an account (ADR 41). Officers merge priorities into
propositions. Events, the stakeholder register, the engagement plan and update subscriptions
follow in their own sections at the end of this module.
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


class OpenBetween:
    """What calls and consultations share: they are open from `opens_at` until `closes_at`."""

    NOUN: ClassVar[str]
    opens_at: datetime
    closes_at: datetime

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": f"The {self.NOUN} must close after it opens."})

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class Call(OpenBetween, models.Model):
    """A call for priorities: open from `opens_at` to `closes_at`, addressed to an audience."""

    NOUN = "call"

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


class Channel(models.TextChoices):
    """Where offline input came from: priorities and consultation responses (docs/adr/0041)."""

    WORKSHOP = "workshop", "Workshop"
    PAPER = "paper", "Paper form"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    OTHER = "other", "Other"


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


# Consultations --------------------------------------------------------------------------------------

QUESTION_MAX = 500
HINT_MAX = 300
CHOICE_MAX = 200
CHOICES_MAX = 20
ANSWER_MAX = 4_000
SCALE_MIN, SCALE_MAX = 1, 5


class Consultation(OpenBetween, models.Model):
    """A consultation: ordered questions put to an audience between two moments, serving one phase.
    Organisations respond, each once, on behalf of the organisation."""

    NOUN = "consultation"

    class Audience(models.TextChoices):
        COUNCILLORS = "councillors", "Councillors, for their councils"
        PARTNERS = "partners", "Partners: universities, colleges, businesses, business groups and voluntary bodies"
        PUBLIC = "public", "Everyone: councils, partners and the public (no account needed)"

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


NAME_MAX = 200


class PublicCredit(models.TextChoices):
    """How a member of the public's response is credited if the LEP publishes it."""

    NAME = "name", "By my name"
    ORGANISATION = "organisation", "By the name of an organisation"
    ANONYMOUS = "anonymous", "Anonymously, as “a member of the public”"


_ORG = Q(organisation__isnull=False)
_PUBLIC = Q(organisation__isnull=True)
PUBLIC_RESPONSE_CONSTRAINTS = [
    # An organisation's response carries none of the public fields; a public one made online has an
    # email to confirm with, one entered offline has at least a name.
    models.CheckConstraint(
        condition=(_ORG & Q(respondent_name="", respondent_email="", credit="", may_publish__isnull=True))
        | (_PUBLIC & Q(channel="") & ~Q(respondent_email=""))
        | (_PUBLIC & ~Q(channel="") & ~Q(respondent_name="")),
        name="response_organisation_or_public",
    ),
    models.CheckConstraint(
        condition=_ORG | Q(may_publish__isnull=False) & ~Q(credit=""), name="response_public_has_credit"
    ),
    models.CheckConstraint(condition=~Q(credit="name") | ~Q(respondent_name=""), name="response_credit_name_has_name"),
    models.CheckConstraint(
        condition=~Q(credit="organisation") | ~Q(credit_organisation=""),
        name="response_credit_organisation_named",
    ),
    models.CheckConstraint(
        condition=~Q(status="unconfirmed") | (_PUBLIC & ~Q(token_hash="") & Q(confirm_by__isnull=False)),
        name="response_unconfirmed_has_token",
    ),
    models.CheckConstraint(
        condition=Q(channel="", received_on__isnull=True) | (~Q(channel="") & Q(received_on__isnull=False)),
        name="response_offline_has_date",
    ),
    models.CheckConstraint(condition=_ORG | ~Q(status="draft"), name="response_public_never_draft"),
]


class ConsultationResponse(models.Model):
    """An organisation's response to a consultation, written by its people: a draft any of them can
    continue, then submitted once. Answers are held by question id (see docs/adr/0040)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        # A member of the public's response, until they follow the emailed link (see docs/adr/0041).
        UNCONFIRMED = "unconfirmed", "Awaiting confirmation"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="responses")
    # Empty for a member of the public's response (the fields of "Public responses" below).
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultation_responses",
        help_text="Who it speaks for.",
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
    # A member of the public's response (no organisation): who, and how they may be credited.
    respondent_name = models.CharField(max_length=NAME_MAX, blank=True)
    respondent_email = models.EmailField(blank=True)
    may_publish = models.BooleanField(null=True, blank=True, help_text="Empty for organisations: not asked.")
    credit = models.CharField(max_length=12, choices=PublicCredit.choices, blank=True)
    credit_organisation = models.CharField(max_length=NAME_MAX, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True, help_text="Keyed hash, for the rate limit.")
    token_hash = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="SHA-256 of the emailed confirmation token."
    )
    confirm_by = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Offline input: an officer entered it on the respondent's behalf.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    received_on = models.DateField(null=True, blank=True)
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
            *PUBLIC_RESPONSE_CONSTRAINTS,
        ]

    def __str__(self) -> str:
        return f"{self.respondent_label} on {self.consultation}"

    def get_absolute_url(self) -> str:
        return reverse(
            "engagement:response-detail", kwargs={"strategy_slug": self.consultation.strategy.slug, "pk": self.pk}
        )

    def clean(self) -> None:
        super().clean()
        if self.is_hidden and not self.hidden_reason.strip():
            raise ValidationError({"hidden_reason": "Enter the reason for hiding the response."})

    # Public and offline responses (docs/adr/0041) ---------------------------------------------------

    @property
    def is_public(self) -> bool:
        return self.organisation_id is None

    @property
    def is_offline(self) -> bool:
        return bool(self.channel)

    @property
    def respondent_label(self) -> str:
        """Who the response is from, as officers and the organisation read it."""
        if self.organisation_id is not None:
            return str(self.organisation.name) if self.organisation else ""
        return f"{self.respondent_name or 'A member of the public'} (member of the public)"

    @property
    def credit_label(self) -> str:
        """How a public response may be credited if it is published."""
        if self.credit == PublicCredit.NAME:
            return self.respondent_name
        if self.credit == PublicCredit.ORGANISATION:
            return self.credit_organisation
        if self.credit == PublicCredit.ANONYMOUS:
            return "A member of the public"
        return ""

    @property
    def offline_label(self) -> str:
        """“Entered by <officer> on behalf of …, from <channel>” for input from outside the portal."""
        if not self.channel:
            return ""
        officer = self.entered_by.name if self.entered_by else "an officer"
        received = f", received {self.received_on:%-d %B %Y}" if self.received_on else ""
        return (
            f"Entered by {officer} on behalf of {self.respondent_label}, from "
            f"{self.get_channel_display().lower()}{received}"
        )


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


# Events, the stakeholder register and the engagement plan -----------------------------------------

PLACE_MAX = 200
NOTES_MAX = 10_000
NAME_MAX = 200
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


class Contact(models.Model):
    """A person in the strategy's area the LEP engages with. Personal data: officers only, kept with
    the basis on which it is held, removed when that basis ends."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "organisation",
        "name",
        "role",
        "email",
        "phone",
        "notes",
        "basis",
    )

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(max_length=NAME_MAX)
    role = models.CharField("role or title", max_length=NAME_MAX, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True, validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    basis = models.TextField(
        "consent or basis for holding the details",
        validators=[MaxLengthValidator(REASON_MAX)],
        help_text="For example, consent given at the workshop of 4 October 2019, or public task.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, help_text="Counts saves, so a stale edit is refused.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = [Lower("name").asc(), "pk"]
        indexes = [models.Index(fields=["strategy", "organisation"], name="contact_strategy_organisation")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("engagement:contact-detail", kwargs={"strategy_slug": self.strategy.slug, "pk": self.pk})


class EngagementEntry(models.Model):
    """One line of the engagement log: who (a contact, an organisation or both), when, how, about what."""

    class Method(models.TextChoices):
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"
        CALL = "call", "Phone or video call"
        EVENT = "event", "Event"
        WORKSHOP = "workshop", "Workshop"
        LETTER = "letter", "Letter"
        OTHER = "other", "Other"

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="engagement_entries")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="engagement_entries"
    )
    happened_on = models.DateField("when")
    method = models.CharField("how", max_length=12, choices=Method.choices)
    about = models.TextField("about what", validators=[MaxLengthValidator(DESCRIPTION_MAX)])
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    planned_activity = models.ForeignKey(
        PlannedActivity, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = "engagement entries"
        indexes = [models.Index(fields=["strategy", "happened_on"], name="entry_strategy_happened")]

    def __str__(self) -> str:
        # No contact's name here: this label is kept in the audit trail, which outlives a removed contact.
        who = f" with {self.organisation}" if self.organisation_id else ""
        return f"{self.get_method_display()}{who} on {self.happened_on:%-d %B %Y}"


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
