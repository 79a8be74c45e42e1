"""Editing a row others may be editing too: the one mechanism every app's services use (ADR 0006).

Each editable row has a `version`. A form carries the version it was opened on; the service locks
the row (`select_for_update`) and hands it here:

    current = Milestone.objects.select_for_update().get(pk=milestone.pk)
    refuse_if_stale(current, version=version, noun="milestone", saved=..., yours=...)
    ... apply the change, check the rules ...
    save_new_version(current)

or, for a row whose edit is a plain set of fields, `versioned_update` does all of it. A save made
on an old version is refused with `StaleEditError`, which carries each field changed since (theirs
and yours) and the current row, so the edit page shows both and nothing the person typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Model

from .exceptions import ApplicationError, Conflict, StaleEditError
from .selectors import last_editor_note


def validate(instance: Model, *, exclude: Sequence[str] | None = None) -> None:
    """The model's own checks (`full_clean`), refused as an ApplicationError naming the first field."""
    try:
        instance.full_clean(exclude=list(exclude) if exclude is not None else None)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=None if field == "__all__" else field) from error


def field_label(model: type[Model] | Model, name: str) -> str:
    """A field's verbose name as a person reads it: "Due date"."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize()


def _comparable(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value):
        return None
    if isinstance(value, (list, tuple, set)) and all(isinstance(v, Model) for v in value):
        return frozenset((type(v), v.pk) for v in value)  # related records: which, not in what order
    return value


def _same(a: Any, b: Any) -> bool:
    """Equal as a person sees them: an empty value is empty whether None or "", and a list of
    related records is the same whatever its order."""
    return bool(_comparable(a) == _comparable(b))


def conflicts_between(
    *,
    saved: Mapping[str, Any],
    yours: Mapping[str, Any],
    label: Callable[[str], str],
    display: Callable[[str, Any], str],
) -> list[Conflict]:
    """The fields of `yours` whose value differs from the `saved` one, ready to show side by side."""
    return [
        Conflict(field=name, label=label(name), theirs=display(name, saved[name]), yours=display(name, value))
        for name, value in yours.items()
        if name in saved and not _same(saved[name], value)
    ]


def _plain(name: str, value: Any) -> str:
    return "" if value is None else str(value)


def refuse_if_stale(
    current: Model,
    *,
    version: int,
    noun: str,
    saved: Mapping[str, Any],
    yours: Mapping[str, Any],
    label: Callable[[str], str] | None = None,
    display: Callable[[str, Any], str] = _plain,
) -> None:
    """Raise StaleEditError if `current` (locked by the caller) is no longer at `version`: who saved
    it since, and each field of `yours` that differs from what they saved."""
    if current.version == version:  # type: ignore[attr-defined]
        return
    conflicts = conflicts_between(
        saved=saved,
        yours=yours,
        label=label or (lambda name: field_label(current, name)),
        display=display,
    )
    by = last_editor_note(app_label=current._meta.app_label, model=current._meta.model_name or "", pk=current.pk)
    raise StaleEditError(
        f"Someone else saved this {noun}{by} while you were editing it. "
        "Your changes are below and have not been saved: check them against theirs, then save again.",
        conflicts=conflicts,
        current=current,
    )


def save_new_version(current: Model) -> None:
    """Save the locked row as its next version (counted in the database) and read it back."""
    current.version = F("version") + 1  # type: ignore[attr-defined]
    current.save()
    current.refresh_from_db()


def versioned_update(
    current: Model,
    *,
    noun: str,
    version: int,
    fields: Sequence[str],
    values: Mapping[str, Any],
    display: Callable[[str, Any], str] = _plain,
    check: Callable[[Any], None] | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Apply `values` to `current` (locked by the caller) as an edit made on `version`: refused with
    the conflicts if someone saved it since, else checked (by `check`, or by the model's own checks
    when none is given) and saved as the next version. Returns each field that changed with its old
    and new value, for the caller's audit entry."""
    before = {name: getattr(current, name) for name in fields}
    refuse_if_stale(current, version=version, noun=noun, saved=before, yours=values, display=display)
    for name, value in values.items():
        setattr(current, name, value)
    if check is not None:
        check(current)
    else:
        validate(current, exclude=["version"])
    save_new_version(current)
    return {name: (before[name], getattr(current, name)) for name in fields if before[name] != getattr(current, name)}
