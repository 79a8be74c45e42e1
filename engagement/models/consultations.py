"""Consultations, their ordered questions and the responses to them, public ones included
(docs/adr/0041).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.models import Organisation, Strategy, Theme
from timeline.models import Phase

from .common import DESCRIPTION_MAX, REASON_MAX, RESPONSE_MAX, TITLE_MAX, Channel, OpenBetween
from .priorities import Tag
from .propositions import Proposition

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
    # What it consults on (docs/engagement.md, "What we are consulting on"): the propositions here,
    # uploaded PDFs in ConsultationDocument, the draft version in documents.ConsultedVersion.
    propositions = models.ManyToManyField(
        Proposition, blank=True, related_name="consultations", help_text="The propositions it consults on."
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


def consultation_document_upload_to(instance: ConsultationDocument, filename: str) -> str:
    return f"engagement/consultations/{instance.consultation_id}/{instance.sha256[:16]}.pdf"


class ConsultationDocument(models.Model):
    """A PDF an officer uploaded for people to read before they respond: whoever may read the
    consultation may download it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=TITLE_MAX)
    file = models.FileField(
        upload_to=consultation_document_upload_to, max_length=300, validators=[FileExtensionValidator(["pdf"])]
    )
    file_name = models.CharField(max_length=200, help_text="The name it was uploaded with.")
    file_size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


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
