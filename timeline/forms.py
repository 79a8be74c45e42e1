"""Forms for milestones and phases. Shape and field checks only: the rules live in services."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.db.models import Q, QuerySet

from core.models import Membership, Organisation, Strategy, User

from .models import Board, Milestone, Phase


def gov_date_field(label: str, *, required: bool = False, help_text: str = "For example, 27 3 2026") -> DateInputField:
    """A GOV.UK date input (day, month, year) whose errors say what to fix."""
    field = DateInputField(label=label, required=required, require_all_fields=False, help_text=help_text)
    field.error_messages.update(
        {
            "required": f"Enter the {label.lower()}",
            "incomplete": f"Enter the {label.lower()} as a day, month and year",
            "invalid": f"The {label.lower()} must be a real date",
        }
    )
    return field


def people_of_strategy(strategy: Strategy) -> QuerySet[User]:
    """People taking part in a strategy through an organisation, or sitting on one of its boards."""
    organisations = [strategy.lead_id, *strategy.partners.values_list("pk", flat=True)]
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(pk__in=Membership.objects.filter(organisation_id__in=organisations).values("user_id"))
            | Q(board_memberships__board__strategy=strategy)
        )
        .distinct()
        .order_by("name")
    )


def organisations_of_strategy(strategy: Strategy) -> QuerySet[Organisation]:
    return Organisation.objects.filter(Q(pk=strategy.lead_id) | Q(partner_strategies=strategy)).distinct()


class MilestoneForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter a title"})
    phase = forms.ModelChoiceField(
        label="Phase", queryset=Phase.objects.none(), empty_label=None, error_messages={"required": "Choose a phase"}
    )
    status = forms.ChoiceField(label="Status", choices=Milestone.Status.choices, initial=Milestone.Status.NOT_STARTED)
    due_date = gov_date_field("Due date")
    confirm_outside_phase = forms.BooleanField(label="The due date is outside the phase on purpose", required=False)
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="No owner yet",
        help_text="A person taking part in the strategy.",
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation", queryset=Organisation.objects.none(), required=False, empty_label="None"
    )
    is_key = forms.BooleanField(label="Key milestone (shown on the public timeline)", required=False)
    depends_on = forms.ModelMultipleChoiceField(
        label="Depends on",
        queryset=Milestone.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Milestones that must be done before this one.",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, milestone: Milestone | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["phase"].queryset = Phase.objects.filter(strategy=strategy).order_by("order")
        fields["owner"].queryset = people_of_strategy(strategy)
        fields["lead_organisation"].queryset = organisations_of_strategy(strategy).order_by("name")
        dependencies = Milestone.objects.filter(phase__strategy=strategy).select_related("phase")
        if milestone is not None:
            dependencies = dependencies.exclude(pk=milestone.pk).filter(phase__order__lte=milestone.phase.order)
        fields["depends_on"].queryset = dependencies.order_by("phase__order", "order")
        fields["depends_on"].label_from_instance = lambda m: f"{m.title} ({m.phase.name})"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("title"),
            Field.select("phase"),
            Field.radios("status", legend_size=Size.SMALL, inline=False),
            Field("due_date"),
            Field.checkbox("confirm_outside_phase", small=True),
            Field.select("owner"),
            Field.select("lead_organisation"),
            Field.checkbox("is_key"),
            Fieldset(Field.checkboxes("depends_on", small=True), legend="Dependencies", legend_size=Size.SMALL)
            if fields["depends_on"].queryset.exists()
            else Field("version"),
            Field.textarea("notes"),
            Field("version"),
            Button("submit", "Save milestone"),
        )

    def milestone_data(self) -> dict[str, Any]:
        names = ("title", "phase", "status", "due_date", "owner", "lead_organisation", "is_key", "notes")
        data = {name: self.cleaned_data.get(name) for name in names}
        data["notes"] = data["notes"] or ""
        data["title"] = str(data["title"]).strip()
        return data


class PhaseForm(forms.Form):
    planned_start = gov_date_field("Planned start", required=True)
    planned_end = gov_date_field("Planned end", required=True)
    closing_board = forms.ModelChoiceField(
        label="Board whose decision closes the phase",
        queryset=Board.objects.none(),
        required=False,
        empty_label="Any board of the strategy",
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["closing_board"].queryset = Board.objects.filter(strategy=strategy).order_by("kind", "name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("planned_start"), Field("planned_end"), Field.select("closing_board"), Button("submit", "Save phase")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("planned_start")
        end: date | None = cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", "The planned end must be on or after the planned start")
        return cleaned


class MilestoneFilterForm(forms.Form):
    phase = forms.ModelChoiceField(label="Phase", queryset=Phase.objects.none(), required=False, empty_label="All")
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none(), required=False, empty_label="Anyone")
    status = forms.ChoiceField(label="Status", choices=[("", "Any"), *Milestone.Status.choices], required=False)
    mine = forms.BooleanField(label="Only my milestones", required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["phase"].queryset = Phase.objects.filter(strategy=strategy).order_by("order")
        fields["owner"].queryset = people_of_strategy(strategy)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("phase"),
            Field.select("owner"),
            Field.select("status"),
            Field.checkbox("mine", small=True),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )
