"""The Django admin for administrators: evidence items, indicators and the import jobs (read only:
imports run through the import page or `import_indicators`, so their rows stay the jobs' truth)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import EvidenceContributor, EvidenceItem, EvidenceNarrative, ImportJob, Indicator


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin[EvidenceItem]):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "strategy", "kind", "sharing", "published_on", "file_type"]
    list_filter = ["strategy", "kind", "sharing"]
    search_fields = ["title", "summary", "publisher"]
    autocomplete_fields = ["areas"]
    filter_horizontal = ["themes"]
    readonly_fields = ["file", "file_type", "file_name", "file_size", "added_by", "created_at", "updated_at"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["code", "name", "unit", "layout", "licence"]
    list_filter = ["layout"]
    search_fields = ["code", "name"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin[ImportJob]):
    list_display = ["file_name", "layout", "status", "attempts", "rows_done", "rows_total", "created_at"]
    list_filter = ["status", "layout"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvidenceNarrative)
class EvidenceNarrativeAdmin(admin.ModelAdmin[EvidenceNarrative]):
    list_display = ["strategy", "theme", "updated_by", "updated_at"]


@admin.register(EvidenceContributor)
class EvidenceContributorAdmin(admin.ModelAdmin[EvidenceContributor]):
    list_display = ["strategy", "user", "invited_by", "created_at"]
