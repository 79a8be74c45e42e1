"""Forms of engagement: calls, priorities, and the officer's coding, response and moderation.

A form offers only the choices that belong to the strategy (its phases, places, organisations)
or to the person (their councils); the service checks the rules again, and the view turns its
ApplicationError into a form error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DateField, TimeField
from core.models import Area, Organisation, Strategy, Theme
from evidence.models import EvidenceItem
from timeline.models import Phase

from .models import (
    ANSWER_MAX,
    CHANNEL_MAX,
    CHOICES_MAX,
    DESCRIPTION_MAX,
    EVIDENCE_LINKS_MAX,
    HINT_MAX,
    NAME_MAX,
    NOTES_MAX,
    PLACE_MAX,
    QUESTION_MAX,
    REASON_MAX,
    RESPONSE_MAX,
    SCALE_MAX,
    SCALE_MIN,
    SUMMARY_MAX,
    TITLE_MAX,
    UPDATE_BODY_MAX,
    UPDATE_SUBJECT_MAX,
    WHY_MAX,
    Call,
    Channel,
    Consultation,
    ConsultationResponse,
    Contact,
    EngagementEntry,
    Event,
    PlannedActivity,
    Priority,
    Proposition,
    PublicCredit,
    Question,
    Tag,
    https_only,
)
from .rules import PARTNER_KINDS
from .selectors import (
    EntryFilters,
    activity_choices,
    area_list_for_strategy,
    contact_list_for_strategy,
    council_list_for_strategy,
    event_choices,
    evidence_item_choices,
    officer_list_for_strategy,
    organisation_list_for_consultation,
    organisation_list_for_strategy,
    priority_choices_for_propositions,
    tag_list_for_strategy,
    theme_list,
)
from .services import (
    FEEDBACK_DAYS_MAX,
    FEEDBACK_QUESTIONS,
    EntryData,
    EventData,
    OfflineInput,
    PriorityData,
    PropositionData,
    PublicRespondent,
    parse_tags,
)

EVIDENCE_ROWS = 3


def _helper(*fields: Any) -> FormHelper:
    """Our templates write the <form> element (with novalidate) themselves."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> carries the token
    helper.layout = Layout(*fields)
    return helper


def _max(field: str, limit: int) -> dict[str, str]:
    return {"max_length": f"{field} must be {limit:,} characters or fewer"}


class AreaChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Area) -> str:
        return f"{obj.name} ({obj.get_kind_display().lower()})"


# Calls -----------------------------------------------------------------------------------------


