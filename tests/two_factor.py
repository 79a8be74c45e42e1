"""Signing in as tests do: a session already verified by two-factor sign-in (core/two_factor.py).

`tests/conftest.py` makes every `Client.force_login` call `verify_session` too, and bench/ calls it
after its own `force_login`; only tests/browser/test_two_factor_journey.py enrols and signs in with
a real code. The browser journeys sign in through the forms with `tests/browser/sign_in.py`."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.two_factor import CHECKED_SESSION_KEY, two_factor_required

TEST_DEVICE = "Test authenticator"


def confirmed_device(user: Any) -> TOTPDevice:
    """The person's confirmed authenticator device, made for the test if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The code the person's app shows now. The device forgets the last code it took, so a test
    may sign the same person in twice within the 30 seconds a code lasts."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def verify_session(client: Client, user: Any) -> None:
    """Mark the client's signed-in session as django_otp.login does: with a confirmed device for
    people who must use two-factor sign-in (or who have a device); checked for everyone else."""
    session = client.session
    if two_factor_required(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    else:
        session[CHECKED_SESSION_KEY] = [user.pk, time.time()]
    session.save()
