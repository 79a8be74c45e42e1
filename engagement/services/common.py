"""What the engagement services share: validation, how a value reads in an audit entry or an
email, and the optimistic-locking helpers every edit uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict, StaleEditError, conflicts_between
from core.models import Strategy
from core.selectors import last_editor_note

from ..models import Call
from ..selectors import organisation_list_for_strategy


def _validate(instance: Any, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=None if field == "__all__" else field) from error


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _last_editor(model: str, pk: int) -> str:
    return last_editor_note(app_label="engagement", model=model, pk=pk)


def _label(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize()


def _link(path: str) -> str:
    """An address for an email: absolute where the deployment names its SITE_URL, else the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _display_call(field: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, datetime):
        return _when(value)
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
        return _when(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list):
        return _relation_display(value)
    return str(value)


# Optimistic locking: what the update services share ----------------------------------------------


def _stripped(data: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The values of `fields` in `data`, text without its surrounding white space."""
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}


def _stale_edit(current: Any, *, noun: str, conflicts: list[Conflict]) -> StaleEditError:
    """The refusal of a save made on an old version of `current`: who saved it since, what changed."""
    editor = _last_editor(current._meta.model_name, current.pk)
    return StaleEditError(
        f"Someone else saved this {noun}{editor} while you were editing it. "
        "Your changes are below and have not been saved: check them against theirs, then save again.",
        conflicts=conflicts,
        current=current,
    )


def _save_new_version(current: Any) -> None:
    """Save the locked row as its next version (counted in the database) and read it back."""
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()


def _fields_update(
    current: Any,
    *,
    noun: str,
    version: int,
    fields: Sequence[str],
    values: dict[str, Any],
    display: Callable[[str, Any], str],
    check: Callable[[Any], None],
) -> dict[str, tuple[Any, Any]]:
    """Apply `values` to `current` (locked by the caller) as an edit made on `version`: refused with
    the conflicts if someone saved it since, else checked and saved as the next version. Returns the
    fields that changed, each with its old and new value, for the caller's audit entry."""
    if current.version != version:
        conflicts = conflicts_between(
            saved={name: getattr(current, name) for name in fields},
            yours=values,
            label=lambda name: _label(type(current), name),
            display=display,
        )
        raise _stale_edit(current, noun=noun, conflicts=conflicts)
    before = {name: getattr(current, name) for name in fields}
    for name, value in values.items():
        setattr(current, name, value)
    check(current)
    _save_new_version(current)
    return {name: (before[name], getattr(current, name)) for name in fields if before[name] != getattr(current, name)}
