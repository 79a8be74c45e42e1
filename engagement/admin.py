"""Calls, priorities, consultations and propositions in the Django admin, for administrators: read
and correct, not the daily work (officers use the portal's pages, which write the audit trail)."""

from django.contrib import admin

from .models import (
    Call,
    CallReminder,
    Consultation,
    ConsultationResponse,
    Contact,
    EngagementEntry,
    Event,
    PlannedActivity,
    Priority,
    Proposition,
    Question,
    Subscription,
    Tag,
    Update,
    UpdateDelivery,
)


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
    filter_horizontal = ("evidence_items", "themes", "coded_themes", "areas", "backing_organisations", "tags")


admin.site.register(Tag)
admin.site.register(CallReminder)


class QuestionInline(admin.TabularInline[Question, Consultation]):
    model = Question
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin[Consultation]):
    list_display = ("title", "strategy", "audience", "opens_at", "closes_at")
    list_filter = ("strategy", "audience")
    search_fields = ("title",)
    inlines = [QuestionInline]


@admin.register(ConsultationResponse)
class ConsultationResponseAdmin(admin.ModelAdmin[ConsultationResponse]):
    list_display = ("organisation", "consultation", "status", "is_hidden", "replied_at")
    list_filter = ("status", "is_hidden", "consultation__strategy")
    raw_id_fields = ("consultation", "organisation", "started_by", "last_saved_by", "submitted_by", "replied_by")
    filter_horizontal = ("coded_themes", "tags")


@admin.register(Proposition)
class PropositionAdmin(admin.ModelAdmin[Proposition]):
    list_display = ("title", "strategy", "status")
    list_filter = ("strategy", "status")
    filter_horizontal = ("themes", "priorities", "evidence_items")


# Events, the stakeholder register and the engagement plan -----------------------------------------


@admin.register(Event)
class EventAdmin(admin.ModelAdmin[Event]):
    list_display = ("title", "strategy", "kind", "starts_at", "place", "cancelled_at")
    list_filter = ("strategy", "kind")
    search_fields = ("title",)
    raw_id_fields = ("organiser", "phase", "planned_activity", "feedback", "created_by")
    filter_horizontal = ("attending",)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin[Contact]):
    list_display = ("name", "organisation", "strategy")
    list_filter = ("strategy",)
    search_fields = ("name",)
    raw_id_fields = ("organisation", "created_by")


@admin.register(EngagementEntry)
class EngagementEntryAdmin(admin.ModelAdmin[EngagementEntry]):
    list_display = ("happened_on", "method", "contact", "organisation", "strategy")
    list_filter = ("strategy", "method")
    raw_id_fields = ("contact", "organisation", "event", "planned_activity", "logged_by")


@admin.register(PlannedActivity)
class PlannedActivityAdmin(admin.ModelAdmin[PlannedActivity]):
    list_display = ("title", "strategy", "audience", "planned_on", "status")
    list_filter = ("strategy", "audience", "status")
    raw_id_fields = ("owner", "created_by")


# Updates ----------------------------------------------------------------------------------------------


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin[Subscription]):
    list_display = ("email", "strategy", "status", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("strategy", "status")
    search_fields = ("email",)
    readonly_fields = ("token_hash", "token_expires_at", "token_sent_at", "confirmed_at", "unsubscribed_at")


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin[Update]):
    list_display = ("subject", "strategy", "status", "recipients", "sent_at")
    list_filter = ("strategy", "status")
    search_fields = ("subject",)
    raw_id_fields = ("created_by", "sent_by")


@admin.register(UpdateDelivery)
class UpdateDeliveryAdmin(admin.ModelAdmin[UpdateDelivery]):
    list_display = ("update", "subscription", "email", "created_at")
    raw_id_fields = ("update", "subscription", "email")
