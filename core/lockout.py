"""Pausing sign-in after repeated failures, on django-axes: three counts, each with its limit.

- one email address from one network address: AXES_FAILURE_LIMIT (5), the person who mistypes;
- one email address from any address: SIGN_IN_ACCOUNT_FAILURE_LIMIT (10), guesses spread over
  many addresses at one account;
- one network address at any email address: SIGN_IN_ADDRESS_FAILURE_LIMIT (20), one password
  tried across many accounts.

django-axes counts each group of AXES_LOCKOUT_PARAMETERS but compares them all with one limit; the
handler below scales each group's count to that limit, so each is held to its own. A failure is
counted whether or not the email address has an account, so the pause says nothing about which
exist. A successful sign-in clears the counts for that email address, never its network address's
count across accounts (or one valid account would let an attacker clear it between guesses).
Behind a proxy, REMOTE_ADDR must be the client's address (docs/adr/0041-public-responses.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def _limit_of(parameters: str | list[str]) -> int:
    group = {parameters} if isinstance(parameters, str) else set(parameters)
    if group == {"username"}:
        return int(settings.SIGN_IN_ACCOUNT_FAILURE_LIMIT)
    if group == {"ip_address"}:
        return int(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
    return int(settings.AXES_FAILURE_LIMIT)


def _groups(handler: AxesDatabaseHandler, request: HttpRequest, credentials: dict[str, Any] | None) -> list[Any]:
    """(parameters, recent attempts) for each group in AXES_LOCKOUT_PARAMETERS, in order."""
    return list(zip(settings.AXES_LOCKOUT_PARAMETERS, handler.get_user_attempts(request, credentials), strict=True))


def _failures(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The worst group's failures, scaled so that reaching its own limit reaches the common one."""
        common = get_failure_limit(request, credentials)
        return max(
            (
                _failures(attempts) * common // _limit_of(parameters)
                for parameters, attempts in _groups(self, request, credentials)
            ),
            default=0,
        )

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        count = 0
        for parameters, attempts in _groups(self, request, credentials):
            if "username" in parameters:
                deleted, _ = attempts.delete()
                count += deleted
        return count


def locked_until(request: HttpRequest, credentials: dict[str, Any] | None = None) -> datetime:
    """When signing in may be tried again: the last failure counted by a group at its limit, plus
    the cool-off (failures while paused are not counted, so they do not extend it)."""
    cool_off = get_cool_off(request) or timedelta(0)
    latest = [
        attempts.aggregate(latest=Max("attempt_time"))["latest"]
        for parameters, attempts in _groups(LockoutHandler(), request, credentials)
        if _failures(attempts) >= _limit_of(parameters)
    ]
    return max((time for time in latest if time is not None), default=timezone.now()) + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """The page a paused sign-in gets (AXES_LOCKOUT_CALLABLE): what happened and when to try again."""
    until = locked_until(request, credentials)
    minutes = max(1, round((until - timezone.now()).total_seconds() / 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"until": until, "minutes": minutes},
        status=int(getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)),
    )
