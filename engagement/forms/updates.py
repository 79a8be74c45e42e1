"""Forms of subscriptions and updates."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import HTML, Button, Field
from django import forms

from ..models import UPDATE_BODY_MAX, UPDATE_SUBJECT_MAX
from .common import _helper, _max

# Updates ----------------------------------------------------------------------------------------------


class SubscribeForm(forms.Form):
    """An email address for a strategy's updates (the template adds the honeypot)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will email you a link to confirm. We use the address only to send these updates.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Your email address must be 254 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("email"), Button("submit", "Subscribe"))


class UpdateForm(forms.Form):
    subject = forms.CharField(
        max_length=UPDATE_SUBJECT_MAX,
        error_messages={"required": "Enter the subject of the update", **_max("The subject", UPDATE_SUBJECT_MAX)},
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=UPDATE_BODY_MAX,
        help_text=(
            "Markdown: a blank line between paragraphs, ## for a heading, * for a list, [text](https://…) for a link."
        ),
        error_messages={"required": "Enter the text of the update", **_max("The text", UPDATE_BODY_MAX)},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("subject"),
            Field.textarea("body"),
            "version",
            HTML('<div class="govuk-button-group">'),
            Button("preview", "Preview", css_class="govuk-button--secondary"),
            Button("save", "Save draft"),
            HTML("</div>"),
        )
