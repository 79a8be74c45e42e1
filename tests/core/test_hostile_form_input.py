"""The hostile corpus through every field of every form in the project (found as
tests/core/test_empty_choices.py finds them): each value is either accepted or refused with a
message (a ValidationError), never an exception; no text field takes a megabyte.

What an accepted value does on the way out is tests/lis_portal/test_hostile_text.py's (every page,
every role, a pack); the spreadsheets' is tests/core/test_spreadsheets.py's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tests.core.test_empty_choices import _form_classes

MEGABYTE = "x" * 1_000_000
CORPUS: list[Any] = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "[link](javascript:alert(1)) ![image](data:image/svg+xml,<svg onload=alert(1)>)",
    "<style>body{background:url(http://127.0.0.1/x)}</style>",
    "file:///etc/passwd",
    "http://127.0.0.1:6379/",
    '=HYPERLINK("http://example.org")',
    "+1+1",
    "-1+1",
    "@SUM(1)",
    "line one\r\nBcc: someone@example.org",
    "\u202eevil.pdf",
    MEGABYTE,
    "-5",
    "1e308",
    "NaN",
    "-0",
    "99999999999999999999",
    "0000-00-00",
    "9999-12-31",
    "31/02/2026",
    "\x00",
]
# Passwords are never shown or stored as typed; Django's hashers take any length in bounded time.
UNLIMITED = {"password", "new_password1", "new_password2"}


def test_every_form_field_accepts_or_refuses_the_corpus_with_a_message() -> None:
    tried, crashed, megabyte_taken = 0, [], []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            for value in CORPUS:
                tried += 1
                try:
                    field.clean(value)
                except ValidationError as error:
                    assert error.messages and all(error.messages), f"{cls.__name__}.{name}: an empty message"
                    continue
                except Exception as error:  # noqa: BLE001 — the test is that nothing else escapes
                    crashed.append(f"{cls.__module__}.{cls.__name__}.{name} {str(value)[:12]!r}: {error!r}")
                    continue
                if value is MEGABYTE and isinstance(field, forms.CharField) and name not in UNLIMITED:
                    megabyte_taken.append(f"{cls.__module__}.{cls.__name__}.{name}")
    print(f"\n{tried} values tried through {len(list(_form_classes()))} forms: {len(crashed)} exceptions")
    assert tried > 2_000
    assert crashed == []
    assert megabyte_taken == []


def test_a_limited_text_says_what_to_do() -> None:
    from documents.forms import SectionForm

    field = SectionForm.base_fields["body"]
    try:
        field.clean("x" * 200_001)
    except ValidationError as error:
        assert error.messages[-1].endswith("must be 200,000 characters or fewer")
    else:
        raise AssertionError("a body over the limit was taken")
