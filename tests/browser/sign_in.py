"""Passing two-factor sign-in in the browser journeys, after the password form.

When the code page shows, the helper enters the code the person's authenticator app would show
(computed from the device's key, tests/two_factor.py); when the set-up page shows (an officer, board
member or administrator with no app yet), it reads the secret off the page, as a person types it
into their app, confirms it with a code, and continues past the recovery codes."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlparse

from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from core.models import User
from tests.two_factor import confirmed_device, current_code


def pass_two_factor(page: Any, email: str) -> None:
    """Call right after clicking "Sign in" with the right password."""
    expect(page).not_to_have_url(re.compile(re.escape(reverse("accounts:login"))))
    if reverse("accounts:two-factor-enrol") in page.url:
        page.get_by_label("Code").fill(code_for_secret(page.locator("#two-factor-secret").inner_text()))
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Two-factor sign-in is set up").wait_for()
        page.get_by_role("link", name="Continue").click()
    elif urlparse(page.url).path == reverse("accounts:two-factor-verify"):
        device = confirmed_device(User.objects.get(email=email.strip().lower()))
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Continue").click()
    else:
        return
    expect(page).not_to_have_url(re.compile("/accounts/two-factor/"))


def code_for_secret(secret: str) -> str:
    """The 6-digit code an authenticator app shows now for the secret as the set-up page writes it."""
    text = re.sub(r"\s", "", secret)
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    return f"{totp(key):06d}"
