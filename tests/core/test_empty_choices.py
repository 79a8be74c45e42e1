"""No select in our forms offers Django's "---------": a required select asks for a choice in words
("Choose a person") or has no empty option, an optional one says "Not set", "None", "Any …"."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from typing import Any

from django import forms

from core.forms import NOT_SET, with_empty_choice
from documents.forms import BoardPaperForm
from evidence.forms import ContributorForm

# Each app's forms, and those of an area an app keeps in a package of its own (timeline's registers of interests).
APPS = ("core", "engagement", "evidence", "timeline", "timeline.interests", "documents", "lis_portal")
DASHES = "---------"


def _form_classes() -> Iterator[Any]:
    for app in APPS:
        try:
            package = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        modules = [package]
        if hasattr(package, "__path__"):
            modules += [
                importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)
            ]
        for module in modules:
            for cls in vars(module).values():
                if inspect.isclass(cls) and issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def _empty_labels(field: forms.Field) -> list[str]:
    if isinstance(field, forms.ModelMultipleChoiceField):
        return []
    if isinstance(field, forms.ModelChoiceField):
        return [str(field.empty_label)] if field.empty_label is not None else []
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        choices: Any = field.choices
        return [str(label) for value, label in choices if value == ""]
    return []


def test_no_form_offers_dashes_for_an_empty_choice() -> None:
    found = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if any(label in (DASHES, "") for label in _empty_labels(field))
    ]
    assert len(list(_form_classes())) > 30  # the scan sees the forms
    assert found == []


def test_the_fixed_selects_say_what_their_empty_option_means() -> None:
    assert ContributorForm.base_fields["user"].empty_label == "Choose a person"  # type: ignore[attr-defined]
    paragraph: Any = BoardPaperForm.base_fields["exempt_paragraph"]
    assert isinstance(paragraph, forms.ChoiceField) and not paragraph.required
    choices: Any = paragraph.choices
    assert next(iter(choices)) == ("", NOT_SET)
    assert with_empty_choice([("", "---------"), ("1", "One")], "Choose one") == [("", "Choose one"), ("1", "One")]
