"""The officer's side of priorities and responses alike: coding with themes and tags, replying
and hiding.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from core.models import Theme

from ..models import REASON_MAX, RESPONSE_MAX
from ..selectors import theme_list
from ..services import parse_tags
from .common import _helper, _max

# The officer's side ------------------------------------------------------------------------------


class CodeForm(forms.Form):
    coded_themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The foundations and grand challenges the LEP reads in the priority.",
        error_messages={"invalid_choice": "Choose themes from the list"},
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=1_000,
        help_text="Separate tags with commas, for example: skills, ports, Thames Estuary",
        error_messages=_max("The tags", 1_000),
    )

    def __init__(self, *args: Any, what: str = "priority", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["coded_themes"].queryset = theme_list()
        fields["coded_themes"].help_text = f"The foundations and grand challenges the LEP reads in the {what}."
        self.helper = _helper(
            Field.checkboxes("coded_themes", legend_size=Size.SMALL, small=True),
            Field.text("tags"),
            Button("submit", "Save coding"),
        )

    def clean_tags(self) -> list[str]:
        return parse_tags(str(self.cleaned_data.get("tags") or ""))


class RespondForm(forms.Form):
    response = forms.CharField(
        label="The LEP’s response",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=RESPONSE_MAX,
        help_text="What the LEP did with the priority (“you said, we did”). "
        "The council sees it and its author is emailed.",
        error_messages={"required": "Enter the response to the priority", **_max("The response", RESPONSE_MAX)},
    )

    def __init__(self, *args: Any, what: str = "priority", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["response"]
        field.error_messages["required"] = f"Enter the response to the {what}"
        if what != "priority":
            field.help_text = f"What the LEP did with the {what} (“you said, we did”). The people who wrote it see it."
        self.helper = _helper(Field.textarea("response"), Button("submit", "Publish response"))


class HideForm(forms.Form):
    reason = forms.CharField(
        label="Why hide it",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REASON_MAX,
        help_text="Officers see the reason. You can show the priority again later.",
        error_messages={"required": "Enter the reason for hiding the priority", **_max("The reason", REASON_MAX)},
    )

    def __init__(self, *args: Any, what: str = "priority", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.error_messages["required"] = f"Enter the reason for hiding the {what}"
        field.help_text = f"Officers see the reason. You can show the {what} again later."
        self.helper = _helper(
            Field.textarea("reason"), Button("submit", f"Hide {what}", css_class="govuk-button--warning")
        )
