"""Forms of consultations and their questions."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.db.models import Q

from core.forms import DateField
from timeline.models import Phase

from ..models import (
    CHOICES_MAX,
    DESCRIPTION_MAX,
    HINT_MAX,
    QUESTION_MAX,
    TITLE_MAX,
    Consultation,
    Proposition,
    Question,
)
from .common import _helper, _max
from .priorities import CallForm

# Consultations ---------------------------------------------------------------------------------------


class ConsultationForm(CallForm):
    NOUN = "consultation"
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="For example, Consultation on the emerging propositions",
        error_messages={"required": "Enter the title of the consultation", **_max("The title", TITLE_MAX)},
    )
    description = forms.CharField(
        label="What it asks about",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        error_messages={
            "required": "Enter what the consultation asks about",
            **_max("The description", DESCRIPTION_MAX),
        },
    )
    audience = forms.ChoiceField(
        label="Who it is for",
        choices=Consultation.Audience.choices,
        initial=Consultation.Audience.PARTNERS,
        widget=forms.RadioSelect,
    )
    phase = forms.ModelChoiceField(
        label="The phase it serves",
        queryset=Phase.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the phase the consultation serves",
            "invalid_choice": "Choose a phase of this strategy",
        },
    )
    opens_on = DateField(
        label="Opens on", help_text="For example, 7 10 2026", required_message="Enter the day the consultation opens"
    )
    closes_on = DateField(
        label="Closes on",
        help_text="For example, 31 10 2026",
        required_message="Enter the day the consultation closes",
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of question",
        choices=Question.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of question"},
    )
    text = forms.CharField(
        label="Question",
        max_length=QUESTION_MAX,
        error_messages={"required": "Enter the question", **_max("The question", QUESTION_MAX)},
    )
    hint = forms.CharField(
        label="Hint (optional)",
        required=False,
        max_length=HINT_MAX,
        help_text="A line under the question that helps people answer it.",
        error_messages=_max("The hint", HINT_MAX),
    )
    choices = forms.CharField(
        label="Choices",
        required=False,
        max_length=CHOICES_MAX * 210,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For single and multiple choice questions: one choice a line.",
        error_messages=_max("The choices", CHOICES_MAX * 210),
    )
    required = forms.TypedChoiceField(
        label="Must it be answered?",
        choices=[("yes", "Yes"), ("no", "No, it is optional")],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the question must be answered"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("text"),
            Field.text("hint"),
            Field.textarea("choices"),
            Field.radios("required", legend_size=Size.SMALL, inline=True),
            Button("submit", "Add question"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = [" ".join(line.split()) for line in str(cleaned.get("choices") or "").splitlines()]
        choices = [line for line in lines if line]
        if cleaned.get("kind") in Question.CHOICE_KINDS and len(choices) < 2:
            self.add_error("choices", "Give at least two choices, one a line")
        cleaned["choice_list"] = choices if cleaned.get("kind") in Question.CHOICE_KINDS else []
        return cleaned


# What a consultation consults on ---------------------------------------------------------------------


class ConsultedPropositionsForm(forms.Form):
    """The propositions a consultation consults on: the strategy's emerging and agreed ones (and any
    already chosen), as an edit on the consultation's version."""

    propositions = forms.ModelMultipleChoiceField(
        label="Propositions consulted on",
        queryset=Proposition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="People reading the consultation see each one’s title and description. Choose none for none.",
        error_messages={"invalid_choice": "Choose propositions of this strategy"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = consultation.propositions.values_list("pk", flat=True)
        field = self.fields["propositions"]
        field.queryset = (  # type: ignore[attr-defined]
            Proposition.objects.filter(strategy=consultation.strategy_id)
            .filter(~Q(status=Proposition.Status.DROPPED) | Q(pk__in=list(chosen)))
            .order_by("title", "pk")
        )
        field.label_from_instance = lambda p: f"{p.title} ({p.get_status_display().lower()})"  # type: ignore[attr-defined]
        self.helper = _helper(
            Field.checkboxes("propositions", legend_size=Size.MEDIUM, small=True),
            Field("version"),
            Button("submit", "Save the propositions"),
        )


class ConsultationDocumentForm(forms.Form):
    title = forms.CharField(
        label="Title of the document",
        max_length=TITLE_MAX,
        help_text="As people will see it in the list, for example, Evidence summary, October 2026",
        error_messages={"required": "Enter the title of the document", **_max("The title", TITLE_MAX)},
    )
    file = forms.FileField(
        label="The document, as a PDF",
        help_text="A PDF of 25 MB or smaller.",
        error_messages={"required": "Choose a PDF file to upload"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("title"), Field("file"), Button("submit", "Upload the document"))
