"""Board members' registers of interests."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import Strategy

from .meetings import Declaration

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
