"""Writes that span rows or have side effects: invitations, password reset links, the audit trail
and the email outbox."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, EmailMessage
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import claims
from .audit import AuditVerb
from .exceptions import ApplicationError
from .models import AuditEvent, Email, Invitation, Membership, Organisation, Role, Strategy, User
from .queue import enqueue, enqueue_on_commit
from .ratelimit import rate_limit_exceeded


def audit_record(
    *,
    actor: User | None,
    verb: AuditVerb,
    target: models.Model | None = None,
    strategy: Strategy | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. Call it inside the service's transaction, beside the change it records."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        strategy=strategy,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        data=data or {},
    )


def invitation_create(
    *, email: str, name: str, organisation: Organisation, role: str, invited_by: User | None, accept_url: str
) -> tuple[Invitation, str]:
    """Invite a person to `organisation` with `role` and email them a link that works once.

    `accept_url` is the absolute address of the accept page with `{token}` where the token goes.
    Returns the invitation and the raw token (only its hash is stored).
    """
    email = User.objects.normalize_email(email.strip()).lower()
    probe = Membership(organisation=organisation, role=role)
    try:
        probe.clean()
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="role") from error
    if Membership.objects.filter(user__email=email, organisation=organisation).exists():
        raise ApplicationError(f"{email} is already a member of {organisation}.", field="email")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            email=email,
            name=name.strip(),
            organisation=organisation,
            role=role,
            token_hash=Invitation.hash_token(token),
            invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        try:
            invitation.full_clean()
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages)) from error
        invitation.save()
        audit_record(
            actor=invited_by, verb=AuditVerb.INVITATION_SENT, target=invitation, data={"email": email, "role": role}
        )
        link = accept_url.replace("{token}", token)
        body = render_to_string("accounts/email/invitation.txt", {"invitation": invitation, "link": link})
        email_queue(to=email, subject=invitation_subject(invitation), body=body)
    return invitation, token


def invitation_subject(invitation: Invitation) -> str:
    """The subject says what the body says: who invites, to what role, for which organisation
    ("Demo Administrator invites you to LIS Portal as partner for Example Business Group"), never
    the organisation as though it had sent the invitation."""
    who = f"{invitation.invited_by.name} invites you" if invitation.invited_by else "You are invited"
    return f"{who} to LIS Portal as {invitation.get_role_display().lower()} for {invitation.organisation}"


def invitation_get_usable(*, token: str) -> Invitation:
    """The invitation a link's token names, if it can still be used; otherwise a clear error."""
    invitation = (
        Invitation.objects.select_related("organisation").filter(token_hash=Invitation.hash_token(token)).first()
    )
    if invitation is None:
        raise ApplicationError("This invitation link is not valid. Check you copied the whole link from the email.")
    if invitation.accepted_at is not None:
        raise ApplicationError(
            "This invitation has already been used. Sign in with your email address and password, "
            "or reset your password if you have forgotten it."
        )
    if invitation.is_expired:
        raise ApplicationError(
            "This invitation has expired. Ask the person who invited you, or an administrator, to send a new one."
        )
    return invitation


def invitation_accept(*, token: str, password: str) -> User:
    """Use an invitation: create (or join) the account, set its password and add the membership."""
    with transaction.atomic():
        invitation = invitation_get_usable(token=token)
        # Lock the row so two clicks on the same link cannot both succeed.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ApplicationError("This invitation has already been used.")
        user = User.objects.filter(email=invitation.email).first()
        if user is None:
            user = User(email=invitation.email, name=invitation.name)
        user.set_password(password)
        user.save()
        try:
            Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
        except IntegrityError as error:
            raise ApplicationError(f"You are already a member of {invitation.organisation}.") from error
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        audit_record(actor=user, verb=AuditVerb.INVITATION_ACCEPTED, target=invitation, data={"role": invitation.role})
    return user


