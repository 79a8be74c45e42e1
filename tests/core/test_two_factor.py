"""Two-factor sign-in (core/two_factor.py): who must use it, enrolment, codes, recovery codes,
lockout after wrong codes, and the demo exemption that only DEBUG allows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.checks import Error
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.checks import two_factor_demo_exemption_needs_debug
from core.models import AuditEvent
from core.two_factor import two_factor_required
from tests.conftest import Cast
from tests.factories import DEFAULT_PASSWORD
from tests.two_factor import confirmed_device, current_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:two-factor-verify")
ENROL = reverse("accounts:two-factor-enrol")
REQUIRED = ["officer", "board_member", "admin"]
OPTIONAL = ["councillor", "partner", "outsider"]


def _sign_in_with_password(client, email: str):
    return client.post(LOGIN, {"username": email, "password": DEFAULT_PASSWORD})


def _private_urls(cast: Cast) -> list[str]:
    slug = cast.strategy.slug
    return [
        reverse("home"),
        reverse("your-data"),
        reverse("admin:index"),
        reverse("strategy-overview", kwargs={"strategy_slug": slug}),
        reverse("timeline:index", kwargs={"strategy_slug": slug}),
        reverse("audit-log", kwargs={"strategy_slug": slug}),
    ]


@pytest.mark.parametrize("role", [*REQUIRED, *OPTIONAL])
def test_who_must_use_two_factor_sign_in(cast: Cast, role: str) -> None:
    assert two_factor_required(cast.person(role)) is (role in REQUIRED)


@pytest.mark.parametrize("role", REQUIRED)
def test_required_people_without_a_device_reach_only_the_set_up_page(client, cast: Cast, role: str) -> None:
    person: Any = cast.person(role)
    assert _sign_in_with_password(client, person.email).status_code == 302
    for url in _private_urls(cast):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(ENROL), url
    assert client.get(reverse("accessibility")).status_code == 200
    assert client.get(reverse("privacy")).status_code == 200
    assert client.get(ENROL).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [*REQUIRED, "councillor"])
def test_people_with_a_device_reach_only_the_code_page_until_they_give_a_code(client, cast: Cast, role: str) -> None:
    person: Any = cast.person(role)
    confirmed_device(person)
    _sign_in_with_password(client, person.email)
    for url in _private_urls(cast):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(VERIFY), url
    page = client.get(VERIFY)
    assert "Enter the 6-digit code from your authenticator app" in page.content.decode()


@pytest.mark.parametrize("role", ["councillor", "partner"])
def test_others_may_sign_in_without_a_code_and_may_set_it_up(client, cast: Cast, role: str) -> None:
    _sign_in_with_password(client, cast.councillor.email if role == "councillor" else cast.partner.email)
    assert client.get(reverse("home")).status_code == 200
    your_data = client.get(reverse("your-data")).content.decode()
    assert "Set up two-factor sign-in" in your_data
    assert client.get(ENROL).status_code == 200


def test_enrolment_confirms_the_app_and_shows_ten_recovery_codes_once(client, cast: Cast) -> None:
    _sign_in_with_password(client, cast.officer.email)
    page = client.get(ENROL + "?next=/kent/").content.decode()
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    qr = client.get(reverse("accounts:two-factor-qr-code"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=cast.officer, confirmed=False)

    wrong = client.post(ENROL, {"code": "000000", "next": "/kent/"})
    assert wrong.status_code == 200 and "The code is not right" in wrong.content.decode()

    response = client.post(ENROL, {"code": current_code(device), "next": "/kent/"})
    assert response.status_code == 302
    codes_page = client.get(response.url)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert StaticDevice.objects.get(user=cast.officer).token_set.count() == 10
    assert client.get(response.url).status_code == 302  # shown once
    assert client.get("/kent/").status_code == 200  # verified by the enrolment
    assert AuditEvent.objects.filter(actor=cast.officer, verb="two_factor.enrolled").exists()


def test_a_code_from_the_app_signs_in(client, cast: Cast) -> None:
    device = confirmed_device(cast.officer)
    _sign_in_with_password(client, cast.officer.email)
    code = f"{totp(device.bin_key):06d}"
    response = client.post(VERIFY, {"code": code, "next": "/kent/"})
    assert response.status_code == 302 and response.url == "/kent/"
    assert client.get("/kent/").status_code == 200
    assert AuditEvent.objects.filter(actor=cast.officer, verb="two_factor.verified").exists()


def test_a_wrong_code_is_refused_with_a_gov_uk_error(client, cast: Cast) -> None:
    confirmed_device(cast.officer)
    _sign_in_with_password(client, cast.officer.email)
    response = client.post(VERIFY, {"code": "123 456"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body and "govuk-error-message" in body
    assert "The code is not right" in body
    assert client.get(reverse("home")).status_code == 302
    empty = client.post(VERIFY, {"code": ""}).content.decode()
    assert "Enter the code" in empty


def test_a_recovery_code_works_once(client, cast: Cast) -> None:
    confirmed_device(cast.officer)
    recovery = StaticDevice.objects.create(user=cast.officer, name="Recovery codes")
    recovery.token_set.create(token="abcd1234")
    _sign_in_with_password(client, cast.officer.email)
    assert client.post(VERIFY, {"code": "abcd 1234"}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(actor=cast.officer, verb="two_factor.recovery_used").exists()

    client.post(reverse("accounts:logout"))
    _sign_in_with_password(client, cast.officer.email)
    again = client.post(VERIFY, {"code": "abcd1234"})
    assert again.status_code == 200 and "The code is not right" in again.content.decode()


def test_five_wrong_codes_sign_the_person_out_and_lock_codes(client, cast: Cast) -> None:
    device = confirmed_device(cast.officer)
    _sign_in_with_password(client, cast.officer.email)
    for _ in range(4):
        assert client.post(VERIFY, {"code": "000000"}).status_code == 200
    fifth = client.post(VERIFY, {"code": "000000"})
    assert fifth.status_code == 302 and fifth.url == LOGIN
    assert "_auth_user_id" not in client.session
    assert "Too many wrong codes" in client.get(LOGIN).content.decode()
    # Signing in again with the password does not open the door: even the right code is refused.
    _sign_in_with_password(client, cast.officer.email)
    response = client.post(VERIFY, {"code": current_code(device)}, follow=True)
    assert "Too many wrong codes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(actor=cast.officer, verb="two_factor.locked").exists()


DEMO_OFFICER = "officer@example.org"


def _demo_officer(cast: Cast) -> Any:
    cast.officer.email = DEMO_OFFICER
    cast.officer.save(update_fields=["email"])
    return cast.officer


def test_demo_accounts_are_exempt_under_debug_and_every_page_says_so(client, cast: Cast) -> None:
    officer = _demo_officer(cast)
    with override_settings(DEBUG=True, TWO_FACTOR_DEMO_EXEMPT=True):
        _sign_in_with_password(client, officer.email)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert "Demo: two-factor sign-in is off for the demo accounts" in response.content.decode()
        assert "Demo: two-factor sign-in is off" in client.get(reverse("accessibility")).content.decode()
        # Not the portal's other people: the test cast's board member still sets it up.
        other = Client()
        _sign_in_with_password(other, cast.board_member.email)
        assert other.get(reverse("home"))["Location"].startswith(ENROL)


def test_the_exemption_does_nothing_without_debug(client, cast: Cast) -> None:
    officer = _demo_officer(cast)
    with override_settings(DEBUG=False, TWO_FACTOR_DEMO_EXEMPT=True):
        _sign_in_with_password(client, officer.email)
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(ENROL)
        assert "Demo: two-factor" not in client.get(reverse("accessibility")).content.decode()


def test_the_system_check_refuses_the_exemption_without_debug() -> None:
    with override_settings(DEBUG=False, TWO_FACTOR_DEMO_EXEMPT=True):
        errors = two_factor_demo_exemption_needs_debug()
    assert [e.id for e in errors] == ["core.E001"] and isinstance(errors[0], Error)
    with override_settings(DEBUG=True, TWO_FACTOR_DEMO_EXEMPT=True):
        assert two_factor_demo_exemption_needs_debug() == []
    from lis_portal.settings import base

    assert base.TWO_FACTOR_DEMO_EXEMPT is False  # production.py takes base's value and never sets it
    assert "TWO_FACTOR_DEMO_EXEMPT" not in (base.BASE_DIR / "lis_portal/settings/production.py").read_text()
