"""The Django admin for documents: packs are read-only records (the row is the job's truth)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import BoardPaper, DraftStrategy, DraftVersion, Pack


@admin.register(DraftStrategy)
class DraftStrategyAdmin(admin.ModelAdmin[DraftStrategy]):
    list_display = ["title", "strategy", "status", "updated_at"]


@admin.register(DraftVersion)
class DraftVersionAdmin(admin.ModelAdmin[DraftVersion]):
    list_display = ["draft", "number", "note", "created_at"]
    readonly_fields = ["sections"]


@admin.register(BoardPaper)
class BoardPaperAdmin(admin.ModelAdmin[BoardPaper]):
    list_display = ["title", "agenda_item", "is_exempt", "version"]


@admin.register(Pack)
class PackAdmin(admin.ModelAdmin[Pack]):
    list_display = ["__str__", "kind", "status", "attempts", "page_count", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [field.name for field in Pack._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
