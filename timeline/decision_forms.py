"""Forms for decisions outside meetings and the forward plan (timeline/outside_meetings.py,
timeline/forward_plan.py): shape and field checks only; the services check the rules."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from core.forms import DateField, limit_text
from core.models import Strategy, User

from .forms import MilestoneChoiceField, StrategyUserChoiceField, _helper
from .models import Board, Decision, ForwardPlanEntry, Milestone, Phase, WrittenProcedure
from .outside_meetings import VOTING_ROLES

ANSWERS = [("agree", "Agree"), ("disagree", "Disagree"), ("abstain", "Abstain")]


def _boards(strategy: Strategy) -> Any:
    return Board.objects.filter(strategy=strategy).order_by("kind", "name")


class DecisionChoiceField(forms.ModelChoiceField[Decision]):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.decided_on:%-d %b %Y}, {obj.board.name}: {obj.text[:80]}"


def _concerns(form: forms.Form, strategy: Strategy) -> None:
    form.fields["phase"] = forms.ModelChoiceField(
        label="Phase it concerns (optional)",
        queryset=Phase.objects.filter(strategy=strategy).order_by("order"),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a phase of this strategy"},
    )
    form.fields["milestone"] = MilestoneChoiceField(
        label="Milestone it concerns (optional)",
        queryset=Milestone.objects.filter(phase__strategy=strategy)
        .select_related("phase")
        .order_by("phase__order", "order", "pk"),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a milestone of this strategy"},
    )


def _publication_fields(form: forms.Form) -> None:
    form.fields["is_published"] = forms.BooleanField(
        label="Publish this decision on the strategy’s timeline",
        required=False,
        initial=True,
        help_text="Untick it to show the decision only to officers and the members of the board",
    )
    form.fields["published_on"] = DateField(
        label="Public from (optional)",
        required=False,
        required_message="Enter the day it becomes public as a day, month and year",
        help_text="Leave it empty to publish it today. For example, 27 3 2026",
    )


@limit_text()
class WrittenProcedureForm(forms.Form):
    board = forms.ModelChoiceField(
        label="Board", queryset=Board.objects.none(), empty_label=None, error_messages={"required": "Choose a board"}
    )
    question = forms.CharField(
        label="Resolution put to the members",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the members are asked to agree, as the decision will read",
        error_messages={"required": "Enter the resolution put to the members"},
    )
    closes_on = DateField(
        label="Closing date",
        help_text="The last day members may respond. For example, 27 3 2026",
        required_message="Enter the closing date as a day, month and year",
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = _boards(strategy)  # type: ignore[attr-defined]
        self.helper = _helper(
            Field.select("board"),
            Field.textarea("question", rows=6),
            Field("closes_on"),
            Button("submit", "Open the written procedure"),
        )


@limit_text()
class OwnResponseForm(forms.Form):
    answer = forms.ChoiceField(
        label="Your response",
        choices=ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose agree, disagree or abstain"},
    )
    comment = forms.CharField(label="Comment (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("answer", legend_size=Size.SMALL, inline=True),
            Field.textarea("comment", rows=3),
            Button("submit", "Send your response"),
        )


@limit_text()
class ResponseForm(OwnResponseForm):
    member = StrategyUserChoiceField(
        label="Member",
        queryset=User.objects.none(),
        empty_label="Choose a member",
        error_messages={"required": "Choose the member who responded"},
    )

    def __init__(self, *args: Any, procedure: WrittenProcedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].label = "Response"
        self.fields["member"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            board_memberships__board_id=procedure.board_id, board_memberships__role__in=VOTING_ROLES
        ).order_by("name")
        self.helper = _helper(
            Field.select("member"),
            Field.radios("answer", legend_size=Size.SMALL, inline=True),
            Field.textarea("comment", rows=3),
            Button("submit", "Record the response"),
        )


@limit_text()
class WrittenProcedureCloseForm(forms.Form):
    text = forms.CharField(
        label="The decision as it will read (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Leave it empty to record the resolution as put to the members",
    )
    closes_phase = forms.BooleanField(label="This decision closes the current phase", required=False)

    def __init__(self, *args: Any, strategy: Strategy, board: Board, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _concerns(self, strategy)
        _publication_fields(self)
        self.fields["closes_phase"].help_text = (
            "The board’s rules allow a written procedure to close a phase: only an approval closes it, "
            "only the phase under way, and only once its milestones are done."
            if board.phases_closed_outside_meetings
            else "The board’s rules do not allow a written procedure to close a phase."
        )
        self.helper = _helper(
            Field.textarea("text", rows=5),
            Field.select("phase"),
            Field.select("milestone"),
            Field.checkbox("closes_phase"),
            Field.checkbox("is_published"),
            Field("published_on"),
            Button("submit", "Record the outcome"),
        )


@limit_text()
class DelegatedDecisionForm(forms.Form):
    board = forms.ModelChoiceField(
        label="Board whose delegation it is",
        queryset=Board.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose a board"},
    )
    text = forms.CharField(
        label="What the officer decided",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the officer decided"},
    )
    outcome = forms.ChoiceField(
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the decision"},
    )
    decided_on = DateField(
        label="Decision date",
        help_text="For example, 27 3 2026",
        required_message="Enter the decision date as a day, month and year",
    )
    delegate_name = forms.CharField(
        label="Officer who decided", max_length=150, error_messages={"required": "Enter the officer’s name"}
    )
    delegate_post = forms.CharField(
        label="Their post", max_length=150, required=False, help_text="For example, Chief Executive"
    )
    delegation = forms.CharField(
        label="The delegation it rests on",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: Strategic Board, 12 March 2026, item 5: delegated to the Chief Executive …",
        error_messages={"required": "Enter the delegation the decision rests on"},
    )
    delegated_by = DecisionChoiceField(
        label="The board’s decision that delegated it (optional)",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose a decision of this strategy’s boards"},
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = _boards(strategy)  # type: ignore[attr-defined]
        self.fields["delegated_by"].queryset = (  # type: ignore[attr-defined]
            Decision.objects.filter(board__strategy=strategy)
            .exclude(kind=Decision.Kind.DELEGATED)
            .select_related("board")
            .order_by("-decided_on", "-pk")
        )
        _concerns(self, strategy)
        _publication_fields(self)
        self.helper = _helper(
            Field.select("board"),
            Field.textarea("text", rows=5),
            Field.radios("outcome", legend_size=Size.SMALL),
            Field("decided_on"),
            Field.text("delegate_name"),
            Field.text("delegate_post"),
            Field.textarea("delegation", rows=3),
            Field.select("delegated_by"),
            Field.select("phase"),
            Field.select("milestone"),
            Field.checkbox("is_published"),
            Field("published_on"),
            Button("submit", "Record the decision"),
        )


@limit_text()
class ForwardPlanEntryForm(forms.Form):
    board = forms.ModelChoiceField(
        label="Board", queryset=Board.objects.none(), empty_label=None, error_messages={"required": "Choose a board"}
    )
    title = forms.CharField(
        label="Decision to be taken", max_length=300, error_messages={"required": "Enter the decision to be taken"}
    )
    expected_on = DateField(
        label="Expected date",
        help_text="For example, 27 3 2026",
        required_message="Enter the expected date as a day, month and year",
    )
    decision_maker = forms.ChoiceField(
        label="Who decides", choices=ForwardPlanEntry.Maker.choices, widget=forms.RadioSelect, initial="board"
    )
    officer = forms.CharField(
        label="Officer who decides, when an officer does (name and post)", max_length=200, required=False
    )
    papers = forms.CharField(
        label="Papers expected (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    status = forms.ChoiceField(
        label="Status", choices=ForwardPlanEntry.Status.choices, widget=forms.RadioSelect, initial="planned"
    )
    decision = DecisionChoiceField(
        label="The decision, once taken",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="None yet",
        error_messages={"invalid_choice": "Choose a decision of this strategy’s boards"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = _boards(strategy)  # type: ignore[attr-defined]
        self.fields["decision"].queryset = (  # type: ignore[attr-defined]
            Decision.objects.filter(board__strategy=strategy).select_related("board").order_by("-decided_on", "-pk")
        )
        self.helper = _helper(
            Field.select("board"),
            Field.text("title"),
            Field("expected_on"),
            Field.radios("decision_maker", legend_size=Size.SMALL),
            Field.text("officer"),
            Field.textarea("papers", rows=3),
            Field.radios("status", legend_size=Size.SMALL),
            Field.select("decision"),
            Field("version"),
            Button("submit", "Save"),
        )

    def entry_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}

    @staticmethod
    def initial_for(entry: ForwardPlanEntry) -> dict[str, Any]:
        return {
            "board": entry.board_id,
            "title": entry.title,
            "expected_on": entry.expected_on,
            "decision_maker": entry.decision_maker,
            "officer": entry.officer,
            "papers": entry.papers,
            "status": entry.status,
            "decision": entry.decision_id,
            "version": entry.version,
        }
