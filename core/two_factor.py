"""Two-factor sign-in with django-otp (docs/adr/0037): who needs it, enrolment, verification, and
the middleware that holds a signed-in person at the code page until they have given one.

- Officers, administrators (staff) and board members must use an authenticator app (TOTP); others
  may. Board membership lives in `timeline`, which core may not import: it registers its own check
  with `register_required_check` (timeline/rules.py).
- Enrolment confirms a TOTP device with a first code and gives ten single-use recovery codes
  (a django-otp static device).
- Five wrong codes within 15 minutes sign the person out and refuse codes for 15 minutes, as
  django-axes does for passwords.
- Under DEBUG only, with TWO_FACTOR_DEMO_EXEMPT, the demo accounts (registered by lis_portal from the
  demo's people.toml) are exempt; core/checks.py refuses the setting without DEBUG.
"""

from __future__ import annotations

import base64
import io
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import AuditVerb
from .exceptions import ApplicationError
from .models import Membership, Role, User
from .ratelimit import rate_limit_exceeded
from .services import audit_record

RECOVERY_CODES = 10
WRONG_CODES_LIMIT = 5
LOCKOUT_SECONDS = 15 * 60
# A person found not to need a code is checked again after this long (a role may be given meanwhile).
RECHECK_SECONDS = 300
CHECKED_SESSION_KEY = "two_factor_not_needed"
RECOVERY_CODES_SESSION_KEY = "two_factor_recovery_codes"
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"

_required_checks: list[Callable[[User], bool]] = []
_demo_accounts: set[str] = set()


def register_required_check(check: Callable[[User], bool]) -> None:
    """Another app adds a reason a person must use two-factor sign-in (timeline: board members)."""
    if check not in _required_checks:
        _required_checks.append(check)


def register_demo_accounts(emails: Iterable[str]) -> None:
    """lis_portal names the demo's accounts, exempt under DEBUG with TWO_FACTOR_DEMO_EXEMPT."""
    _demo_accounts.update(email.lower() for email in emails)


def demo_exemption_active() -> bool:
    return bool(settings.DEBUG and getattr(settings, "TWO_FACTOR_DEMO_EXEMPT", False))


def is_demo_exempt(user: Any) -> bool:
    return demo_exemption_active() and str(user.email).lower() in _demo_accounts


def two_factor_required(user: Any) -> bool:
    """Officers (of any LEP), administrators and board members (of any board) must use it."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if Membership.objects.filter(user=user, role=Role.OFFICER).exists():
        return True
    return any(check(user) for check in _required_checks)


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


# Enrolment ----------------------------------------------------------------------------------------


def enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator device being set up, made on the first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_for_people(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it when typed: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> bytes:
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, border=4, title="QR code to add LIS Portal to an authenticator app"
    )
    return out.getvalue()


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def two_factor_enrol_confirm(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the device being set up with a code from the app; returns the new recovery codes."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            raise ApplicationError("Start again: open the set-up page to get a new secret for your app.")
        if not device.verify_token(_clean(code)):
            raise ApplicationError("The code is not right. Enter the 6-digit code your app shows now.")
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        recovery.token_set.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
        audit_record(actor=user, verb=AuditVerb.TWO_FACTOR_ENROLLED, target=user)
    otp_login(request, device)
    return codes


# Verification -------------------------------------------------------------------------------------


def _lock_key(user: Any) -> str:
    return f"two-factor-locked:{user.pk}"


def is_locked_out(user: Any) -> bool:
    return bool(cache.get(_lock_key(user)))


def two_factor_verify(*, request: HttpRequest, user: User, code: str) -> None:
    """Accept a code from the app or an unused recovery code, or raise ApplicationError. The
    fifth wrong code within 15 minutes locks the person out of codes for 15 minutes."""
    if is_locked_out(user):
        raise ApplicationError("Too many wrong codes. Wait 15 minutes, then sign in again.")
    token = _clean(code)
    for device in [*TOTPDevice.objects.filter(user=user, confirmed=True), *StaticDevice.objects.filter(user=user)]:
        if token and device.verify_token(token):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                remaining = device.token_set.count()
                audit_record(actor=user, verb=AuditVerb.TWO_FACTOR_RECOVERY_USED, data={"remaining": remaining})
            else:
                audit_record(actor=user, verb=AuditVerb.TWO_FACTOR_VERIFIED)
            return
    if rate_limit_exceeded(f"two-factor-wrong:{user.pk}", limit=WRONG_CODES_LIMIT - 1, window=LOCKOUT_SECONDS):
        cache.set(_lock_key(user), True, timeout=LOCKOUT_SECONDS)
        audit_record(actor=user, verb=AuditVerb.TWO_FACTOR_LOCKED, data={"attempts": WRONG_CODES_LIMIT})
        raise ApplicationError("Too many wrong codes. Wait 15 minutes, then sign in again.")
    raise ApplicationError("The code is not right. Enter the 6-digit code your app shows now, or a recovery code.")


# Enforcement --------------------------------------------------------------------------------------

VERIFY, ENROL = "verify", "enrol"


def two_factor_state(request: HttpRequest) -> str | None:
    """What a signed-in person must do before anything else: VERIFY, ENROL or nothing (None)."""
    user: Any = request.user
    if not user.is_authenticated or user.is_verified() or is_demo_exempt(user):
        return None
    checked = request.session.get(CHECKED_SESSION_KEY)
    if checked and checked[0] == user.pk and time.time() - checked[1] < RECHECK_SECONDS:
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    if two_factor_required(user):
        return ENROL
    request.session[CHECKED_SESSION_KEY] = [user.pk, time.time()]
    return None


def _open_to_everyone(path: str) -> bool:
    if path.startswith((settings.STATIC_URL or "/static/", "/accounts/two-factor/")):
        return True
    return path in {
        reverse("accounts:logout"),
        reverse("accessibility"),
        reverse("privacy"),
        reverse("cookies"),
        reverse("healthz"),
    }


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a signed-in person who needs a code and has not given one
    this session reaches only the code pages, sign out and the accessibility, privacy and cookies
    pages (the Django admin included in what is held back)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not _open_to_everyone(request.path_info):
            state = two_factor_state(request)
            if state is not None:
                name = "accounts:two-factor-verify" if state == VERIFY else "accounts:two-factor-enrol"
                target = reverse(name)
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                response = HttpResponseRedirect(target)
                if getattr(request, "htmx", False):
                    response["HX-Redirect"] = target
                return response
        return self.get_response(request)
