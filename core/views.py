"""Accounts (sign in and out, password reset, invitations) and the strategy audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from .access import get_strategy_for_user_or_404
from .exceptions import ApplicationError, Conflict, StaleEditError
from .forms import ChooseNewPasswordForm, ForgottenPasswordForm, InvitationAcceptForm, SignInForm
from .models import User
from .selectors import audit_event_list_for_strategy
from .services import invitation_accept, invitation_get_usable


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class ForgottenPasswordView(auth_views.PasswordResetView):
    form_class = ForgottenPasswordForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class ForgottenPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ChooseNewPasswordView(auth_views.PasswordResetConfirmView):
    form_class = ChooseNewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordChangedView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_get_usable(token=token)
    except ApplicationError as error:
        return render(request, "accounts/invitation_unusable.html", {"message": error.message}, status=410)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email, name=invitation.name)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ApplicationError as error:
            return render(request, "accounts/invitation_unusable.html", {"message": error.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.name}. Your account is ready.")
        return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@login_required
def audit_log(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm="core.view_audit_log")
    page = Paginator(audit_event_list_for_strategy(strategy=strategy), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"strategy": strategy, "page": page})


# Edit pages with optimistic locking ------------------------------------------------------------


def request_user(request: HttpRequest) -> User:
    """The signed-in person making the request (for views behind login_required), as a User."""
    user = request.user
    assert isinstance(user, User)
    return user


F = TypeVar("F", bound=forms.BaseForm)
T = TypeVar("T")


def form_error_field(form: forms.BaseForm, error: ApplicationError) -> str | None:
    """The field an ApplicationError names when the form has it, else None (an error for the whole form)."""
    return error.field if error.field in form.fields else None


def versioned_save(
    data: QueryDict,
    *,
    current: Any,
    form_for: Callable[[QueryDict, Any], F],
    save: Callable[[F, int], T],
    error_field: Callable[[F, ApplicationError], str | None] = form_error_field,
) -> tuple[F, T | None, list[Conflict]]:
    """The POST half of an edit page whose form carries the row's `version`.

    Binds `form_for(data, current)`; when valid, calls `save(form, version)` (a service). Returns
    the form, what the service returned (None when nothing was saved) and the conflicts to show.
    On StaleEditError the form keeps what this person typed, bound again with the saved version
    (so the next save applies it over the colleague's) and `form_for(data, error.current)`, and
    the conflicts say "theirs / yours"; any other ApplicationError becomes an error on the field
    `error_field` names (by default the error's own field when the form has it).
    """
    form = form_for(data, current)
    if not form.is_valid():
        return form, None, []
    try:
        return form, save(form, form.cleaned_data["version"] or 0), []
    except StaleEditError as error:
        data = data.copy()
        data["version"] = str(error.current.version)
        form = form_for(data, error.current)
        form.is_valid()
        form.add_error(None, error.message)
        return form, None, error.conflicts
    except ApplicationError as error:
        form.add_error(error_field(form, error), error.message)
        return form, None, []
