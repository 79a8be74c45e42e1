"""Forms of documents: a draft section, a version note, the draft's status, a board paper, an
appendix and a pack request. Forms shape and check fields; the view calls the service."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms

from core.forms import DOCUMENT_TEXT_MAX, DateField, limit_text, with_empty_choice
from core.models import Organisation
from timeline.models import Decision

from .models import COMMENT_MAX, BoardPaper, DraftStrategy, DraftVersion, Pack, ReviewWindow


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"Version {obj.number}: {obj.note}"


def _helper(*fields: Any) -> FormHelper:
    """Our templates write the <form> element (with novalidate and the CSRF token) themselves."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


@limit_text(body=DOCUMENT_TEXT_MAX)
class SectionForm(forms.Form):
    """A section's text and what it draws on, saved together (one submission, one version): the
    evidence items, priorities and propositions offered come from selectors.section_link_choices."""

    title = forms.CharField(label="Section title", max_length=200, error_messages={"required": "Enter a title"})
    body = forms.CharField(
        label="Text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text="Markdown: # for a heading, * for a bulleted list, [words](https://…) for a link.",
    )
    evidence_items: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label="Evidence items",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The strategy’s evidence items this section draws on.",
        error_messages={"invalid_choice": "Choose evidence items of this strategy"},
    )
    priorities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label="Councils’ priorities",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Priorities submitted to the strategy’s calls.",
        error_messages={"invalid_choice": "Choose priorities submitted to this strategy’s calls"},
    )
    propositions: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label="Propositions",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The strategy’s propositions, with their status.",
        error_messages={"invalid_choice": "Choose propositions of this strategy"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    LINKS = ("evidence_items", "priorities", "propositions")

    def __init__(self, *args: Any, items: Any, priorities: Any, propositions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = {name: self.fields[name] for name in self.LINKS}
        for field, queryset in zip(fields.values(), (items, priorities, propositions), strict=True):
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
        fields["priorities"].label_from_instance = lambda p: f"{p.title} ({p.organisation.name})"  # type: ignore[attr-defined]
        fields["propositions"].label_from_instance = lambda p: f"{p.title} ({p.get_status_display().lower()})"  # type: ignore[attr-defined]
        offered = [name for name in self.LINKS if fields[name].queryset.exists()]  # type: ignore[attr-defined]
        for name in set(self.LINKS) - set(offered):
            del self.fields[name]
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("body", rows=20),
            *(Field.checkboxes(name, legend_size=Size.SMALL, small=True) for name in offered),
            Field("version"),
        )

    @property
    def offers_links(self) -> bool:
        return any(name in self.fields for name in self.LINKS)

    def link_ids(self) -> dict[str, list[int] | None]:
        """The ticked links by kind; None for a kind the form did not offer (left as it is)."""
        keys = {"evidence_items": "evidence_item_ids", "priorities": "priority_ids", "propositions": "proposition_ids"}
        return {
            key: [o.pk for o in self.cleaned_data[name]] if name in self.fields else None for name, key in keys.items()
        }


class VersionForm(forms.Form):
    note = forms.CharField(
        label="What changed in this version",
        max_length=300,
        error_messages={"required": "Enter a note saying what changed in this version"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("note", field_width=Fluid.FULL), Button("save-version", "Save version"))


class DraftStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status of the draft", choices=DraftStrategy.Status.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("status"), Button("set-status", "Set status", css_class="govuk-button--secondary")
        )


class CompareForm(forms.Form):
    a = VersionChoiceField(label="Earlier version", queryset=DraftVersion.objects.none(), empty_label=None)
    b = VersionChoiceField(label="Later version", queryset=DraftVersion.objects.none(), empty_label=None)

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = versions
        # Unbound, it starts on the two newest: the one before against the latest.
        newest = list(versions.order_by("-number").values_list("pk", flat=True)[:2])
        if not self.is_bound and len(newest) == 2:
            self.initial.setdefault("a", newest[1])
            self.initial.setdefault("b", newest[0])
        self.helper = _helper(
            Field.select("a"), Field.select("b"), Button("compare", "Compare", css_class="govuk-button--secondary")
        )


@limit_text(body=DOCUMENT_TEXT_MAX)
class BoardPaperForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision_required = forms.ChoiceField(
        label="Decision required",
        choices=BoardPaper.DecisionRequired.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision the board is asked to make"},
    )
    exempt_paragraph = forms.ChoiceField(
        label="Schedule 12A paragraph", required=False, choices=with_empty_choice(BoardPaper.ExemptParagraph.choices)
    )

    class Meta:
        model = BoardPaper
        fields = [
            "title",
            "author",
            "purpose",
            "recommendations",
            "decision_required",
            "financial_implications",
            "legal_implications",
            "risk_implications",
            "body",
            "is_exempt",
            "exempt_paragraph",
            "public_interest_reason",
        ]
        labels = {
            "recommendations": "Recommendations",
            "body": "The paper",
            "is_exempt": "This paper is exempt from publication",
            "public_interest_reason": "Why the public interest in keeping it exempt outweighs disclosing it",
        }
        help_texts = {"recommendations": "Markdown.", "body": "Markdown."}
        error_messages = {
            "title": {"required": "Enter the paper’s title"},
            "author": {"required": "Enter the author’s name"},
            "purpose": {"required": "Say what the paper is for"},
            "recommendations": {"required": "Enter the recommendations"},
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "purpose",
                "financial_implications",
                "legal_implications",
                "risk_implications",
                "public_interest_reason",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = forms.Textarea(attrs={"rows": 16})
        self.fields["recommendations"].widget = forms.Textarea(attrs={"rows": 4})
        self.fields["exempt_paragraph"].required = False
        self.helper = _helper(
            Field.text("title", field_width=Fluid.FULL),
            Field.text("author", field_width=Fluid.TWO_THIRDS),
            Field.textarea("purpose", rows=3),
            Field.textarea("recommendations", rows=4),
            Field.radios("decision_required", legend_size=Size.SMALL, inline=True),
            Field.textarea("financial_implications", rows=3),
            Field.textarea("legal_implications", rows=3),
            Field.textarea("risk_implications", rows=3),
            Field.textarea("body", rows=16),
            Field.checkbox("is_exempt"),
            Field.select("exempt_paragraph"),
            Field.textarea("public_interest_reason", rows=3),
            Field("version"),
            Button("submit", "Save paper"),
        )


class AppendixForm(forms.Form):
    title = forms.CharField(label="Appendix title", max_length=200, error_messages={"required": "Enter a title"})
    file = forms.FileField(label="PDF file", error_messages={"required": "Choose a PDF file to upload"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS), Field("file"), Button("upload", "Upload appendix")
        )


class PackRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which pack",
        choices=[
            (Pack.Kind.MEMBERS, "Members’ pack (with exempt items)"),
            (Pack.Kind.PUBLIC, "Public pack (exempt items withheld)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which pack to make"},
    )
    draft_version = VersionChoiceField(
        label="Draft strategy version to include",
        queryset=DraftVersion.objects.none(),
        required=False,
        empty_label="None",
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["draft_version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = versions
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.select("draft_version"),
            Button("request", "Request pack"),
        )


class PapersPublishForm(forms.Form):
    on = DateField(
        label="Publish them on",
        help_text="Today, or a later day up to the deadline. For example, 4 10 2026",
        required_message="Enter the day the agenda and papers are published",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field("on"), Button("publish", "Publish the agenda and papers"))


class ReviewOpenForm(forms.Form):
    version = VersionChoiceField(
        label="Version to review",
        queryset=DraftVersion.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the version to review"},
    )
    audience = forms.ChoiceField(
        label="Who may comment",
        choices=ReviewWindow.Audience.choices,
        initial=ReviewWindow.Audience.ORGANISATIONS,
        required=False,
        widget=forms.RadioSelect,
        help_text="Everyone taking part, or the public, only while the strategy is in its drafting phase.",
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations invited to comment",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their councillors and partners are emailed an invitation, may read the version and comment "
        "while the window is open. Optional for a wider audience.",
    )
    closes_on = DateField(
        label="Closing date for comments",
        help_text="The invitation emailed to their people gives this date. For example, 27 3 2026",
        required_message="Enter the closing date as a day, month and year",
    )

    def __init__(self, *args: Any, versions: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        version_field, organisation_field = self.fields["version"], self.fields["organisations"]
        assert isinstance(version_field, forms.ModelChoiceField)
        assert isinstance(organisation_field, forms.ModelMultipleChoiceField)
        version_field.queryset = versions
        organisation_field.queryset = organisations
        self.helper = _helper(
            Field.select("version"),
            Field.radios("audience", legend_size=Size.SMALL, small=True),
            Field.checkboxes("organisations", legend_size=Size.SMALL, small=True),
            Field("closes_on"),
            Button("open-review", "Open review window"),
        )

    def clean_audience(self) -> str:
        """Left unchosen, the invited organisations (as before audiences)."""
        return str(self.cleaned_data.get("audience") or ReviewWindow.Audience.ORGANISATIONS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        audience, chosen = cleaned.get("audience"), cleaned.get("organisations")
        if audience == ReviewWindow.Audience.ORGANISATIONS and "organisations" not in self.errors and not chosen:
            self.add_error("organisations", "Choose the organisations whose people may comment")
        return cleaned


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown: * for a bulleted list, [words](https://…) for a link.",
        error_messages={
            "required": "Enter your comment",
            "max_length": f"Comments must be {COMMENT_MAX:,} characters or fewer",
        },
    )


class PublicCommentForm(CommentForm):
    """A signed-out visitor's comment on a section of a review window open to the public."""

    name = forms.CharField(
        label="Your name (optional)",
        required=False,
        max_length=150,
        error_messages={"max_length": "Your name must be 150 characters or fewer"},
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We send you a link to confirm your comment. We never show your email address.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.com",
        },
    )
    organisation = forms.CharField(
        label="Your organisation (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "The organisation’s name must be 200 characters or fewer"},
    )
    show_name = forms.BooleanField(
        label="Show my name (and organisation) with my comment if it is published",
        required=False,
        help_text="Otherwise it is shown as from “a member of the public”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("body", label_size=Size.SMALL),
            Field.text("name", field_width=20),
            Field.text("email", field_width=20),
            Field.text("organisation", field_width=20),
            Field.checkbox("show_name", small=True),
            Button("send-comment", "Send comment"),
        )


class PackFilterForm(forms.Form):
    """The pack list's filter, read into `selectors.PackFilters` (a GET form)."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any"), *Pack.Status.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.select("status"), Button("filter", "Filter", css_class="govuk-button--secondary"))


class ReviewCommentFilterForm(forms.Form):
    """A review window's comments filter, read into `selectors.ReviewCommentFilters` (a GET link)."""

    awaiting = forms.ChoiceField(
        label="Comments", required=False, choices=[("", "All comments"), ("reply", "Awaiting a reply")]
    )


class ConsultedVersionForm(forms.Form):
    """Which version of the draft a consultation consults on, or none."""

    version = VersionChoiceField(
        label="Version of the draft consulted on",
        queryset=DraftVersion.objects.none(),
        required=False,
        empty_label="None: this consultation is not about the draft",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a version of this strategy’s draft"},
    )

    def __init__(self, *args: Any, draft: DraftStrategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = draft.versions.order_by("-number")  # type: ignore[attr-defined]
        self.helper = _helper(Field.radios("version", legend_size=Size.MEDIUM), Button("submit", "Save"))


class DecisionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.board.name}, {obj.decided_on:%-d %B %Y}: {obj.get_outcome_display().lower()} – {obj}"


@limit_text(summary=1_000, change_note=2_000)
class PublishForm(forms.Form):
    """An edition of the published strategy: the saved version, the board's sign-off, the day it is
    public, the lead paragraph, and (from edition 2) what changed."""

    version = VersionChoiceField(
        label="Version to publish",
        queryset=DraftVersion.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the saved version the board signed off"},
    )
    decision = DecisionChoiceField(
        label="The board’s sign-off",
        queryset=Decision.objects.none(),
        empty_label="Choose the decision",
        help_text="A published decision approving the strategy, recorded for the phase “LIS sign-off”.",
        error_messages={"required": "Choose the decision that signed the strategy off"},
    )
    published_on = DateField(
        label="Publish it on",
        help_text="Today or a later day: the strategy is public from that day. For example, 4 3 2027",
        required_message="Enter the day the strategy is published",
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, a few sentences: it opens the published strategy.",
        error_messages={"required": "Enter a short summary"},
    )
    change_note = forms.CharField(
        label="What changed since the last edition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed from the second edition: readers see it in the list of editions.",
    )

    def __init__(self, *args: Any, versions: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]
        self.helper = _helper(
            Field.select("version"),
            Field.select("decision"),
            Field("published_on"),
            Field.textarea("summary"),
            Field.textarea("change_note"),
            Button("publish", "Publish the strategy"),
        )
