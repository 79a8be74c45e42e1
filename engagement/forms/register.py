"""Forms of the stakeholder register, the engagement log and the plan."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from core.forms import DateField
from core.models import Organisation, Strategy, Theme

from ..models import (
    CHANNEL_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    REASON_MAX,
    TITLE_MAX,
    Contact,
    EngagementEntry,
    Event,
    PlannedActivity,
)
from ..selectors import (
    activity_choices,
    contact_list_for_strategy,
    event_choices,
    officer_list_for_strategy,
    organisation_list_for_strategy,
    theme_list,
)
from ..services import EntryData
from .common import ThemeChoiceField, _helper, _max


class OrganisationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


class ContactForm(forms.Form):
    name = forms.CharField(
        max_length=NAME_MAX, error_messages={"required": "Enter the contact’s name", **_max("The name", NAME_MAX)}
    )
    organisation = OrganisationChoiceField(
        label="Organisation (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an organisation of this strategy, or none"},
    )
    role = forms.CharField(
        label="Role or title (optional)", required=False, max_length=NAME_MAX, error_messages=_max("The role", NAME_MAX)
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(
        label="Phone (optional)", required=False, max_length=40, error_messages=_max("The phone number", 40)
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_max("The notes", DESCRIPTION_MAX),
    )
    basis = forms.CharField(
        label="Consent or basis for holding these details",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, “consent given at the people workshop, 4 October 2026” or “public task”.",
        error_messages={
            "required": "Enter the consent or other basis on which the portal holds these details",
            **_max("The basis", REASON_MAX),
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = organisation_list_for_strategy(strategy=strategy).order_by("name")
        self.helper = _helper(
            Field.text("name"),
            Field.select("organisation"),
            Field.text("role"),
            Field.text("email"),
            Field.text("phone", field_width=20),
            Field.textarea("notes"),
            Field.textarea("basis"),
            Field("version"),
            Button("submit", "Save contact"),
        )

    @staticmethod
    def initial_for(contact: Contact) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(contact, name) for name in Contact.CONTENT_FIELDS}
        initial["organisation"] = contact.organisation_id
        initial["version"] = contact.version
        return initial

    def contact_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name) or ("" if name != "organisation" else None)
            for name in Contact.CONTENT_FIELDS
        }


def _kind_choices() -> list[tuple[str, str]]:
    return [("", "Any kind"), ("none", "No organisation"), *Organisation.Kind.choices]


class ContactFilterForm(forms.Form):
    organisation_kind = forms.ChoiceField(label="Kind of organisation", required=False, choices=_kind_choices)
    name = forms.CharField(label="Name contains", required=False, max_length=NAME_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("organisation_kind"),
            Field.text("name", field_width=20),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )


class EntryForm(forms.Form):
    contact = forms.ModelChoiceField(
        label="Contact",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="None",
        help_text="The person, if there was one. Choose a contact, an organisation, or both.",
        error_messages={"invalid_choice": "Choose a contact of this strategy’s register"},
    )
    organisation = OrganisationChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="The contact’s own",
        error_messages={"invalid_choice": "Choose an organisation of this strategy"},
    )
    happened_on = DateField(
        label="When", help_text="For example, 4 10 2026", required_message="Enter the day the engagement happened"
    )
    method = forms.ChoiceField(
        label="How",
        choices=EngagementEntry.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the engagement happened"},
    )
    about = forms.CharField(
        label="About what",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the engagement was about", **_max("The text", DESCRIPTION_MAX)},
    )
    theme = ThemeChoiceField(
        label="Foundation or grand challenge (optional)",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a foundation or grand challenge from the list"},
    )
    event = forms.ModelChoiceField(
        label="At the event (optional)",
        queryset=Event.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an event of this strategy"},
    )
    planned_activity = forms.ModelChoiceField(
        label="Planned activity it delivers (optional)",
        queryset=PlannedActivity.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an activity of this strategy’s plan"},
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["contact"].queryset = contact_list_for_strategy(strategy=strategy)
        fields["organisation"].queryset = organisation_list_for_strategy(strategy=strategy).order_by("name")
        fields["theme"].queryset = theme_list()
        fields["event"].queryset = event_choices(strategy=strategy)
        fields["planned_activity"].queryset = activity_choices(strategy=strategy)
        self.helper = _helper(
            Field.select("contact"),
            Field.select("organisation"),
            Field("happened_on"),
            Field.radios("method", legend_size=Size.SMALL, small=True),
            Field.textarea("about"),
            Field.select("theme"),
            Field.select("event"),
            Field.select("planned_activity"),
            Button("submit", "Log engagement"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("contact") and not cleaned.get("organisation") and not self.has_error("contact"):
            self.add_error("contact", "Choose the contact or the organisation the engagement was with")
        return cleaned

    def entry_data(self) -> EntryData:
        c = self.cleaned_data
        return EntryData(
            happened_on=c["happened_on"],
            method=c["method"],
            about=c["about"],
            contact=c.get("contact"),
            organisation=c.get("organisation"),
            theme=c.get("theme"),
            event=c.get("event"),
            planned_activity=c.get("planned_activity"),
        )


class EntryFilterForm(forms.Form):
    method = forms.ChoiceField(label="How", required=False, choices=[("", "Any way"), *EngagementEntry.Method.choices])
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), required=False, empty_label="Any organisation"
    )
    theme = ThemeChoiceField(label="Theme", queryset=Theme.objects.none(), required=False, empty_label="Any theme")

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = organisation_list_for_strategy(strategy=strategy).order_by("name")
        fields["theme"].queryset = theme_list()
        self.helper = _helper(
            Field.select("method"),
            Field.select("organisation"),
            Field.select("theme"),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )


class OwnerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name or obj.email)


class ActivityForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="For example, Briefing for the district councils’ leaders",
        error_messages={"required": "Enter the title of the activity", **_max("The title", TITLE_MAX)},
    )
    audience = forms.ChoiceField(
        label="Audience",
        choices=PlannedActivity.Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the audience"},
    )
    channel = forms.CharField(
        max_length=CHANNEL_MAX,
        help_text="For example, workshop, newsletter, roundtable, board paper, social media.",
        error_messages={"required": "Enter the channel", **_max("The channel", CHANNEL_MAX)},
    )
    planned_on = DateField(
        label="Planned date", help_text="For example, 4 10 2026", required_message="Enter the planned date"
    )
    owner = OwnerChoiceField(
        label="Owner (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Nobody yet",
        error_messages={"invalid_choice": "Choose an officer of the LEP"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=PlannedActivity.Status.choices,
        initial=PlannedActivity.Status.PLANNED,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["owner"].queryset = officer_list_for_strategy(strategy=strategy)
        self.helper = _helper(
            Field.text("title"),
            Field.radios("audience", legend_size=Size.SMALL, small=True),
            Field.text("channel"),
            Field("planned_on"),
            Field.select("owner"),
            Field.radios("status", legend_size=Size.SMALL, small=True, inline=True),
            Field("version"),
            Button("submit", "Save activity"),
        )

    @staticmethod
    def initial_for(activity: PlannedActivity) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(activity, name) for name in PlannedActivity.CONTENT_FIELDS}
        initial["owner"] = activity.owner_id
        initial["version"] = activity.version
        return initial

    def activity_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PlannedActivity.CONTENT_FIELDS}
