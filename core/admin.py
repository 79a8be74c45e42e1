"""The Django admin for administrators: strategies, organisations, areas, people, memberships,
invitations (sent through the invitation service) and a read-only audit trail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.http import HttpRequest
from django.urls import reverse

from .exceptions import ApplicationError
from .models import Area, AuditEvent, Email, Invitation, Membership, Organisation, Strategy, Theme, User
from .services import invitation_create

CHOOSE_ONE = "Choose one"


class RequiredAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose `<select>` starts with an empty option, "Choose one". Django leaves a
    required one with no option at all until something is chosen, which HTML does not allow for a
    required select; select2 shows the same words as its placeholder."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> list[Any]:
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if self.is_required and not self.allow_multiple_selected and not any(o["value"] == "" for o in options):
            options.insert(0, self.create_option(name, "", CHOOSE_ONE, False, 0))
        return groups

    def build_attrs(self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs)
        if self.is_required and not self.allow_multiple_selected:
            attrs["data-placeholder"] = CHOOSE_ONE
        return attrs


class AutocompleteAdminMixin:
    """Uses RequiredAutocompleteSelect for the admin's `autocomplete_fields` foreign keys (the
    accessible name of the select2 box comes from templates/admin/base_site.html's script)."""

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):  # type: ignore[attr-defined]
            kwargs["widget"] = RequiredAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))  # type: ignore[attr-defined]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class MembershipInline(AutocompleteAdminMixin, admin.TabularInline[Membership, Any]):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]  # stubs bound it to AbstractUser
    ordering = ["name", "email"]
    list_display = ["email", "name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_active", "memberships__role"]
    search_fields = ["email", "name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["code", "name", "kind", "vintage"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    filter_horizontal = ["parents"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    list_display = ["name", "kind", "order"]


@admin.register(Organisation)
class OrganisationAdmin(AutocompleteAdminMixin, admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "area"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AutocompleteAdminMixin, admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Strategy)
class StrategyAdmin(AutocompleteAdminMixin, admin.ModelAdmin[Strategy]):
    list_display = ["name", "slug", "lead", "is_published"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["partners"]
    autocomplete_fields = ["lead", "area"]


class InvitationAddForm(forms.ModelForm[Invitation]):
    class Meta:
        model = Invitation
        fields = ["email", "name", "organisation", "role"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation, role, email = cleaned.get("organisation"), cleaned.get("role"), cleaned.get("email")
        if organisation and role:
            try:
                Membership(organisation=organisation, role=role).clean()
            except ValidationError as error:
                self.add_error("role", error.messages)
        if (
            organisation
            and email
            and Membership.objects.filter(user__email=email.lower(), organisation=organisation).exists()
        ):
            self.add_error("email", f"{email} is already a member of {organisation}.")
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(AutocompleteAdminMixin, admin.ModelAdmin[Invitation]):
    """Adding an invitation sends it: the service stores only the token's hash and emails the link."""

    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "name", "organisation__name"]
    autocomplete_fields = ["organisation"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["email", "name", "organisation", "role", "invited_by", "expires_at", "accepted_at", "accepted_user"]

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            return
        accept_url = request.build_absolute_uri(reverse("accounts:invitation-accept", args=["TOKEN"])).replace(
            "TOKEN", "{token}"
        )
        try:
            invitation, _token = invitation_create(
                email=obj.email,
                name=obj.name,
                organisation=obj.organisation,
                role=obj.role,
                invited_by=request.user,  # type: ignore[arg-type]
                accept_url=accept_url,
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return
        obj.pk = invitation.pk
        obj.__dict__.update({k: v for k, v in invitation.__dict__.items() if not k.startswith("_")})
        messages.success(
            request,
            f"Invitation emailed to {invitation.email}. The link works once, for "
            f"{settings.INVITATION_VALID_DAYS} days.",
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["created_at", "actor", "verb", "target_repr", "strategy"]
    list_filter = ["verb", "strategy"]
    search_fields = ["verb", "target_repr", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin[Email]):
    """The outbox, read-only: administrators see every email, those about no strategy included
    (invitations, password resets), and why one could not be sent. Officers see their strategy's
    failed ones on "Your work"."""

    list_display = ["created_at", "to", "subject", "status", "strategy", "last_error"]
    list_filter = ["status", "strategy"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    exclude = ["body"]  # a reset link or an invitation token is a secret

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
