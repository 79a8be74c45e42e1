"""Forms of the timeline: milestones and phases; boards' meetings and decisions.

A form shapes and checks its fields and offers only the choices that belong to the strategy (its
boards, phases, milestones, people) or to the meeting (its agenda, its board's members). The view
calls the service, which checks the rules again, and turns its ApplicationError into a form error.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.exceptions import ApplicationError
from core.forms import DOCUMENT_TEXT_MAX, DateField, TimeField, limit_text
from core.models import Organisation, Strategy, User

from .models import AgendaItem, Attendance, Board, BoardMembership, Decision, Meeting, Milestone, Phase
from .selectors import user_list_taking_part
from .services import FollowUp

FOLLOW_UP_COUNT = 3


def organisations_of_strategy(strategy: Strategy) -> QuerySet[Organisation]:
    return Organisation.objects.filter(Q(pk=strategy.lead_id) | Q(partner_strategies=strategy)).distinct()


@limit_text()
class MilestoneForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter a title"})
    phase = forms.ModelChoiceField(
        label="Phase", queryset=Phase.objects.none(), empty_label=None, error_messages={"required": "Choose a phase"}
    )
    status = forms.ChoiceField(label="Status", choices=Milestone.Status.choices, initial=Milestone.Status.NOT_STARTED)
    due_date = DateField(
        label="Due date",
        required=False,
        required_message="Enter the due date as a day, month and year",
        help_text="For example, 27 3 2026",
    )
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
        fields["owner"].queryset = user_list_taking_part(strategy=strategy)
        fields["lead_organisation"].queryset = organisations_of_strategy(strategy).order_by("name")
        dependencies = Milestone.objects.filter(phase__strategy=strategy).select_related("phase")
        if milestone is not None:
            dependencies = dependencies.exclude(pk=milestone.pk).filter(phase__order__lte=milestone.phase.order)
        fields["depends_on"].queryset = dependencies.order_by("phase__order", "order")
        fields["depends_on"].label_from_instance = lambda m: f"{m.title} ({m.phase.name})"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
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
    planned_start = DateField(label="Planned start", required_message="Enter the planned start")
    planned_end = DateField(label="Planned end", required_message="Enter the planned end")
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
        self.helper.disable_csrf = True
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
    due = forms.ChoiceField(
        label="Due", choices=[("", "Any time"), ("overdue", "Overdue (past its date and not done)")], required=False
    )
    mine = forms.BooleanField(label="Only my milestones", required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["phase"].queryset = Phase.objects.filter(strategy=strategy).order_by("order")
        fields["owner"].queryset = user_list_taking_part(strategy=strategy)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("phase"),
            Field.select("owner"),
            Field.select("status"),
            Field.select("due"),
            Field.checkbox("mine", small=True),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
        )


# Boards, meetings and decisions ------------------------------------------------------------


class StrategyUserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return str(obj)


class MilestoneChoiceField(forms.ModelChoiceField[Milestone]):
    def label_from_instance(self, obj: Milestone) -> str:
        return f"{obj.phase.name}: {obj.title}"


def _helper(*fields: Any) -> FormHelper:
    """Our templates write the <form> element (with novalidate) themselves."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template writes {% csrf_token %} in its own <form>
    helper.layout = Layout(*fields)
    return helper


# Meetings --------------------------------------------------------------------------------------


