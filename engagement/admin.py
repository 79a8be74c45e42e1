"""Calls and priorities in the Django admin, for administrators: read and correct, not the daily work
(officers use the portal's pages, which write the audit trail)."""

from django.contrib import admin

from .models import Call, CallReminder, Priority, Tag


@admin.register(Call)
class CallAdmin(admin.ModelAdmin[Call]):
    list_display = ("title", "strategy", "phase", "opens_at", "closes_at")
    list_filter = ("strategy",)
    search_fields = ("title",)


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin[Priority]):
    list_display = ("title", "organisation", "call", "status", "is_hidden", "responded_at")
    list_filter = ("status", "is_hidden", "call__strategy")
    search_fields = ("title", "organisation__name")
    raw_id_fields = ("call", "organisation", "author", "responded_by")
    filter_horizontal = ("themes", "coded_themes", "areas", "backing_organisations", "tags")


admin.site.register(Tag)
admin.site.register(CallReminder)
