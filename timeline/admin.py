from typing import Any

from django.contrib import admin

from .models import Board, BoardMembership, Milestone, Phase


class BoardMembershipInline(admin.TabularInline[BoardMembership, Any]):
    model = BoardMembership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin[Board]):
    list_display = ["name", "kind", "strategy", "organisation"]
    list_filter = ["strategy", "kind"]
    search_fields = ["name"]
    inlines = [BoardMembershipInline]


class MilestoneInline(admin.TabularInline[Milestone, Any]):
    model = Milestone
    extra = 0
    fields = ["order", "title", "status", "due_date", "completed_on", "owner", "is_key"]
    autocomplete_fields = ["owner"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin[Phase]):
    list_display = ["name", "strategy", "order", "planned_start", "planned_end", "actual_start", "actual_end"]
    list_filter = ["strategy"]
    inlines = [MilestoneInline]
