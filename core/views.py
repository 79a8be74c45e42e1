"""Accounts (sign in and out, password reset, invitations) and the strategy audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from .access import get_strategy_for_user_or_404
from .exceptions import ApplicationError
from .forms import ChooseNewPasswordForm, ForgottenPasswordForm, InvitationAcceptForm, SignInForm
from .http import form_error_field
from .selectors import audit_event_list_for_strategy, failed_email_list
from .services import invitation_accept, invitation_get_usable, password_reset_request

PREVIOUS_SIGN_IN = "previous_sign_in"


class SignInView(auth_views.LoginView):
    """Signing in also keeps, in the new session, when the person last signed in before this
    (an ISO timestamp, or nothing the first time), so their landing page can say what the LEP
    answered since then: signing in overwrites `last_login`."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        previous = form.get_user().last_login
        response = super().form_valid(form)
        if previous is not None:
            self.request.session[PREVIOUS_SIGN_IN] = previous.isoformat()
        return response


class SignOutView(auth_views.LogoutView):
    pass


class ForgottenPasswordView(auth_views.PasswordResetView):
    """The link goes through the email outbox (core.services.password_reset_request), not from the
    request: the same answer, as fast, whether or not the address has an account."""

    form_class = ForgottenPasswordForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            password_reset_request(
                email=form.cleaned_data["email"], client_address=str(self.request.META.get("REMOTE_ADDR") or "")
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return redirect(self.get_success_url())


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
def failed_emails(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The emails about the strategy that could not be sent, with why: for its officers."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm="core.view_failed_emails")
    page = Paginator(failed_email_list(strategy=strategy), 50).get_page(request.GET.get("page"))
    return render(request, "core/failed_emails.html", {"strategy": strategy, "page": page})


@login_required
def audit_log(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm="core.view_audit_log")
    page = Paginator(audit_event_list_for_strategy(strategy=strategy, viewer=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/audit_log.html", {"strategy": strategy, "page": page})
