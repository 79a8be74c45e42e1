"""Small helpers for the sentences the portal writes around text people typed."""

from __future__ import annotations

SENTENCE_ENDS = (".", "!", "?", "…")


def full_stop(text: object) -> str:
    """`text` ending in one full stop: "For review." and "For review" both give "For review.", so
    a note typed with its own full stop is not followed by a second one ("…review.. Opened");
    a question or exclamation keeps its own mark. Empty text stays empty."""
    words = str(text).rstrip()
    if not words or words.endswith(SENTENCE_ENDS):
        return words
    return f"{words}."
