"""Forms of events: arranging, cancelling and the feedback consultation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from core.forms import DateField, TimeField
from core.models import Organisation, Strategy, Theme
from timeline.models import Phase

from ..models import NOTES_MAX, PLACE_MAX, QUESTION_MAX, REASON_MAX, TITLE_MAX, Consultation, Event, PlannedActivity
from ..selectors import activity_choices, organisation_list_for_strategy, theme_list
from ..services import FEEDBACK_DAYS_MAX, FEEDBACK_QUESTIONS, EventData
from .common import ThemeChoiceField, _helper, _max

# Events ------------------------------------------------------------------------------------------


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