def password_reset_request(*, email: str, client_address: str) -> None:
    """Queue an email with a link to choose a new password to the active account with this address,
    if there is one; the worker sends it (the request never waits for a mail server). For an
    unknown address the same token and email are made and not stored, so the answer and its time
    say nothing about which addresses have accounts. Refused past PASSWORD_RESET_PER_EMAIL_PER_HOUR
    requests for one email address, or PASSWORD_RESET_PER_CLIENT_PER_HOUR from one client address."""
    email = email.strip()
    email_key = hashlib.sha256(email.lower().encode()).hexdigest()[:32]
    too_many_here = rate_limit_exceeded(
        f"core:password-reset:client:{client_address}", limit=settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR, window=3600
    )
    too_many_for_email = rate_limit_exceeded(
        f"core:password-reset:email:{email_key}", limit=settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR, window=3600
    )
    if too_many_here or too_many_for_email:
        raise ApplicationError(
            "There have been too many requests for a password reset link, for this email address or from "
            "your network. Wait an hour, then try again. A link already sent still works for 24 hours: "
            "check your spam or junk folder.",
            field="email",
        )
    users = [user for user in User.objects.filter(email__iexact=email, is_active=True) if user.has_usable_password()]
    site = urlsplit(settings.SITE_URL)
    with transaction.atomic():
        for user in users or [User(email=email)]:
            context = {
                "email": user.email,
                "uid": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
                "protocol": site.scheme,
                "domain": site.netloc,
            }
            subject = render_to_string("accounts/email/password_reset_subject.txt").strip()
            body = render_to_string("accounts/email/password_reset.txt", context)
            if user.pk is not None:
                email_queue(to=user.email, subject=subject, body=body)


def role_label(role: str) -> str:
    return str(Role(role).label)


# Characters that would break or forge an email header: line breaks of every kind, NUL and the
# other control characters. A person's text (a priority's title in a receipt's subject, say) loses
# them on the way into a header; the body keeps its lines.
_HEADER_UNSAFE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def header_safe(value: str) -> str:
    """`value` fit for an email header: every line break and control character becomes a space."""
    return " ".join(_HEADER_UNSAFE.sub(" ", value).split())


def email_queue(
    *, to: str, subject: str, body: str, headers: dict[str, str] | None = None, strategy: Strategy | None = None
) -> Email:
    """Store an email and send it from a Celery worker once the surrounding transaction commits.
    `headers`: extra headers the message carries (List-Unsubscribe, say); `strategy`: the strategy it
    is about, whose officers see it on their "Your work" if it cannot be sent. The address, the
    subject and the headers are made header-safe here, whoever wrote them."""
    from .tasks import email_send

    email = Email.objects.create(
        to=header_safe(to),
        subject=header_safe(subject)[:200],
        body=body,
        headers={header_safe(k): header_safe(v) for k, v in (headers or {}).items()},
        strategy=strategy,
    )
    enqueue_on_commit(email_send, email.pk)
    return email


EMAIL_JOB = claims.Job(
    model=Email,
    waiting=Email.Status.QUEUED,
    working=Email.Status.SENDING,
    failed=Email.Status.FAILED,
    error_field="last_error",
    queued_field="created_at",
    gave_up="Gave up after three attempts.",
    max_attempts=Email.MAX_ATTEMPTS,
)


def email_deliver(*, email_id: int) -> str:
    """Claim a queued email (core.claims: so two workers never both send it, and a stopped worker's
    email is taken over), send it, and record the outcome. After MAX_ATTEMPTS claims it is marked
    failed with its last error."""
    from .tasks import email_send

    claim = claims.claim(EMAIL_JOB, email_id)
    if isinstance(claim, claims.Held):
        claims.retry_when_free(email_send, email_id, claim)
        return "held"
    if claim is None:
        return "skipped"
    email = Email.objects.get(pk=email_id)
    try:
        with claim.heartbeat():
            claim.check()
            EmailMessage(
                email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to], headers=email.headers or None
            ).send()
    except claims.ClaimLost:
        return "lost"
    except BadHeaderError as error:  # cannot succeed on a retry: fail now, saying why
        claim.finish(status=Email.Status.FAILED, last_error=f"Bad header: {error}")
        return "failed"
    except OSError as error:
        final = claim.attempt >= Email.MAX_ATTEMPTS
        claim.finish(
            status=Email.Status.FAILED if final else Email.Status.QUEUED, last_error=f"{type(error).__name__}: {error}"
        )
        if final:
            return "failed"
        raise
    if not claim.finish(status=Email.Status.SENT, sent_at=timezone.now(), last_error=""):
        return "lost"
    return "sent"


def email_requeue_stale(*, older_than: timedelta) -> int:
    """Send again the emails nobody is sending: queued longer than `older_than` (a message lost), or
    held by a worker that stopped (core.claims.sweep). Those that used their attempts are failed."""
    from .tasks import email_send

    return claims.sweep(EMAIL_JOB, queued_before=older_than, enqueue=lambda pk: enqueue(email_send, pk))
