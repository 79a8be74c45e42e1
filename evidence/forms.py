"""Forms of the evidence base. Shape and field checks only: the rules live in services."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.core.validators import URLValidator

from core.forms import limit_text
from core.models import Area, Strategy, Theme, User

from .geography import codes_label, level_of
from .importers import LAYOUTS
from .models import EvidenceItem, ImportJob


def _helper(*layout: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> carries the token, and a GET form none
    helper.layout = Layout(*layout)
    return helper


def _date_field(label: str, *, required: bool, help_text: str = "For example, 27 3 2019") -> DateInputField:
    field = DateInputField(label=label, required=required, require_all_fields=False, help_text=help_text)
    field.error_messages.update(
        {
            "required": f"Enter the {label.lower()}",
            "incomplete": f"Enter the {label.lower()} as a day, month and year",
            "invalid": f"The {label.lower()} must be a real date",
        }
    )
    return field


@limit_text()
class EvidenceItemForm(forms.Form):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter a title"})
    kind = forms.ChoiceField(
        label="Kind of evidence",
        choices=EvidenceItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a kind"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a summary of what the evidence shows"},
    )
    publisher = forms.CharField(
        label="Publisher", max_length=200, error_messages={"required": "Enter who published it"}
    )
    published_on = _date_field("Date published", required=True)
    link = forms.URLField(
        label="Link",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[
            URLValidator(schemes=["http", "https"], message="Enter a web address starting https:// or http://")
        ],
        help_text="A web address starting https:// or http://. Give a link or upload a file, not both.",
        error_messages={"invalid": "Enter a web address starting https:// or http://"},
    )
    file = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text="PDF, XLSX, CSV or DOCX, 25 MB at most.",
    )
    licence = forms.CharField(
        label="Licence",
        max_length=120,
        initial="Open Government Licence v3.0",
        error_messages={"required": "Enter the licence, for example Open Government Licence v3.0"},
    )
    sharing = forms.ChoiceField(
        label="Who can see it", widget=forms.RadioSelect, error_messages={"required": "Choose who can see it"}
    )
    themes = forms.ModelMultipleChoiceField(
        label="Foundations and grand challenges",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.ModelMultipleChoiceField(
        label="Areas it covers", queryset=Area.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    quality_note = forms.CharField(
        label="Quality and confidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How far the evidence can be relied on: sample sizes, age, method, known gaps.",
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        sharing_choices: list[tuple[str, str]],
        areas: list[Area],
        item: EvidenceItem | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        fields: Any = self.fields
        fields["sharing"].choices = sharing_choices
        if item is not None and item.file:
            fields["file"].label = "Replace the file"
            fields[
                "file"
            ].help_text = (
                f"Leave empty to keep {item.file_name}, or give a link instead. PDF, XLSX, CSV or DOCX, 25 MB at most."
            )
        fields["themes"].queryset = Theme.objects.order_by("kind", "order")
        fields["areas"].queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("kind", "name")
        fields["link"].widget.attrs["spellcheck"] = "false"
        self.helper = _helper(
            Field.text("title"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("summary"),
            Field.text("publisher", field_width=Fluid.TWO_THIRDS),
            Field("published_on"),
            Field.text("link"),
            Field("file"),
            Field.text("licence", field_width=Fluid.TWO_THIRDS),
            Field.radios("sharing", legend_size=Size.SMALL),
            Fieldset(Field.checkboxes("themes", small=True), legend="Themes", legend_size=Size.SMALL),
            Fieldset(Field.checkboxes("areas", small=True), legend="Places", legend_size=Size.SMALL),
            Field.textarea("quality_note"),
            Field("version"),
            Button("submit", "Add evidence" if item is None else "Save changes"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        keeps_file = self.item is not None and bool(self.item.file)
        if cleaned.get("link") and cleaned.get("file"):
            self.add_error("link", "Give a link or upload a file, not both")
        elif not cleaned.get("link") and not cleaned.get("file") and "link" not in self.errors and not keeps_file:
            self.add_error("link", "Give a link to the evidence, or upload a file")
        return cleaned

    def item_data(self) -> dict[str, Any]:
        names = ("title", "kind", "summary", "publisher", "published_on", "link", "licence", "sharing", "quality_note")
        data = {name: self.cleaned_data.get(name) for name in names}
        data["link"] = data["link"] or ""
        data["quality_note"] = data["quality_note"] or ""
        return data


def evidence_item_initial(item: EvidenceItem) -> dict[str, Any]:
    """The edit form's starting values: the item as saved, and the version it was opened at."""
    names = ("title", "kind", "summary", "publisher", "published_on", "link", "licence", "sharing", "quality_note")
    initial: dict[str, Any] = {name: getattr(item, name) for name in names}
    initial["themes"] = list(item.themes.all())
    initial["areas"] = list(item.areas.all())
    initial["version"] = item.version
    return initial


class EvidenceDeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    theme = forms.ModelChoiceField(label="Theme", queryset=Theme.objects.none(), required=False, empty_label="All")
    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.none(), required=False, empty_label="All")
    kind = forms.ChoiceField(label="Kind", required=False)
    published_from = _date_field("Published from", required=False, help_text="For example, 1 1 2018")
    published_to = _date_field("Published to", required=False, help_text="For example, 31 12 2019")

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["theme"].queryset = Theme.objects.order_by("kind", "order")
        fields["area"].queryset = Area.objects.filter(pk__in=[a.pk for a in areas]).order_by("kind", "name")
        fields["area"].label_from_instance = lambda a: f"{a.name} ({codes_label(a.code)}, {level_of(a.code)})"
        fields["kind"].choices = [("", "All"), *EvidenceItem.Kind.choices]
        self.helper = _helper(
            Field.text("q"),
            Field.select("theme"),
            Field.select("area"),
            Field.select("kind"),
            Field("published_from"),
            Field("published_to"),
            Button("submit", "Apply filters"),
        )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV, 50 MB at most, in one of the layouts below.",
        error_messages={"required": "Choose a CSV file to import"},
    )
    layout = forms.ChoiceField(
        label="Layout of the file",
        choices=[(key, label) for key, label in ImportJob.Layout.choices if key in LAYOUTS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the layout of the file"},
    )
    skip_unknown_areas = forms.BooleanField(
        label="Skip rows for places the portal does not hold (they are counted, not imported)", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field("file"),
            Field.radios("layout", legend_size=Size.SMALL),
            Field.checkbox("skip_unknown_areas", small=True),
            Button("submit", "Upload and preview"),
        )


@limit_text()
class NarrativeForm(forms.Form):
    strengths = forms.CharField(label="Strengths", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    challenges = forms.CharField(label="Challenges", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    opportunities = forms.CharField(label="Opportunities", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("strengths"),
            Field.textarea("challenges"),
            Field.textarea("opportunities"),
            Button("submit", "Save narrative"),
        )


class ContributorForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose a person to invite"},
    )

    def __init__(self, *args: Any, strategy: Strategy, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["user"].queryset = candidates
        fields["user"].label_from_instance = lambda u: f"{u.name} ({u.email})"
        self.helper = _helper(Field.select("user"), Button("submit", "Invite to add evidence"))
