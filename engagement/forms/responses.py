"""Forms of responses: which organisation to respond for, the answers (one field per question),
the officer's filter, and public and offline responses (docs/adr/0041).
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Fieldset, Size
from django import forms

from core.forms import DateField
from core.models import Organisation, Strategy, Theme

from ..models import (
    ANSWER_MAX,
    NAME_MAX,
    SCALE_MAX,
    SCALE_MIN,
    Channel,
    Consultation,
    ConsultationResponse,
    PublicCredit,
    Question,
    Tag,
)
from ..rules import PARTNER_KINDS
from ..selectors import organisation_list_for_consultation, tag_list_for_strategy, theme_list
from ..services import OfflineInput, PublicRespondent
from .common import _helper, _max


class StartResponseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Respond for",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the organisation you respond for",
            "invalid_choice": "Choose an organisation you belong to",
        },
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            fields["organisation"].widget = forms.HiddenInput()
            fields["organisation"].initial = organisations[0].pk
        self.helper = _helper(
            Field("organisation")
            if len(organisations) == 1
            else Field.radios("organisation", legend_size=Size.SMALL, small=True),
        )


SCALE_LABELS = {SCALE_MIN: "1 – lowest", SCALE_MAX: f"{SCALE_MAX} – highest"}


def answer_field_name(question: Question) -> str:
    return f"q_{question.pk}"


class ResponseForm(forms.Form):
    """One field per question, in order: free text as a textarea, single choice and the 1–5 scale as
    radios, multiple choice as checkboxes. Nothing is required here, so a draft saves half-done;
    the service checks the required questions when the response is submitted."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        layout: list[Any] = []
        for number, question in enumerate(questions, start=1):
            name = answer_field_name(question)
            label = f"{number}. {question.text}" + ("" if question.required else " (optional)")
            field: forms.Field
            if question.kind == Question.Kind.TEXT:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=ANSWER_MAX,
                    widget=forms.Textarea(attrs={"rows": 6}),
                    error_messages=_max("Your answer", ANSWER_MAX),
                )
                layout.append(Field.textarea(name, label_size=Size.SMALL))
            elif question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[(c, c) for c in question.choices],
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": "Choose one of the answers given"},
                )
                layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    required=False,
                    choices=[(c, c) for c in question.choices],
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": "Choose answers from those given"},
                )
                layout.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
            else:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[(str(n), SCALE_LABELS.get(n, str(n))) for n in range(SCALE_MIN, SCALE_MAX + 1)],
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": f"Choose a point from {SCALE_MIN} to {SCALE_MAX}"},
                )
                # Stacked, not inline: five choices with "1 – lowest" and "5 – highest" wrap onto
                # a second row in the page's column (GOV.UK keeps inline radios for two short ones).
                layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
            field.help_text = question.hint
            self.fields[name] = field
        layout.append(Field("version"))
        self.helper = _helper(*layout)

    @staticmethod
    def initial_for(response: ConsultationResponse) -> dict[str, Any]:
        initial: dict[str, Any] = {f"q_{key}": value for key, value in response.answers.items()}
        initial["version"] = response.version
        return initial

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(answer_field_name(q)) for q in self.questions}


class ResponseFilterForm(forms.Form):
    organisation_kind = forms.ChoiceField(label="Kind of organisation", required=False)
    theme = forms.ModelChoiceField(
        label="Theme (LEP coding)", queryset=Theme.objects.none(), required=False, empty_label="Any theme"
    )
    tag = forms.ModelChoiceField(label="Tag", queryset=Tag.objects.none(), required=False, empty_label="Any tag")
    coded = forms.ChoiceField(
        label="Coded", required=False, choices=[("", "Either"), ("yes", "Coded"), ("no", "Not coded yet")]
    )
    replied = forms.ChoiceField(
        label="Response", required=False, choices=[("", "Either"), ("yes", "Responded"), ("no", "No response yet")]
    )
    hidden = forms.ChoiceField(
        label="Hidden responses",
        required=False,
        choices=[("", "Include"), ("hide", "Leave out"), ("only", "Only hidden")],
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        kinds = PARTNER_KINDS | Organisation.COUNCIL_KINDS
        fields["organisation_kind"].choices = (
            [("", "Any kind")]
            + [(value, label) for value, label in Organisation.Kind.choices if value in kinds]
            + [("public", "Members of the public")]
        )
        fields["theme"].queryset = theme_list()
        fields["tag"].queryset = tag_list_for_strategy(strategy=strategy)
        self.helper = _helper(
            Field.select("organisation_kind"),
            Field.select("theme"),
            Field.select("tag"),
            Field.select("coded"),
            Field.select("replied"),
            Field.select("hidden"),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )


YES_NO = [("yes", "Yes"), ("no", "No")]


class _RespondentFields(forms.Form):
    """Who a member of the public is, and whether and how their response may be published."""

    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=NAME_MAX,
        error_messages=_max("Your name", NAME_MAX),
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We send you a link to confirm your response. We do not publish your email address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    may_publish = forms.ChoiceField(
        label="May we publish your response?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether we may publish your response"},
    )
    credit = forms.ChoiceField(
        label="If we publish it, how should we credit it?",
        choices=PublicCredit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we should credit your response"},
    )
    credit_organisation = forms.CharField(
        label="Name of the organisation to credit",
        required=False,
        max_length=NAME_MAX,
        help_text="Only if you chose to be credited by the name of an organisation.",
        error_messages=_max("The organisation’s name", NAME_MAX),
    )

    RESPONDENT_LAYOUT: tuple[Any, ...] = (
        Field.text("name", field_width=20),
        Field.text("email", field_width=20),
        Field.radios("may_publish", legend_size=Size.SMALL, inline=True),
        Field.radios("credit", legend_size=Size.SMALL, small=True),
        Field.text("credit_organisation", field_width=20),
    )

    def respondent(self) -> PublicRespondent:
        data = self.cleaned_data
        return PublicRespondent(
            name=data.get("name") or "",
            email=data.get("email") or "",
            may_publish=data.get("may_publish") == "yes",
            credit=data.get("credit") or "",
            credit_organisation=data.get("credit_organisation") or "",
        )


