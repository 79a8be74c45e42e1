"""An administrator invites a person by email to an organisation with a role; the link sets a
password once and expires."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import AuditEvent, Email, Invitation, Membership, Organisation, Role, User
from core.services import invitation_accept, invitation_create
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

ACCEPT_URL = "http://testserver/accounts/invitation/{token}/"


def _invite(cast: Cast, **overrides: object) -> tuple[Invitation, str]:
    council = cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    arguments: dict[str, object] = {
        "email": "New.Councillor@Example.org",
        "name": "Nia Newcomer",
        "organisation": council,
        "role": Role.COUNCILLOR,
        "invited_by": cast.admin,
        "accept_url": ACCEPT_URL,
    }
    arguments.update(overrides)
    return invitation_create(**arguments)  # type: ignore[arg-type]


def test_admin_invites_through_the_django_admin(client, cast: Cast, django_capture_on_commit_callbacks) -> None:
    client.force_login(cast.admin)
    council = cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_invitation_add"),
            {"email": "nia@example.org", "name": "Nia Newcomer", "organisation": council.pk, "role": Role.COUNCILLOR},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nia@example.org")
    assert invitation.invited_by == cast.admin
    assert len(mail.outbox) == 1
    assert "/accounts/invitation/" in mail.outbox[0].body
    assert Email.objects.get(to="nia@example.org").status == Email.Status.SENT


def test_admin_invitation_with_a_role_that_does_not_fit_is_refused(client, cast: Cast) -> None:
    client.force_login(cast.admin)
    university = cast.strategy.partners.get(kind=Organisation.Kind.UNIVERSITY)
    response = client.post(
        reverse("admin:core_invitation_add"),
        {"email": "nia@example.org", "name": "Nia", "organisation": university.pk, "role": Role.COUNCILLOR},
    )
    assert response.status_code == 200
    assert "Councillors are members of a council" in response.content.decode()
    assert not Invitation.objects.exists()


def test_accepting_sets_the_password_once_and_adds_the_membership(
    client, cast: Cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(cast)
    assert invitation.email == "new.councillor@example.org"
    assert invitation.token_hash != token  # only the hash is stored
    link = re.search(r"http://testserver(/accounts/invitation/[^\s]+/)", str(mail.outbox[0].body))
    assert link is not None and token in link.group(1)

    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "Accept your invitation" in page.content.decode()
    response = client.post(link.group(1), {"new_password1": "a-long-passphrase", "new_password2": "a-long-passphrase"})
    assert response.status_code == 302
    user = User.objects.get(email="new.councillor@example.org")
    assert user.check_password("a-long-passphrase")
    assert Membership.objects.filter(user=user, role=Role.COUNCILLOR).exists()
    assert AuditEvent.objects.filter(verb="invitation.accepted", actor=user).exists()

    # Reused: a clear message, nothing changed.
    client.logout()
    again = client.post(link.group(1), {"new_password1": "another-passphrase", "new_password2": "another-passphrase"})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-long-passphrase")


def test_expired_invitation_is_refused_and_saves_nothing(client, cast: Cast) -> None:
    _invitation, token = _invite(cast)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(
            f"/accounts/invitation/{token}/",
            {"new_password1": "a-long-passphrase", "new_password2": "a-long-passphrase"},
        )
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        with pytest.raises(ApplicationError, match="expired"):
            invitation_accept(token=token, password="a-long-passphrase")
    assert not User.objects.filter(email="new.councillor@example.org").exists()


def test_unknown_token_is_refused(client, cast: Cast) -> None:
    response = client.get("/accounts/invitation/not-a-real-token/")
    assert response.status_code == 410
    assert "not valid" in response.content.decode()


def test_weak_or_mismatched_passwords_show_what_to_fix(client, cast: Cast) -> None:
    _invitation, token = _invite(cast)
    url = f"/accounts/invitation/{token}/"
    mismatch = client.post(url, {"new_password1": "a-long-passphrase", "new_password2": "different-passphrase"})
    assert "The passwords do not match" in mismatch.content.decode()
    short = client.post(url, {"new_password1": "short", "new_password2": "short"})
    assert "too short" in short.content.decode()
    assert not User.objects.filter(email="new.councillor@example.org").exists()


def test_inviting_an_existing_member_is_refused(cast: Cast) -> None:
    council = cast.strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    with pytest.raises(ApplicationError, match="already a member"):
        _invite(cast, email="councillor@kent.example", organisation=council)


def test_malformed_email_is_refused(cast: Cast) -> None:
    with pytest.raises(ApplicationError, match="valid email"):
        _invite(cast, email="not an email")
    assert not Invitation.objects.exists()


def test_the_subject_says_what_the_body_says(cast: Cast) -> None:
    invitation, _token = _invite(cast)
    email = Email.objects.get(to="new.councillor@example.org")
    council = invitation.organisation
    assert email.subject == f"Ada Administrator invites you to LIS Portal as councillor for {council.name}"
    assert f"Ada Administrator has invited you to LIS Portal as councillor for {council.name}." in email.body
    assert f"by {council.name}" not in email.subject
