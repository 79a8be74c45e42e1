"""What the engagement models share: the limits of their common fields, the https-only validator,
the open-between mixin of calls and consultations, and the channels offline input comes from.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone

TITLE_MAX = 200
SUMMARY_MAX = 2_000
WHY_MAX = 4_000
RESPONSE_MAX = 4_000
REASON_MAX = 1_000
DESCRIPTION_MAX = 4_000
EVIDENCE_LINKS_MAX = 10
TAG_MAX = 60

https_only = URLValidator(schemes=["https"], message="Enter a web address that starts with https://")


def when_text(moment: datetime) -> str:
    """A moment as emails and refusals write it: "17:00 on 31 October 2026"."""
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


class OpenBetween:
    """What calls and consultations share: they are open from `opens_at` until `closes_at`."""

    NOUN: ClassVar[str]
    opens_at: datetime
    closes_at: datetime

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": f"The {self.NOUN} must close after it opens."})

    @property
    def has_closed(self) -> bool:
        """Whether its closing moment has passed: lists say "Closed 16 Nov 2026", not "Closes"."""
        return timezone.now() >= self.closes_at

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def not_open_reason(self, *, doing: str, contact: object) -> str:
        """Why `doing` cannot happen now that the call or consultation is not open, as a person reads it."""
        if timezone.now() < self.opens_at:
            return f"The {self.NOUN} “{self}” opens at {when_text(self.opens_at)}. You can {doing} from then."
        return (
            f"The {self.NOUN} “{self}” has closed (it closed at {when_text(self.closes_at)}), so you can no "
            f"longer {doing}. Contact {contact} if something needs to change."
        )

    def state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class Channel(models.TextChoices):
    """Where offline input came from: priorities and consultation responses (docs/adr/0041)."""

    WORKSHOP = "workshop", "Workshop"
    PAPER = "paper", "Paper form"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    OTHER = "other", "Other"
