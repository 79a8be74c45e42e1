"""System checks: production settings never let anyone skip two-factor sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def two_factor_demo_exemption_needs_debug(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if getattr(settings, "TWO_FACTOR_DEMO_EXEMPT", False) and not settings.DEBUG:
        return [
            Error(
                "TWO_FACTOR_DEMO_EXEMPT is set but DEBUG is off: the demo accounts would sign in without "
                "two-factor sign-in on a real deployment.",
                hint="Set TWO_FACTOR_DEMO_EXEMPT only in lis_portal/settings/local.py, where DEBUG is on.",
                id="core.E001",
            )
        ]
    return []