@limit_text()
class MeetingForm(forms.Form):
    board = forms.ModelChoiceField(
        queryset=Board.objects.none(),
        empty_label="Choose a board",
        error_messages={
            "required": "Choose the board that meets",
            "invalid_choice": "Choose a board of this strategy",
        },
    )
    title = forms.CharField(
        max_length=200,
        help_text="For example, Strategic Board: agreeing the evidence base",
        error_messages={
            "required": "Enter the title of the meeting",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    day = DateField(label="Date", help_text="For example, 4 10 2019", required_message="Enter the date of the meeting")
    start_time = TimeField(
        label="Start time",
        help_text="On the 24-hour clock, for example 14:00",
        error_messages={"required": "Enter the time the meeting starts, like 14:00"},
    )
    location = forms.CharField(
        label="Place (optional)",
        required=False,
        max_length=200,
        help_text="The building and room, if it meets in person",
        error_messages={"max_length": "The place must be 200 characters or fewer"},
    )
    online_url = forms.URLField(
        label="Online link (optional)",
        required=False,
        assume_scheme="https",
        help_text="The address people join at, if it meets online, for example https://meet.example.org/board",
        error_messages={"invalid": "Enter a web address, like https://meet.example.org/board"},
    )
    status = forms.ChoiceField(
        choices=Meeting.Status.choices,
        widget=forms.RadioSelect,
        initial=Meeting.Status.SCHEDULED,
        error_messages={"required": "Choose the status of the meeting"},
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.filter(strategy=strategy).order_by("kind", "name")  # type: ignore[attr-defined]
        # Papers and minutes are published from the meeting's page (documents:papers-publish, the
        # minutes' pages), on a chosen day: the form offers those statuses only to keep one a meeting has.
        published = {Meeting.Status.PAPERS_PUBLISHED, Meeting.Status.MINUTES_PUBLISHED} - {self.initial.get("status")}
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [c for c in Meeting.Status.choices if c[0] not in published]
        self.helper = _helper(
            Field.select("board"),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field("day"),
            Field.text("start_time", field_width=Fixed.FIVE),
            Field.text("location", field_width=Fluid.TWO_THIRDS),
            Field.text("online_url", field_width=Fluid.TWO_THIRDS),
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("notes", rows=4),
            Button("submit", "Save meeting"),
        )

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        starts = timezone.localtime(meeting.starts_at)
        return {
            "board": meeting.board_id,
            "title": meeting.title,
            "day": starts.date(),
            "start_time": f"{starts:%H:%M}",
            "location": meeting.location,
            "online_url": meeting.online_url,
            "status": meeting.status,
            "notes": meeting.notes,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start = cleaned.get("day"), cleaned.get("start_time")
        if day and start:
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(day, start))
        return cleaned

    def meeting_data(self) -> dict[str, Any]:
        """The fields of the meeting, as meeting_save takes them."""
        data = self.cleaned_data
        return {
            "board": data["board"],
            "title": data["title"].strip(),
            "starts_at": data["starts_at"],
            "location": data["location"].strip(),
            "online_url": data["online_url"],
            "status": data["status"],
            "notes": data["notes"].strip(),
        }


class AgendaItemForm(forms.Form):
    title = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Enter the title of the agenda item",
            "max_length": "The title must be 300 characters or fewer",
        },
    )
    presenter = forms.CharField(
        label="Presenter (optional)",
        required=False,
        max_length=150,
        help_text="Who introduces the item, for example the LEP’s chief executive",
        error_messages={"max_length": "The presenter must be 150 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.FULL),
            Field.text("presenter", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Add agenda item"),
        )


class AttendanceForm(forms.Form):
    """One set of radios per member of the board: present, apologies or absent."""

    def __init__(self, *args: Any, memberships: list[BoardMembership], current: dict[int, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member_fields: dict[str, int] = {}
        layout: list[Any] = []
        for membership in memberships:
            name = f"member_{membership.user_id}"
            person = str(membership.user)
            self.fields[name] = forms.ChoiceField(
                label=f"{person} ({membership.get_role_display().lower()})",
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=current.get(membership.user_id),
                error_messages={"required": f"Choose present, apologies or absent for {person}"},
            )
            self.member_fields[name] = membership.user_id
            layout.append(Field.radios(name, legend_size=Size.SMALL, inline=True))
        self.helper = _helper(*layout, Button("submit", "Save attendance"))

    def statuses(self) -> dict[int, str]:
        return {user_id: self.cleaned_data[name] for name, user_id in self.member_fields.items()}


@limit_text()
class DeclarationForm(forms.Form):
    user = StrategyUserChoiceField(
        label="Board member",
        queryset=User.objects.none(),
        empty_label="Choose a member of the board",
        error_messages={
            "required": "Choose the board member who declares the interest",
            "invalid_choice": "Choose a member of this meeting’s board",
        },
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        empty_label="Choose an agenda item",
        error_messages={
            "required": "Choose the agenda item the interest concerns",
            "invalid_choice": "Choose an item on this meeting’s agenda",
        },
    )
    interest = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The interest, and whether the member left the room or took no part in the item",
        error_messages={"required": "Enter the interest declared"},
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            board_memberships__board_id=meeting.board_id
        ).order_by("name")
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("number")  # type: ignore[attr-defined]
        self.helper = _helper(
            Field.select("user"),
            Field.select("agenda_item"),
            Field.textarea("interest", rows=4),
            Button("submit", "Add declaration"),
        )


# Decisions -------------------------------------------------------------------------------------


@limit_text()
class DecisionForm(forms.Form):
    text = forms.CharField(
        label="What the board decided",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="As it will read in the minutes",
        error_messages={"required": "Enter what the board decided"},
    )
    outcome = forms.ChoiceField(
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the decision"},
    )
    agenda_item = forms.ModelChoiceField(
        label="Agenda item (optional)",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an item on this meeting’s agenda"},
    )
    phase = forms.ModelChoiceField(
        label="Phase it concerns (optional)",
        queryset=Phase.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a phase of this strategy"},
    )
    milestone = MilestoneChoiceField(
        label="Milestone it concerns (optional)",
        queryset=Milestone.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a milestone of this strategy"},
    )
    closes_phase = forms.BooleanField(label="This decision closes the current phase", required=False)
    is_published = forms.BooleanField(
        label="Publish this decision on the strategy’s timeline",
        required=False,
        initial=True,
        help_text="Untick it to show the decision only to officers and the members of this board",
    )

    def __init__(
        self, *args: Any, meeting: Meeting, strategy: Strategy, current_phase: Phase | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("number")  # type: ignore[attr-defined]
        self.fields["phase"].queryset = Phase.objects.filter(strategy=strategy).order_by("order")  # type: ignore[attr-defined]
        self.fields["milestone"].queryset = (  # type: ignore[attr-defined]
            Milestone.objects.filter(phase__strategy=strategy)
            .select_related("phase")
            .order_by("phase__order", "order", "pk")
        )
        self.fields["closes_phase"].help_text = _closing_hint(current_phase)
        owners = user_list_taking_part(strategy=strategy)
        follow_up_fieldsets = []
        for n in range(1, FOLLOW_UP_COUNT + 1):
            self.fields[f"action_{n}_title"] = forms.CharField(
                label="Action",
                required=False,
                max_length=300,
                error_messages={"max_length": f"The title of action {n} must be 300 characters or fewer"},
            )
            self.fields[f"action_{n}_owner"] = StrategyUserChoiceField(
                label="Owner",
                queryset=owners,
                required=False,
                empty_label="Choose an owner",
                help_text="Someone who takes part in the strategy or sits on one of its boards",
                error_messages={
                    "invalid_choice": f"Choose an owner for action {n} who takes part in the strategy",
                },
            )
            self.fields[f"action_{n}_due"] = DateField(
                label="Due date",
                required=False,
                help_text="For example, 27 3 2020",
                required_message=f"Enter the day, month and year action {n} is due",
            )
            follow_up_fieldsets.append(
                Fieldset(
                    Field.text(f"action_{n}_title", field_width=Fluid.FULL),
                    Field.select(f"action_{n}_owner"),
                    Field(f"action_{n}_due"),
                    legend=f"Follow-up action {n} (optional)",
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = _helper(
            Field.textarea("text", rows=5),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.select("agenda_item"),
            Field.select("phase"),
            Field.select("milestone"),
            Field.checkbox("closes_phase"),
            Field.checkbox("is_published"),
            *follow_up_fieldsets,
            Button("submit", "Record decision"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        phase, milestone = cleaned.get("phase"), cleaned.get("milestone")
        if phase and milestone and milestone.phase_id != phase.pk:
            self.add_error("milestone", f"{milestone.title} is a milestone of {milestone.phase.name}, not {phase.name}")
        titles: set[str] = set()
        for n in range(1, FOLLOW_UP_COUNT + 1):
            title = (cleaned.get(f"action_{n}_title") or "").strip()
            owner = cleaned.get(f"action_{n}_owner")
            due = cleaned.get(f"action_{n}_due")
            entered = (
                bool(title or owner or due) or f"action_{n}_owner" in self.errors or f"action_{n}_due" in self.errors
            )
            if not entered:
                continue
            if not title:
                self.add_error(f"action_{n}_title", f"Enter what action {n} is")
            elif title.lower() in titles:
                self.add_error(
                    f"action_{n}_title", f"Action {n} has the same title as another action: make it different"
                )
            titles.add(title.lower())
            if owner is None and f"action_{n}_owner" not in self.errors:
                self.add_error(f"action_{n}_owner", f"Choose who owns action {n}")
            if due is None and f"action_{n}_due" not in self.errors:
                self.add_error(f"action_{n}_due", f"Enter the date action {n} is due")
        return cleaned

    def follow_ups(self) -> list[FollowUp]:
        data = self.cleaned_data
        return [
            FollowUp(
                title=data[f"action_{n}_title"].strip(),
                owner=data[f"action_{n}_owner"],
                due_date=data[f"action_{n}_due"],
            )
            for n in range(1, FOLLOW_UP_COUNT + 1)
            if data.get(f"action_{n}_title")
        ]

    def follow_up_field_for(self, error: ApplicationError) -> str | None:
        """The follow-up field a service error is about. The service checks each action's owner
        (field "owner", the message starts with the person's name) and title (field "title", the
        message quotes it) without saying which action it was: find it by what the error names."""
        for n in range(1, FOLLOW_UP_COUNT + 1):
            owner = self.cleaned_data.get(f"action_{n}_owner")
            title = (self.cleaned_data.get(f"action_{n}_title") or "").strip()
            if error.field == "owner" and owner is not None and error.message.startswith(str(owner)):
                return f"action_{n}_owner"
            if error.field == "title" and title and f"“{title}”" in error.message:
                return f"action_{n}_title"
        return None


def _closing_hint(phase: Phase | None) -> str:
    if phase is None:
        return "Every phase of this strategy is already closed."
    board = f" It is closed by a decision of the {phase.closing_board}." if phase.closing_board else ""
    return (
        f"The current phase is {phase.name}.{board} It ends on the day of this meeting and the next phase starts. "
        "Only an approval can close it, and only once its milestones are done."
    )


# Minutes ---------------------------------------------------------------------------------------

MINUTES_HINT = (
    "In Markdown: ## for a heading, - for a list, **bold**. It starts from the business recorded "
    "for the meeting; add the discussion under each item."
)


@limit_text(body=DOCUMENT_TEXT_MAX)
class MinutesForm(forms.Form):
    """Write or edit the minutes; `version` is the one the page was opened on (core/editing.py)."""

    body = forms.CharField(
        label="Minutes",
        help_text=MINUTES_HINT,
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": "Enter the minutes"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, submit: str = "Save minutes", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("body"), Field("version"), Button("submit", submit))


class MinutesApproveForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label="The meeting that approved them",
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="A later meeting of the same board, which has met",
        error_messages={
            "required": "Choose the meeting that approved the minutes",
            "invalid_choice": "Choose a later meeting of this board that has met",
        },
    )

    def __init__(self, *args: Any, meetings: QuerySet[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["meeting"]
        field.queryset = meetings
        field.label_from_instance = lambda m: f"{m.title}, {timezone.localtime(m.starts_at):%-d %B %Y}"
        self.helper = _helper(Field.radios("meeting", legend_size=Size.SMALL), Button("submit", "Record the approval"))


class MinutesPublishForm(forms.Form):
    published_on = DateField(
        label="Publication date",
        required=False,
        help_text="The day they appear publicly. Left empty, it is today. For example, 4 10 2026",
        required_message="Enter the day, month and year to publish the minutes",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("published_on"), Button("submit", "Publish the minutes"))


@limit_text(body=DOCUMENT_TEXT_MAX)
class MinutesCorrectForm(forms.Form):
    body = forms.CharField(
        label="Corrected minutes",
        help_text="In Markdown. The version published now is kept, unchanged, and listed with your reason.",
        widget=forms.Textarea(attrs={"rows": 24}),
        error_messages={"required": "Enter the corrected minutes"},
    )
    reason = forms.CharField(
        label="Reason for the correction",
        help_text="Readers see it, for example: The name of a member present was misspelt",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the minutes are corrected"},
    )
    published_on = DateField(
        label="Publication date",
        required=False,
        help_text="The day the corrected version replaces the one published now. Left empty, it is today",
        required_message="Enter the day, month and year to publish the correction",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("body"),
            Field.textarea("reason"),
            Field("published_on"),
            Button("submit", "Publish the correction"),
        )
