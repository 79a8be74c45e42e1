"""Forms of calls and priorities: the officer's call, the council's priority, the officer's
filter of a call's priorities, and a priority an officer enters on a council's behalf.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import DateField, TimeField
from core.models import Area, Organisation, Strategy, Theme
from evidence.models import EvidenceItem
from timeline.models import Phase

from ..models import (
    DESCRIPTION_MAX,
    EVIDENCE_LINKS_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    WHY_MAX,
    Call,
    Channel,
    Consultation,
    Priority,
    Tag,
    https_only,
)
from ..selectors import (
    area_list_for_strategy,
    council_list_for_strategy,
    evidence_item_choices,
    organisation_list_for_strategy,
    tag_list_for_strategy,
    theme_list,
)
from ..services import PriorityData
from .common import AreaChoiceField, _helper, _max

EVIDENCE_ROWS = 3


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


class CouncilPriorityFilterForm(forms.Form):
    """The council's own list of priorities: by status, and by whether the call is still open."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Priority.Status.choices])
    call_open = forms.ChoiceField(
        label="Call",
        required=False,
        choices=[("", "Open or closed"), ("yes", "Open now"), ("no", "Closed or not yet open")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("status"),
            Field.select("call_open"),
            Button("filter", "Filter", css_class="govuk-button--secondary"),
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
