"""Forms of the registers of interests: an entry, the end of one, and a declaration from the register."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.db.models import QuerySet

from core.forms import DateField, limit_text

from ..models import InterestEntry
from .services import ENTRY_FIELDS, Nature, gift_threshold


def _helper(*fields: Any) -> FormHelper:
    """Our templates write the <form> element (with novalidate) themselves."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


@limit_text()
class InterestEntryForm(forms.Form):
    category = forms.ChoiceField(
        label="What kind of interest is it?",
        choices=InterestEntry.Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of interest it is"},
    )
    description = forms.CharField(
        label="Describe the interest",
        max_length=500,
        help_text="For example, “Non-executive director” or “Owner of land at Manston Road, Ramsgate”",
        error_messages={"required": "Describe the interest"},
    )
    organisation = forms.CharField(
        label="Organisation (optional)",
        max_length=200,
        required=False,
        help_text="The company, body, charity or club, or who gave the gift",
    )
    starts_on = DateField(
        label="When did it start?",
        required_message="Enter the day the interest started, like 4 10 2026",
        help_text="For a gift or hospitality, the day you received it. For example, 27 3 2026",
    )
    gift_value = forms.IntegerField(
        label="Value in pounds (gifts and hospitality only)",
        required=False,
        min_value=0,
        max_value=10_000_000,
        error_messages={"invalid": "Enter the value in whole pounds, like 120"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        threshold = gift_threshold()
        self.fields["gift_value"].help_text = (
            f"Register gifts and hospitality worth more than £{threshold}. The public register shows a band, "
            "not the exact value"
        )
        self.helper = _helper(
            Field.radios("category", legend_size=Size.SMALL),
            Field.text("description", field_width=Fluid.FULL),
            Field.text("organisation", field_width=Fluid.TWO_THIRDS),
            Field("starts_on"),
            Field.text("gift_value", field_width=Fixed.TEN),
            Field("version"),
            Button("submit", "Save entry"),
        )

    @staticmethod
    def initial_for(entry: InterestEntry) -> dict[str, Any]:
        return {name: getattr(entry, name) for name in ENTRY_FIELDS} | {"version": entry.version}

    def entry_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in ENTRY_FIELDS if name != "ends_on"}
        data["organisation"] = data["organisation"] or ""
        return data


class InterestEntryEndForm(forms.Form):
    ends_on = DateField(
        label="When did it end?",
        required_message="Enter the day the interest ended, like 4 10 2026",
        help_text="For example, 27 3 2026. The entry stays on your register as a past interest.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("ends_on"), Button("submit", "End this interest"))


@limit_text(details=1000)
class DeclareFromRegisterForm(forms.Form):
    """What the meeting page's "Declare" button posts: the item, the entries and what the member
    will do. The page writes the fields itself (one small form per agenda item)."""

    agenda_item = forms.IntegerField(error_messages={"required": "Choose the agenda item"})
    entries = forms.ModelMultipleChoiceField(
        queryset=InterestEntry.objects.none(),
        error_messages={
            "required": "Choose the interests from your register that apply",
            "invalid_choice": "Choose interests from your own register",
            "invalid_pk_value": "Choose interests from your own register",
        },
    )
    nature = forms.ChoiceField(
        choices=Nature.CHOICES, error_messages={"required": "Choose what you will do about the interest"}
    )
    details = forms.CharField(required=False)

    def __init__(self, *args: Any, entries: QuerySet[InterestEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries  # type: ignore[attr-defined]
