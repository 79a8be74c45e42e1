"""The stakeholder register (contacts) and the engagement log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from core.models import Organisation, Strategy, Theme

from .common import DESCRIPTION_MAX, REASON_MAX
from .events import Event, PlannedActivity

NAME_MAX = 200


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
