"""An officer signs in for the first time, sets up an authenticator app (with the code the app would
show, computed here from the device's key), keeps the recovery codes, signs out, and signs in again
with a password and a fresh code after a wrong one. axe-core and the Nu checker find nothing on
any page visited; the QR code is an image with a text alternative, and the secret is on the page."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.conftest import Cast
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _password(page: Any, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_officer_enrols_and_signs_in_with_a_real_code(page: Any, cast: Cast) -> None:
    officer = cast.officer
    _password(page, officer.email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/set-up/"))
    expect(page.get_by_role("heading", level=1, name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", qr.element_handle()) > 0
    assert_accessible(page)

    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    assert len(secret) == 32  # 20 bytes of key, as base32

    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    time.sleep(1.5)  # django-otp makes a device wait a second after a wrong code
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    codes = page.locator(".app-two-factor-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    _password(page, officer.email)
    page.wait_for_url(re.compile(r"/accounts/two-factor/"))
    expect(page.get_by_role("heading", name="Enter the 6-digit code from your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill("111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert_accessible(page)

    # The code for the next 30 seconds: the one just used to enrol may not be used twice, and
    # django-otp accepts a code one step either side of now.
    time.sleep(1.5)
    device.refresh_from_db()
    page.get_by_label("Code").fill(f"{totp(device.bin_key, drift=1):06d}")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
    page.goto("/accounts/your-data/")
    expect(page.get_by_text("You sign in with your password and a code from your authenticator app.")).to_be_visible()
    assert_accessible(page)
