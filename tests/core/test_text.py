"""core.text.full_stop: a note typed with or without its full stop reads as one sentence."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core.text import full_stop


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("For review", "For review."),
        ("For review.", "For review."),
        ("For review.  ", "For review."),
        ("Ready?", "Ready?"),
        ("Done!", "Done!"),
        ("", ""),
    ],
)
def test_full_stop(text: str, expected: str) -> None:
    assert full_stop(text) == expected


def test_the_filter_escapes_what_it_is_given() -> None:
    html = Template("{% load core_tags %}{{ note|full_stop }} Saved").render(Context({"note": "<b>Draft</b>."}))
    assert html == "&lt;b&gt;Draft&lt;/b&gt;. Saved"
