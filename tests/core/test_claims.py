"""core.claims on PostgreSQL: one claimer wins, an expired lease is taken over, the heartbeat extends
the lease, and a lost claim is noticed and can write nothing. Email rows serve as the job."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from core import claims
from core.models import Email
from core.services import EMAIL_JOB

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]


def _email() -> Email:
    return Email.objects.create(to="a@example.org", subject="S", body="B")


def test_of_two_claimers_at_once_one_wins_and_the_other_is_held() -> None:
    email = _email()
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def take() -> None:
        try:
            start.wait()
            outcomes.append(claims.claim(EMAIL_JOB, email.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [o for o in outcomes if isinstance(o, claims.Claim)]
    held = [o for o in outcomes if isinstance(o, claims.Held)]
    assert len(won) == 1 and len(held) == 1
    assert 1 <= held[0].retry_in <= 31
    email.refresh_from_db()
    assert email.status == Email.Status.SENDING and email.attempts == 1 and email.restarts == 0
    assert email.claim_token == won[0].token


def test_an_expired_lease_is_taken_over_and_the_old_holder_can_write_nothing() -> None:
    email = _email()
    first = claims.claim(EMAIL_JOB, email.pk)
    assert isinstance(first, claims.Claim) and not first.restarted
    # Its worker stopped: nothing renewed the lease, which ran out.
    Email.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(seconds=31))
    second = claims.claim(EMAIL_JOB, email.pk)
    assert isinstance(second, claims.Claim) and second.restarted and second.attempt == 2
    email.refresh_from_db()
    assert email.attempts == 2 and email.restarts == 1 and email.claim_token == second.token
    assert not first.renew() and first.lost
    with pytest.raises(claims.ClaimLost):
        first.check()
    assert not first.finish(status=Email.Status.SENT)
    assert second.finish(status=Email.Status.SENT, sent_at=timezone.now())
    done = Email.objects.get(pk=email.pk)
    assert done.status == Email.Status.SENT and done.claim_token is None
    assert claims.claim(EMAIL_JOB, email.pk) is None  # done: nothing to take


def test_an_expired_lease_with_no_attempts_left_fails_the_job() -> None:
    email = _email()
    Email.objects.filter(pk=email.pk).update(
        status=Email.Status.SENDING, attempts=3, claimed_at=timezone.now() - timedelta(minutes=1)
    )
    assert claims.claim(EMAIL_JOB, email.pk) is None
    email.refresh_from_db()
    assert email.status == Email.Status.FAILED and email.last_error == EMAIL_JOB.gave_up


@override_settings(CLAIM_LEASE_SECONDS=1.5)
def test_the_heartbeat_extends_the_lease_while_the_work_runs() -> None:
    email = _email()
    claim = claims.claim(EMAIL_JOB, email.pk)
    assert isinstance(claim, claims.Claim)
    claimed_at = Email.objects.get(pk=email.pk).claimed_at
    assert claimed_at is not None
    with claim.heartbeat():
        time.sleep(2.5)  # longer than the lease: without renewals it would have run out
        renewed = Email.objects.get(pk=email.pk).claimed_at
        assert renewed is not None and renewed > claimed_at + timedelta(seconds=0.9)
        assert isinstance(claims.claim(EMAIL_JOB, email.pk), claims.Held)  # still live
    claim.check()  # not lost
    assert claim.finish(status=Email.Status.SENT)


@override_settings(CLAIM_LEASE_SECONDS=1.5)
def test_a_renewal_that_finds_the_claim_lost_stops_the_work() -> None:
    email = _email()
    claim = claims.claim(EMAIL_JOB, email.pk)
    assert isinstance(claim, claims.Claim)
    with claim.heartbeat():
        # Another worker took it over (as after a long pause of this one, its lease run out).
        Email.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - timedelta(seconds=2))
        other = claims.claim(EMAIL_JOB, email.pk)
        assert isinstance(other, claims.Claim)
        deadline = time.monotonic() + 3
        while not claim.lost and time.monotonic() < deadline:
            time.sleep(0.05)
        assert claim.lost  # noticed by the heartbeat, within a third of the lease
        with pytest.raises(claims.ClaimLost):
            claim.check()
    assert not claim.finish(status=Email.Status.FAILED, last_error="mine")
    email.refresh_from_db()
    assert email.status == Email.Status.SENDING and email.claim_token == other.token and email.last_error == ""


def test_the_sweep_sends_again_what_nobody_works_on_and_fails_the_spent() -> None:
    old = timezone.now() - timedelta(minutes=20)
    stopped = _email()
    spent = _email()
    live = _email()
    lost_message = _email()
    fresh = _email()
    Email.objects.filter(pk=stopped.pk).update(status=Email.Status.SENDING, attempts=1, claimed_at=old)
    Email.objects.filter(pk=spent.pk).update(status=Email.Status.SENDING, attempts=3, claimed_at=old)
    Email.objects.filter(pk=live.pk).update(status=Email.Status.SENDING, attempts=1, claimed_at=timezone.now())
    Email.objects.filter(pk=lost_message.pk).update(created_at=old)
    sent: list[int] = []
    assert claims.sweep(EMAIL_JOB, queued_before=timedelta(minutes=10), enqueue=sent.append) == 2
    assert sorted(sent) == sorted([stopped.pk, lost_message.pk])
    spent.refresh_from_db()
    assert spent.status == Email.Status.FAILED
    for email in (live, fresh):
        email.refresh_from_db()
        assert email.attempts == (1 if email == live else 0) and email.status != Email.Status.FAILED
