"""Propositions: what officers make of similar priorities."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from core.models import Strategy, Theme
from evidence.models import EvidenceItem

from .common import DESCRIPTION_MAX, TITLE_MAX
from .priorities import Priority

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
