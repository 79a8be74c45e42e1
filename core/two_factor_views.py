"""The two-factor sign-in pages: enter a code, set up an authenticator app, see recovery codes once."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from .exceptions import ApplicationError
from .two_factor import (
    RECOVERY_CODES_SESSION_KEY,
    confirmed_totp_device,
    enrolment_device,
    is_locked_out,
    qr_code_svg,
    secret_for_people,
    two_factor_enrol_confirm,
    two_factor_required,
    two_factor_verify,
)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, hint: str, button: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = hint
        self.fields["code"].error_messages["required"] = "Enter the code"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field.text("code", field_width=Fixed.TEN), Button("submit", button))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_verified():
        return redirect(_next(request))
    if confirmed_totp_device(user) is None:
        return redirect("accounts:two-factor-enrol")
    form = CodeForm(
        request.POST or None,
        hint="The 6-digit code your authenticator app shows for LIS Portal, or one of your recovery codes.",
        button="Continue",
    )
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_verify(request=request, user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            if is_locked_out(user):
                logout(request)
                messages.error(request, error.message)
                return redirect("accounts:login")
            form.add_error("code", error.message)
        else:
            return redirect(_next(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if confirmed_totp_device(user) is not None:
        if not user.is_verified():
            return redirect("accounts:two-factor-verify")
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect("your-data")
    device = enrolment_device(user=user)
    form = CodeForm(
        request.POST or None, hint="The 6-digit code your app shows once it has the secret.", button="Continue"
    )
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_enrol_confirm(request=request, user=user, code=form.cleaned_data["code"])
        except ApplicationError as error:
            form.add_error("code", error.message)
        else:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            target = reverse("accounts:two-factor-recovery-codes")
            return redirect(f"{target}?{urlencode({'next': _next(request)})}")
    context = {
        "form": form,
        "secret": secret_for_people(device),
        "required": two_factor_required(user),
        "next": _next(request),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@never_cache
@login_required
def qr_code(request: HttpRequest) -> HttpResponse:
    """The QR code of the device being set up, as its own image (no inline markup or styles)."""
    user: Any = request.user
    if confirmed_totp_device(user) is not None:
        return HttpResponse(status=404)
    return HttpResponse(qr_code_svg(enrolment_device(user=user)), content_type="image/svg+xml")


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once: the session forgets them as the page is shown."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect(_next(request))
    return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": _next(request)})
