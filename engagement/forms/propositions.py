"""Forms of propositions."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from core.models import Strategy, Theme
from evidence.models import EvidenceItem

from ..models import DESCRIPTION_MAX, TITLE_MAX, Priority, Proposition
from ..selectors import evidence_item_choices, priority_choices_for_propositions, theme_list
from ..services import PropositionData
from .common import _helper, _max

# Propositions ------------------------------------------------------------------------------------------


class PriorityChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Priority) -> str:
        return f"{obj.title} ({obj.organisation.name})"


class PropositionForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="For example, A skills centre for the Thames Estuary’s ports",
        error_messages={"required": "Enter the title of the proposition", **_max("The title", TITLE_MAX)},
    )
    description = forms.CharField(
        label="What it proposes",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        error_messages={"required": "Enter what the proposition proposes", **_max("The description", DESCRIPTION_MAX)},
    )
    priorities = PriorityChoiceField(
        label="The priorities it brings together",
        queryset=Priority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Submitted priorities of the strategy’s calls.",
        error_messages={
            "required": "Choose the priorities the proposition brings together",
            "invalid_choice": "Choose submitted priorities of this strategy from the list",
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label="Foundations and grand challenges",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose themes from the list"},
    )
    evidence_items = forms.ModelMultipleChoiceField(
        label="The evidence behind it",
        queryset=EvidenceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose evidence items of this strategy from the list"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["priorities"].queryset = priority_choices_for_propositions(strategy=strategy)
        fields["themes"].queryset = theme_list()
        fields["evidence_items"].queryset = evidence_item_choices(strategy=strategy, user=user)
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("description"),
            Field.checkboxes("priorities", legend_size=Size.SMALL, small=True),
            Field.checkboxes("themes", legend_size=Size.SMALL, small=True),
            Field.checkboxes("evidence_items", legend_size=Size.SMALL, small=True),
            Field("version"),
            Button("submit", "Save proposition"),
        )

    @staticmethod
    def initial_for(proposition: Proposition) -> dict[str, Any]:
        return {
            "title": proposition.title,
            "description": proposition.description,
            "priorities": [p.pk for p in proposition.priorities.all()],
            "themes": [t.pk for t in proposition.themes.all()],
            "evidence_items": [i.pk for i in proposition.evidence_items.all()],
            "version": proposition.version,
        }

    @staticmethod
    def initial_from_priorities(priorities: list[Priority]) -> dict[str, Any]:
        """A new proposition merging these priorities: their themes (as coded, else as the councils
        chose them) and the evidence items they rest on."""
        themes: dict[int, None] = {}
        items: dict[int, None] = {}
        for priority in priorities:
            coded = list(priority.coded_themes.all()) if priority.coded_at else list(priority.themes.all())
            themes.update((t.pk, None) for t in coded)
            items.update((i.pk, None) for i in priority.evidence_items.all())
        return {"priorities": [p.pk for p in priorities], "themes": list(themes), "evidence_items": list(items)}

    def proposition_data(self) -> PropositionData:
        c = self.cleaned_data
        return PropositionData(
            title=c["title"],
            description=c["description"],
            priorities=list(c["priorities"]),
            themes=list(c.get("themes", [])),
            evidence_items=list(c.get("evidence_items", [])),
        )


class PropositionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Proposition.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status", "invalid_choice": "Choose emerging, agreed or dropped"},
    )
