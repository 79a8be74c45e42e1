"""What the engagement services share: how a value reads in an audit entry or an email. Editing
on an old version is core/editing.py's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings

from core.exceptions import ApplicationError
from core.models import Strategy

from ..models import Call, Consultation
from ..models.common import when_text
from ..selectors import organisation_list_for_strategy


def _ensure_open(thing: Call | Consultation, *, doing: str) -> None:
    """Refuse `doing` while a call or consultation is not open, saying when it opens or closed."""
    if not thing.is_open():
        raise ApplicationError(thing.not_open_reason(doing=doing, contact=thing.strategy.lead))


def _link(path: str) -> str:
    """An address for an email: absolute where the deployment names its SITE_URL, else the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _display_call(field: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, datetime):
        return when_text(value)
    if field == "audience":
        return str(Call.Audience(value).label)
    return str(value)


def _relation_display(objects: list[Any]) -> str:
    return "; ".join(sorted(str(o) for o in objects)) or "(none)"


def _same(a: list[Any], b: list[Any]) -> bool:
    return {o.pk for o in a} == {o.pk for o in b}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _of_strategy(strategy: Strategy) -> set[int]:
    return set(organisation_list_for_strategy(strategy=strategy).values_list("pk", flat=True))


def _display(field: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, datetime):
        return when_text(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list):
        return _relation_display(value)
    return str(value)


def _stripped(data: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The values of `fields` in `data`, text without its surrounding white space."""
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}
