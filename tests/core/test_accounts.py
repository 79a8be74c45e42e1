"""Signing in and out, resetting a forgotten password, and throttling repeated failures."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from core.models import Email
from tests.conftest import Cast
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def _sign_in(client, email: str, password: str):
    return client.post(LOGIN, {"username": email, "password": password})


def test_sign_in_with_email_and_password_lands_on_home(client, cast: Cast) -> None:
    response = _sign_in(client, "councillor@kent.example", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Your work" in home.content.decode()
    assert "Kent Local Industrial Strategy" in home.content.decode()


def test_email_is_matched_whatever_its_case(client, cast: Cast) -> None:
    assert _sign_in(client, "  Councillor@KENT.example ", DEFAULT_PASSWORD).status_code == 302


@pytest.mark.parametrize("email", ["councillor@kent.example", "nobody@kent.example"])
def test_wrong_password_says_so_without_telling_whether_the_email_exists(client, cast: Cast, email: str) -> None:
    response = _sign_in(client, email, "wrong-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a correct email address and password" in body
    assert "There is a problem" in body
    assert "no account" not in body.lower().replace("no account?", "")


def test_malformed_email_gets_a_clear_error(client, cast: Cast) -> None:
    response = _sign_in(client, "not-an-email", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "Enter an email address in the correct format, like name@example.com" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(client, cast: Cast) -> None:
    client.force_login(cast.officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    # A GET does not sign anybody out (no sign-out by a link in an email or image).
    client.force_login(cast.officer)
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_repeated_failed_sign_ins_are_throttled(client, cast: Cast) -> None:
    for _ in range(5):
        _sign_in(client, "officer@kent.example", "wrong-password")
    response = _sign_in(client, "officer@kent.example", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


WRONG = "wrong-password"


def _from(client, address: str, email: str, password: str = WRONG):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=address)


def test_the_pause_says_what_happened_and_when_to_try_again(client, cast: Cast) -> None:
    for _ in range(5):
        _sign_in(client, "officer@kent.example", "wrong-password")
    body = _sign_in(client, "officer@kent.example", DEFAULT_PASSWORD).content.decode()
    assert "either with the email address you entered or from your network" in body
    assert re.search(r"You can try again after \d{1,2}:\d\d[ap]m \(in 15 minutes\)", body)
    # The same page for an email address with no account.
    for _ in range(5):
        _sign_in(client, "nobody@kent.example", "wrong-password")
    unknown = _sign_in(client, "nobody@kent.example", "wrong-password")
    assert unknown.status_code == 429
    assert _page_text(unknown.content.decode()) == _page_text(body)


def _page_text(html: str) -> str:
    """The page less what differs between any two responses (times, nonces, CSRF tokens)."""
    html = re.sub(r"\d{1,2}:\d\d[ap]m", "", html)
    html = re.sub(r'nonce="[^"]*"', "", html)
    return re.sub(r'("X-CSRFToken": "|value=")[^"]*"', "", html)


def test_guesses_at_one_account_spread_over_addresses_pause_it(client, cast: Cast) -> None:
    """20 guesses from 5 addresses (4 each, under the per-address limit of 5): paused by the 10th."""
    addresses = [f"192.0.2.{n}" for n in range(1, 6)]
    statuses = [_from(client, addresses[n % 5], "officer@kent.example").status_code for n in range(20)]
    assert statuses[:9] == [200] * 9
    assert set(statuses[10:]) == {429}
    # Even the right password, from a sixth address, is refused until the pause ends.
    assert _from(client, "192.0.2.99", "officer@kent.example", DEFAULT_PASSWORD).status_code == 429
    # Other accounts are not affected.
    assert _from(client, "192.0.2.99", "partner@kent.example", DEFAULT_PASSWORD).status_code == 302


def test_one_password_across_many_accounts_from_one_address_pauses_the_address(client, cast: Cast) -> None:
    emails = [f"person{n}@kent.example" for n in range(25)]
    statuses = [_from(client, "198.51.100.7", email, "Summer2026!").status_code for email in emails]
    assert statuses[:19] == [200] * 19
    assert set(statuses[20:]) == {429}
    # Paused for that address, whatever the account, the right password included …
    assert _from(client, "198.51.100.7", "partner@kent.example", DEFAULT_PASSWORD).status_code == 429
    # … and not for anyone else.
    assert _from(client, "198.51.100.8", "partner@kent.example", DEFAULT_PASSWORD).status_code == 302


def test_signing_in_does_not_clear_the_count_against_the_address(client, cast: Cast) -> None:
    """Else one valid account would let a password sprayer start again between rounds."""
    for n in range(15):
        _from(client, "198.51.100.7", f"person{n}@kent.example")
    assert _from(client, "198.51.100.7", "partner@kent.example", DEFAULT_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    statuses = [_from(client, "198.51.100.7", f"other{n}@kent.example").status_code for n in range(6)]
    assert statuses[-1] == 429


def test_success_before_the_limit_resets_the_count(client, cast: Cast) -> None:
    for _ in range(4):
        _sign_in(client, "officer@kent.example", "wrong-password")
    assert _sign_in(client, "officer@kent.example", DEFAULT_PASSWORD).status_code == 302


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """The test cache lives as long as the process: each test starts with no requests counted."""
    cache.clear()


RESET = reverse("accounts:password-reset")
LINK = re.compile(r"https?://[^/]+(/accounts/password-reset/[^\s]+/)")


def test_password_reset_journey(client, cast: Cast) -> None:
    response = client.post(RESET, {"email": "partner@kent.example"})
    assert response.status_code == 302
    # Queued in the outbox for the worker; nothing sent from the request.
    assert mail.outbox == []
    queued = Email.objects.get()
    assert (queued.to, queued.subject, queued.status) == (
        "partner@kent.example",
        "Reset your LIS Portal password",
        "queued",
    )
    link = LINK.search(queued.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert done.status_code == 302
    assert _sign_in(client, "partner@kent.example", "a-new-long-passphrase").status_code == 302
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link cannot be used" in again.content.decode()


def test_password_reset_for_unknown_email_looks_the_same_and_queues_nothing(client, cast: Cast) -> None:
    known = client.post(RESET, {"email": "partner@kent.example"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert _page_text(unknown.content.decode()) == _page_text(known.content.decode())
    assert "Check your email" in unknown.content.decode()
    assert list(Email.objects.values_list("to", flat=True)) == ["partner@kent.example"]
    assert mail.outbox == []


def test_password_reset_is_limited_per_email_address(client, cast: Cast) -> None:
    for n in range(3):
        response = client.post(RESET, {"email": "partner@kent.example"}, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302
    refused = client.post(RESET, {"email": "Partner@kent.example"}, REMOTE_ADDR="192.0.2.50")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "There is a problem" in body
    assert "too many requests for a password reset link, for this email address or from your network" in body
    assert "Wait an hour, then try again" in body
    assert Email.objects.count() == 3
    # An address with no account is limited alike, so the limit says nothing about accounts.
    for _ in range(3):
        client.post(RESET, {"email": "nobody@example.org"}, REMOTE_ADDR="192.0.2.60")
    assert client.post(RESET, {"email": "nobody@example.org"}, REMOTE_ADDR="192.0.2.61").status_code == 429


def test_password_reset_is_limited_per_client_address(client, cast: Cast) -> None:
    for n in range(10):
        assert client.post(RESET, {"email": f"person{n}@example.org"}, REMOTE_ADDR="198.51.100.7").status_code == 302
    refused = client.post(RESET, {"email": "partner@kent.example"}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert "Wait an hour, then try again" in refused.content.decode()
    assert not Email.objects.exists()
    # Another address may still ask.
    assert client.post(RESET, {"email": "partner@kent.example"}, REMOTE_ADDR="198.51.100.8").status_code == 302
    assert Email.objects.count() == 1


def test_each_role_lands_on_a_home_page_that_shows_what_they_can_reach(client, cast: Cast) -> None:
    expectations = {
        cast.councillor: ["Councillor", "submit your council’s priorities"],
        cast.officer: ["LEP officer", "Audit log"],
        cast.board_member: ["Board member", "Kent Strategic Board", f"/{cast.strategy.slug}/documents/packs/"],
        cast.partner: ["Partner", "respond to consultations"],
        cast.admin: ["Administration", "Invite a person"],
    }
    for person, phrases in expectations.items():
        client.force_login(person)
        body = client.get(reverse("home")).content.decode()
        for phrase in phrases:
            assert phrase in body, f"{person.email} should see {phrase!r}"
        assert "Berkshire Local Industrial Strategy</h2>" not in body