class PublicResponseForm(ResponseForm, _RespondentFields):
    """The questions, then who is responding and how to credit them. The honeypot is written by the
    template (hidden from people and assistive technology), not by this form."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, questions=questions, **kwargs)
        del self.fields["version"]
        self.helper = _helper(
            Fieldset(*self._question_layout(questions), legend="Your answers", legend_size=Size.MEDIUM),
            Fieldset(*self.RESPONDENT_LAYOUT, legend="About you", legend_size=Size.MEDIUM),
        )

    @staticmethod
    def _question_layout(questions: list[Question]) -> list[Any]:
        layout: list[Any] = []
        for question in questions:
            name = answer_field_name(question)
            if question.kind == Question.Kind.TEXT:
                layout.append(Field.textarea(name, label_size=Size.SMALL))
            elif question.kind == Question.Kind.MULTIPLE:
                layout.append(Field.checkboxes(name, legend_size=Size.SMALL, small=True))
            elif question.kind == Question.Kind.SINGLE:
                layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
            else:  # the 1–5 scale, stacked like the respondent's form (ResponseForm)
                layout.append(Field.radios(name, legend_size=Size.SMALL, small=True))
        return layout


class OfflineResponseForm(PublicResponseForm):
    """An officer enters a response on someone's behalf: an organisation, or a named member of the
    public (whose email is optional here), from a channel, received on a date."""

    organisation = forms.ModelChoiceField(
        label="On behalf of",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="A member of the public (name below)",
        help_text="An organisation the consultation is addressed to, or a member of the public.",
    )
    channel = forms.ChoiceField(
        label="Where did the response come from?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the response came from"},
    )
    received_on = DateField(
        label="Date received",
        help_text="For example, 27 3 2026",
        required_message="Enter the date the response was received",
    )

    def __init__(self, *args: Any, questions: list[Question], consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, questions=questions, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = organisation_list_for_consultation(consultation=consultation)
        fields["name"].label = "Name of the member of the public"
        fields["email"].required = False
        fields["email"].label = "Their email address (optional)"
        fields["email"].help_text = "Not emailed: offline input is not confirmed by email."
        fields["may_publish"].label = "May the LEP publish the response?"
        fields["credit"].label = "If published, how should it be credited?"
        fields["may_publish"].required = fields["credit"].required = False
        respondent = (
            Field.text("name", field_width=20),
            Field.text("email", field_width=20),
            Field.radios("may_publish", legend_size=Size.SMALL, inline=True),
            Field.radios("credit", legend_size=Size.SMALL, small=True),
            Field.text("credit_organisation", field_width=20),
        )
        self.helper = _helper(
            Fieldset(
                Field.select("organisation"),
                Field.radios("channel", legend_size=Size.SMALL, small=True),
                Field("received_on"),
                legend="Where it came from",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(*respondent, legend="A member of the public", legend_size=Size.MEDIUM),
            Fieldset(*self._question_layout(questions), legend="The answers", legend_size=Size.MEDIUM),
        )

    def source(self) -> OfflineInput:
        data = self.cleaned_data
        organisation = data.get("organisation")
        return OfflineInput(
            channel=data["channel"],
            received_on=data["received_on"],
            organisation=organisation,
            respondent=None if organisation is not None else self.respondent(),
        )