class CallForm(forms.Form):
    NOUN = "call"
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="For example, Call for councils’ priorities for the draft strategy",
        error_messages={"required": "Enter the title of the call", **_max("The title", TITLE_MAX)},
    )
    description = forms.CharField(
        label="What the call asks for",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        error_messages={"required": "Enter what the call asks for", **_max("The description", DESCRIPTION_MAX)},
    )
    audience = forms.ChoiceField(
        label="Who it is for", choices=Call.Audience.choices, initial=Call.Audience.COUNCILLORS
    )
    phase = forms.ModelChoiceField(
        label="The phase it serves",
        queryset=Phase.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the phase the call serves",
            "invalid_choice": "Choose a phase of this strategy",
        },
    )
    opens_on = DateField(
        label="Opens on", help_text="For example, 7 10 2026", required_message="Enter the day the call opens"
    )
    opens_time = TimeField(
        label="Opens at",
        help_text="On the 24-hour clock, for example 09:00",
        error_messages={"required": "Enter the time the call opens, like 09:00"},
    )
    closes_on = DateField(
        label="Closes on", help_text="For example, 31 10 2026", required_message="Enter the day the call closes"
    )
    closes_time = TimeField(
        label="Closes at",
        help_text="On the 24-hour clock, for example 17:00",
        error_messages={"required": "Enter the time the call closes, like 17:00"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["phase"].queryset = Phase.objects.filter(strategy=strategy).order_by("order")
        self.helper = _helper(
            Field.text("title"),
            Field.textarea("description"),
            Field.radios("audience", legend_size=Size.SMALL),
            Field.select("phase"),
            Field("opens_on"),
            Field.text("opens_time", field_width=5),
            Field("closes_on"),
            Field.text("closes_time", field_width=5),
            Field("version"),
            Button("submit", f"Save {self.NOUN}"),
        )

    @staticmethod
    def initial_for(call: Call | Consultation) -> dict[str, Any]:
        opens, closes = timezone.localtime(call.opens_at), timezone.localtime(call.closes_at)
        return {
            "title": call.title,
            "description": call.description,
            "audience": call.audience,
            "phase": call.phase,
            "opens_on": opens.date(),
            "opens_time": f"{opens:%H:%M}",
            "closes_on": closes.date(),
            "closes_time": f"{closes:%H:%M}",
            "version": call.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens, closes = self._moment("opens"), self._moment("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes_on", f"The {self.NOUN} must close after it opens")
        cleaned["opens_at"], cleaned["closes_at"] = opens, closes
        return cleaned

    def _moment(self, prefix: str) -> datetime | None:
        day, time = self.cleaned_data.get(f"{prefix}_on"), self.cleaned_data.get(f"{prefix}_time")
        if not day or not time:
            return None
        return timezone.make_aware(datetime.combine(day, time))

    def call_data(self) -> dict[str, Any]:
        names = ("title", "description", "audience", "phase", "opens_at", "closes_at")
        data = {name: self.cleaned_data[name] for name in names}
        data["title"] = str(data["title"]).strip()
        data["description"] = str(data["description"]).strip()
        return data


# Priorities ------------------------------------------------------------------------------------


class PriorityForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Council",
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text="The council the priority speaks for.",
        error_messages={
            "required": "Choose the council the priority speaks for",
            "invalid_choice": "Choose a council you are a councillor of",
        },
    )
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="A short name for the priority, for example “Skills for the Thames Estuary’s ports”",
        error_messages={"required": "Enter a title for the priority", **_max("The title", TITLE_MAX)},
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the council asks the strategy to do.",
        error_messages=_max("The summary", SUMMARY_MAX),
    )
    why_it_matters = forms.CharField(
        label="Why it matters",
        required=False,
        max_length=WHY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The difference it would make, and to whom.",
        error_messages=_max("Why it matters", WHY_MAX),
    )
    evidence_items = forms.ModelMultipleChoiceField(
        label="From the evidence base",
        queryset=EvidenceItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The reports, data and studies in the strategy’s evidence base that the priority rests on.",
        error_messages={"invalid_choice": "Choose evidence items from the list"},
    )
    foundations = forms.ModelMultipleChoiceField(
        label="Foundations of productivity",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose foundations from the list"},
    )
    grand_challenges = forms.ModelMultipleChoiceField(
        label="Grand challenges",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose grand challenges from the list"},
    )
    areas = AreaChoiceField(
        label="Places it concerns",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose places of this strategy from the list"},
    )
    scale = forms.ChoiceField(label="Scale", choices=Priority.Scale.choices, required=False, widget=forms.RadioSelect)
    backing_organisations = forms.ModelMultipleChoiceField(
        label="Organisations that back it (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose organisations that take part in this strategy"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        strategy: Strategy,
        council_ids: frozenset[int],
        user: Any,
        evidence_rows: int = EVIDENCE_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["evidence_items"].queryset = evidence_item_choices(strategy=strategy, user=user)
        councils = council_list_for_strategy(strategy=strategy).filter(pk__in=council_ids)
        fields["organisation"].queryset = councils
        themes = theme_list()
        fields["foundations"].queryset = themes.filter(kind=Theme.Kind.FOUNDATION)
        fields["grand_challenges"].queryset = themes.filter(kind=Theme.Kind.GRAND_CHALLENGE)
        fields["areas"].queryset = area_list_for_strategy(strategy=strategy)
        fields["backing_organisations"].queryset = organisation_list_for_strategy(strategy=strategy).order_by("name")
        self.evidence_rows = min(max(evidence_rows, EVIDENCE_ROWS), EVIDENCE_LINKS_MAX)
        evidence_layout = []
        for i in range(1, self.evidence_rows + 1):
            self.fields[f"evidence_title_{i}"] = forms.CharField(
                label="Evidence title",
                required=False,
                max_length=TITLE_MAX,
                error_messages=_max("The title", TITLE_MAX),
            )
            self.fields[f"evidence_url_{i}"] = forms.CharField(
                label="Evidence web address",
                required=False,
                max_length=500,
                help_text="Starting https://",
                error_messages=_max("The web address", 500),
            )
            evidence_layout.append(
                Fieldset(
                    Field.text(f"evidence_title_{i}"),
                    Field.text(f"evidence_url_{i}"),
                    legend=f"Evidence link {i}",
                    legend_size=Size.SMALL,
                )
            )
        single_council = councils.count() == 1
        if single_council:
            fields["organisation"].widget = forms.HiddenInput()
            fields["organisation"].initial = councils.first()
        self.helper = _helper(
            Field("organisation") if single_council else Field.select("organisation"),
            Field.text("title"),
            Field.textarea("summary"),
            Field.textarea("why_it_matters"),
            Fieldset(
                Field.checkboxes("evidence_items", legend_size=Size.SMALL, small=True)
                if fields["evidence_items"].queryset.exists()
                else HTML(""),
                HTML(
                    '<p class="govuk-body">Links to outside sources the priority rests on: reports, data, '
                    "studies that are not in the evidence base. Leave the rows you do not need empty.</p>"
                ),
                *evidence_layout,
                legend="Evidence",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("foundations", legend_size=Size.SMALL, small=True),
            Field.checkboxes("grand_challenges", legend_size=Size.SMALL, small=True),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.radios("scale", legend_size=Size.SMALL, small=True),
            Field.checkboxes("backing_organisations", legend_size=Size.SMALL, small=True),
            Field("version"),
        )

    @staticmethod
    def initial_for(priority: Priority) -> dict[str, Any]:
        themes = list(priority.themes.all())
        initial: dict[str, Any] = {
            "organisation": priority.organisation_id,
            "title": priority.title,
            "summary": priority.summary,
            "why_it_matters": priority.why_it_matters,
            "evidence_items": [item.pk for item in priority.evidence_items.all()],
            "foundations": [t.pk for t in themes if t.kind == Theme.Kind.FOUNDATION],
            "grand_challenges": [t.pk for t in themes if t.kind == Theme.Kind.GRAND_CHALLENGE],
            "areas": [a.pk for a in priority.areas.all()],
            "scale": priority.scale,
            "backing_organisations": [o.pk for o in priority.backing_organisations.all()],
            "version": priority.version,
        }
        for i, link in enumerate(priority.evidence_links, start=1):
            initial[f"evidence_title_{i}"] = link["title"]
            initial[f"evidence_url_{i}"] = link["url"]
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        links = []
        for i in range(1, self.evidence_rows + 1):
            title = str(cleaned.get(f"evidence_title_{i}") or "").strip()
            url = str(cleaned.get(f"evidence_url_{i}") or "").strip()
            if not title and not url:
                continue
            if not url:
                self.add_error(f"evidence_url_{i}", f"Enter the web address of evidence link {i}")
                continue
            try:
                https_only(url)
            except ValidationError:
                self.add_error(
                    f"evidence_url_{i}",
                    f"Enter the web address of evidence link {i} starting https://, like https://www.ons.gov.uk/",
                )
                continue
            links.append({"title": title or url, "url": url})
        cleaned["evidence_links"] = links
        return cleaned

    def priority_data(self) -> PriorityData:
        c = self.cleaned_data
        return PriorityData(
            title=c["title"],
            summary=c.get("summary") or "",
            why_it_matters=c.get("why_it_matters") or "",
            evidence_links=c["evidence_links"],
            evidence_items=list(c.get("evidence_items", [])),
            scale=c.get("scale") or "",
            themes=[*c.get("foundations", []), *c.get("grand_challenges", [])],
            areas=list(c.get("areas", [])),
            backing_organisations=list(c.get("backing_organisations", [])),
        )


class PriorityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Submitted or withdrawn"),
            (Priority.Status.SUBMITTED, "Submitted"),
            (Priority.Status.WITHDRAWN, "Withdrawn"),
        ],
    )
    organisation = forms.ModelChoiceField(
        label="Council", queryset=Organisation.objects.none(), required=False, empty_label="Any council"
    )
    theme = forms.ModelChoiceField(
        label="Theme", queryset=Theme.objects.none(), required=False, empty_label="Any theme"
    )
    tag = forms.ModelChoiceField(label="Tag", queryset=Tag.objects.none(), required=False, empty_label="Any tag")
    coded = forms.ChoiceField(
        label="Coded", required=False, choices=[("", "Either"), ("yes", "Coded"), ("no", "Not coded yet")]
    )
    responded = forms.ChoiceField(
        label="Response", required=False, choices=[("", "Either"), ("yes", "Responded"), ("no", "No response yet")]
    )
    hidden = forms.ChoiceField(
        label="Hidden priorities",
        required=False,
        choices=[("", "Include"), ("hide", "Leave out"), ("only", "Only hidden")],
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = council_list_for_strategy(strategy=strategy)
        fields["theme"].queryset = theme_list()
        fields["tag"].queryset = tag_list_for_strategy(strategy=strategy)
        self.helper = _helper(
            Field.select("status"),
            Field.select("organisation"),
            Field.select("theme"),
            Field.select("tag"),
            Field.select("coded"),
            Field.select("responded"),
            Field.select("hidden"),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )


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
                layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
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


# Public responses and offline input (docs/adr/0041) -----------------------------------------------------

HONEYPOT_FIELD = "website"  # the field of templates/engagement/includes/honeypot.html


def honeypot_filled(data: Mapping[str, Any]) -> bool:
    """Whether a robot filled the field people never see: the request is then answered as if it
    succeeded, and nothing is stored or sent."""
    return bool(data.get(HONEYPOT_FIELD))


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
        error_messages=_max("The organisation's name", NAME_MAX),
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
            else:
                layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
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


class OfflinePriorityForm(PriorityForm):
    """An officer enters a council's priority on its behalf: any council of the strategy, the
    channel and the date received; the evidence items offered are those the council may see."""

    channel = forms.ChoiceField(
        label="Where did the priority come from?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the priority came from"},
    )
    received_on = DateField(
        label="Date received",
        help_text="For example, 27 3 2026",
        required_message="Enter the date the priority was received",
    )

    def __init__(self, *args: Any, strategy: Strategy, user: Any, **kwargs: Any) -> None:
        councils = frozenset(council_list_for_strategy(strategy=strategy).values_list("pk", flat=True))
        super().__init__(*args, strategy=strategy, council_ids=councils, user=user, **kwargs)
        fields: Any = self.fields
        fields["evidence_items"].queryset = evidence_item_choices(strategy=strategy, user=user).filter(
            sharing__in=["open", "partners"]
        )
        fields["organisation"].label = "On behalf of"
        fields["organisation"].error_messages["invalid_choice"] = "Choose a council of the strategy"
        self.helper.layout.insert(
            1,
            Fieldset(
                Field.radios("channel", legend_size=Size.SMALL, small=True),
                Field("received_on"),
                legend="Where it came from",
                legend_size=Size.MEDIUM,
            ),
        )


# Events, the stakeholder register and the engagement plan -----------------------------------------


class ThemeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Theme) -> str:
        kind = "foundation" if obj.kind == Theme.Kind.FOUNDATION else "grand challenge"
        return f"{obj.name} ({kind})"


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of event",
        choices=Event.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of event"},
    )
    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="For example, Workshop on the people foundation",
        error_messages={"required": "Enter the title of the event", **_max("The title", TITLE_MAX)},
    )
    theme = ThemeChoiceField(
        label="Foundation or grand challenge",
        queryset=Theme.objects.none(),
        required=False,
        empty_label="None",
        help_text="Required for a workshop: the foundation or grand challenge it is about.",
        error_messages={"invalid_choice": "Choose a foundation or grand challenge from the list"},
    )
    starts_on = DateField(
        label="Date", help_text="For example, 4 10 2026", required_message="Enter the day of the event"
    )
    starts_time = TimeField(
        label="Starts at",
        help_text="On the 24-hour clock, for example 10:00",
        error_messages={"required": "Enter the time the event starts, like 10:00"},
    )
    place = forms.CharField(
        max_length=PLACE_MAX,
        help_text="A venue and town, or “online”.",
        error_messages={"required": "Enter where the event takes place, or “online”", **_max("The place", PLACE_MAX)},
    )
    organiser = forms.ModelChoiceField(
        label="Organiser",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the organisation that organises the event",
            "invalid_choice": "Choose an organisation of this strategy",
        },
    )
    attending = forms.ModelMultipleChoiceField(
        label="Organisations attending (optional)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose organisations that take part in this strategy"},
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown. Everyone taking part in the strategy can read these.",
        error_messages=_max("The notes", NOTES_MAX),
    )
    internal_notes = forms.CharField(
        label="Internal notes (optional)",
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. Only officers and administrators can read these.",
        error_messages=_max("The internal notes", NOTES_MAX),
    )
    phase = forms.ModelChoiceField(
        label="The phase it serves (optional)",
        queryset=Phase.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a phase of this strategy"},
    )
    planned_activity = forms.ModelChoiceField(
        label="Planned activity it delivers (optional)",
        queryset=PlannedActivity.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an activity of this strategy’s plan"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["theme"].queryset = theme_list()
        organisations = organisation_list_for_strategy(strategy=strategy).order_by("name")
        fields["organiser"].queryset = organisations
        fields["organiser"].initial = strategy.lead_id
        fields["attending"].queryset = organisations
        fields["phase"].queryset = Phase.objects.filter(strategy=strategy).order_by("order")
        fields["planned_activity"].queryset = activity_choices(strategy=strategy)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title"),
            Field.select("theme"),
            Field("starts_on"),
            Field.text("starts_time", field_width=5),
            Field.text("place"),
            Field.select("organiser"),
            Field.checkboxes("attending", legend_size=Size.SMALL, small=True),
            Field.textarea("notes"),
            Field.textarea("internal_notes"),
            Field.select("phase"),
            Field.select("planned_activity"),
            Field("version"),
            Button("submit", "Save event"),
        )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        starts = timezone.localtime(event.starts_at)
        return {
            "kind": event.kind,
            "title": event.title,
            "theme": event.theme_id,
            "starts_on": starts.date(),
            "starts_time": f"{starts:%H:%M}",
            "place": event.place,
            "organiser": event.organiser_id,
            "attending": [o.pk for o in event.attending.all()],
            "notes": event.notes,
            "internal_notes": event.internal_notes,
            "phase": event.phase_id,
            "planned_activity": event.planned_activity_id,
            "version": event.version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == Event.Kind.WORKSHOP and not cleaned.get("theme"):
            self.add_error("theme", "Choose the foundation or grand challenge the workshop is about")
        day, time = cleaned.get("starts_on"), cleaned.get("starts_time")
        cleaned["starts_at"] = timezone.make_aware(datetime.combine(day, time)) if day and time else None
        return cleaned

    def event_data(self) -> EventData:
        c = self.cleaned_data
        return EventData(
            kind=c["kind"],
            title=c["title"],
            starts_at=c["starts_at"],
            place=c["place"],
            organiser=c["organiser"],
            theme=c.get("theme"),
            attending=list(c.get("attending") or []),
            notes=c.get("notes") or "",
            internal_notes=c.get("internal_notes") or "",
            phase=c.get("phase"),
            planned_activity=c.get("planned_activity"),
        )


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the event cancelled?",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone who can see the event will read this.",
        error_messages={"required": "Enter why the event is cancelled", **_max("The reason", REASON_MAX)},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason"), Button("submit", "Cancel the event", css_class="govuk-button--warning")
        )


class FeedbackForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who gives feedback",
        choices=Consultation.Audience.choices,
        initial=Consultation.Audience.PUBLIC,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who gives feedback"},
    )
    phase = forms.ModelChoiceField(
        label="The phase the feedback serves",
        queryset=Phase.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Choose the phase the feedback serves",
            "invalid_choice": "Choose a phase of this strategy",
        },
    )
    days = forms.IntegerField(
        label="Days feedback stays open after the event",
        min_value=1,
        max_value=FEEDBACK_DAYS_MAX,
        initial=14,
        error_messages={
            "required": "Enter how many days feedback stays open",
            "invalid": "Enter a whole number of days, like 14",
            "min_value": f"Enter a number of days between 1 and {FEEDBACK_DAYS_MAX}",
            "max_value": f"Enter a number of days between 1 and {FEEDBACK_DAYS_MAX}",
        },
    )
    question_1 = forms.CharField(
        label="Question 1: a scale from 1 to 5",
        required=False,
        max_length=QUESTION_MAX,
        initial=FEEDBACK_QUESTIONS[0][1],
        error_messages=_max("The question", QUESTION_MAX),
    )
    question_2 = forms.CharField(
        label="Question 2: free text",
        required=False,
        max_length=QUESTION_MAX,
        initial=FEEDBACK_QUESTIONS[1][1],
        error_messages=_max("The question", QUESTION_MAX),
    )
    question_3 = forms.CharField(
        label="Question 3: free text, optional to answer",
        required=False,
        max_length=QUESTION_MAX,
        initial=FEEDBACK_QUESTIONS[2][1],
        help_text="Clear a question to leave it out. You can add more questions on the consultation’s page.",
        error_messages=_max("The question", QUESTION_MAX),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["phase"].queryset = Phase.objects.filter(strategy=event.strategy).order_by("order")
        fields["phase"].initial = event.phase_id
        self.helper = _helper(
            Field.radios("audience", legend_size=Size.SMALL, small=True),
            Field.select("phase"),
            Field.text("days", field_width=3),
            Field.text("question_1"),
            Field.text("question_2"),
            Field.text("question_3"),
            Button("submit", "Attach feedback"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any((cleaned.get(f"question_{i}") or "").strip() for i in (1, 2, 3)):
            self.add_error("question_1", "Keep at least one question")
        return cleaned

    def questions(self) -> list[str]:
        return [self.cleaned_data.get(f"question_{i}") or "" for i in (1, 2, 3)]


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

    def filters(self) -> EntryFilters:
        if not self.is_valid():
            return EntryFilters()
        c = self.cleaned_data
        return EntryFilters(
            method=c.get("method") or "",
            organisation_id=c["organisation"].pk if c.get("organisation") else None,
            theme_id=c["theme"].pk if c.get("theme") else None,
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
