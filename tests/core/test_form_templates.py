"""Our crispy-forms-gds templates (templates/gds/) render GOV.UK Frontend 6 markup that holds together.

The forms here exist only for these tests. Each is rendered the way pages render them: the error
summary (`{% error_summary form %}`) above a `{% crispy form %}`.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import ConditionalQuestion, ConditionalRadios, Field, Layout, Submit
from django import forms
from django.template import Context, Template


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class Page(HTMLParser):
    """Every element of a fragment, with its attributes, in document order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.elements: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    def ids(self) -> list[str]:
        return [e.attrs["id"] for e in self.elements if "id" in e.attrs]

    def by_id(self, element_id: str) -> Element:
        [element] = [e for e in self.elements if e.attrs.get("id") == element_id]
        return element

    def with_class(self, css_class: str) -> list[Element]:
        return [e for e in self.elements if css_class in e.classes]

    def summary_targets(self) -> list[str]:
        summary = self.html.split('<div class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
        return [href.split('"', 1)[0] for href in summary.split('href="#')[1:]]


def render(form: forms.Form) -> Page:
    template = Template("{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}")
    return Page(template.render(Context({"form": form})))


class PriorityForm(forms.Form):
    """One field of every kind the portal's forms use, all required."""

    email = forms.EmailField(label="Email address", help_text="We send the receipt here.")
    title = forms.CharField(label="Title")
    jobs = forms.IntegerField(label="Jobs created")
    link = forms.URLField(label="Link to the evidence", assume_scheme="https")
    theme = forms.ChoiceField(
        label="Foundation",
        widget=forms.RadioSelect,
        choices=[("ideas", "Ideas"), Choice("people", "People", hint="Skills and jobs")],
    )
    challenges = forms.MultipleChoiceField(
        label="Grand challenges",
        widget=forms.CheckboxSelectMultiple,
        choices=[("ai", "AI and data"), ("clean", "Clean growth")],
    )
    area = forms.ChoiceField(label="Area", choices=[("", "Choose an area"), ("E07000115", "Tonbridge and Malling")])
    detail = forms.CharField(label="Why it matters", widget=forms.Textarea)
    summary = forms.CharField(label="Summary", widget=forms.Textarea)
    due = DateInputField(label="Due date")
    confirm = forms.BooleanField(label="I have the council’s agreement")
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "email",
            "title",
            "jobs",
            "link",
            Field.radios("theme", inline=True),
            Field.checkboxes("challenges"),
            "area",
            "detail",
            Field.textarea("summary", max_words=50),
            "due",
            "confirm",
            "version",
            Submit("submit", "Submit priority"),
        )

    def clean(self) -> dict[str, Any]:
        raise forms.ValidationError("The call for priorities has closed.")


def invalid_form(**kwargs: Any) -> PriorityForm:
    form = PriorityForm(data={"email": "not-an-address", "jobs": "many", "due_0": "31"}, **kwargs)
    assert not form.is_valid()
    return form


def test_every_error_summary_link_points_at_an_element_on_the_page() -> None:
    page = render(invalid_form())

    targets = page.summary_targets()

    assert len(targets) >= 13  # every field, the hidden one and the form itself
    assert set(targets) <= set(page.ids()), set(targets) - set(page.ids())


def test_ids_on_the_page_are_unique() -> None:
    ids = render(invalid_form()).ids()

    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_radios_and_checkboxes_errors_link_to_their_first_item() -> None:
    page = render(invalid_form())

    assert page.by_id("id_theme").attrs["type"] == "radio"
    assert page.by_id("id_theme-2").attrs["aria-describedby"] == "id_theme-2-item-hint"
    assert page.by_id("id_challenges").attrs["type"] == "checkbox"
    assert {"id_theme", "id_challenges"} <= set(page.summary_targets())


def test_a_date_error_links_to_its_first_input() -> None:
    page = render(invalid_form())

    assert page.by_id("id_due_0").tag == "input"
    assert "id_due" not in page.summary_targets()


def test_every_input_in_error_has_its_error_border() -> None:
    page = render(invalid_form())

    for input_id in ("id_email", "id_title", "id_jobs", "id_link"):
        assert {"govuk-input", "govuk-input--error"} <= page.by_id(input_id).classes, input_id
    assert "govuk-select--error" in page.by_id("id_area").classes
    assert "govuk-textarea--error" in page.by_id("id_detail").classes
    assert "govuk-textarea--error" in page.by_id("id_summary").classes
    assert len(page.with_class("govuk-form-group--error")) >= 12


def test_a_field_not_in_error_has_no_error_class() -> None:
    form = PriorityForm(data={"email": "councillor@example.org"})
    form.is_valid()
    page = render(form)

    assert page.by_id("id_email").classes == {"govuk-input"}
    assert "govuk-form-group--error" not in page.by_id("div_id_email").classes


def test_non_field_errors_show_above_the_fields_and_in_the_summary() -> None:
    page = render(invalid_form())

    block = page.by_id("non-field-errors")
    assert "govuk-form-group--error" in block.classes
    assert page.summary_targets()[0] == "non-field-errors"
    message = page.html.split('id="non-field-errors"', 1)[1].split("</div>", 1)[0]
    assert 'class="govuk-error-message"' in message
    assert "The call for priorities has closed." in message
    assert page.html.index('id="non-field-errors"') < page.html.index('id="id_email"')


def test_a_hidden_fields_error_is_shown_where_the_summary_links() -> None:
    page = render(invalid_form())

    assert "id_version-errors" in page.summary_targets()
    assert "govuk-form-group--error" in page.by_id("id_version-errors").classes


def test_error_messages_and_hints_are_what_inputs_are_described_by() -> None:
    page = render(invalid_form())
    ids = set(page.ids())

    described = [e for e in page.elements if e.attrs.get("aria-describedby")]
    assert described
    for element in described:
        assert set(element.attrs["aria-describedby"].split()) <= ids, element.attrs
    assert page.by_id("id_email").attrs["aria-describedby"] == "id_email_hint id_email_1_error"
    assert page.by_id("id_email_1_error").tag == "p"
    assert "govuk-error-message" in page.by_id("id_email_1_error").classes


def test_components_use_govuk_frontend_6_markup() -> None:
    page = render(invalid_form())

    summary = page.with_class("govuk-error-summary")[0]
    assert summary.attrs["data-module"] == "govuk-error-summary"
    assert "role" not in summary.attrs  # v6 puts role="alert" on the summary's first child
    assert page.elements[page.elements.index(summary) + 1].attrs == {"role": "alert"}
    radios = page.with_class("govuk-radios")[0]
    assert radios.classes == {"govuk-radios", "govuk-radios--inline"}
    assert radios.attrs["data-module"] == "govuk-radios"
    character_count = page.by_id("div_id_summary")
    assert {"govuk-form-group", "govuk-character-count"} <= character_count.classes
    assert character_count.attrs["data-maxwords"] == "50"
    assert "govuk-js-character-count" in page.by_id("id_summary").classes
    assert page.by_id("id_summary-info").tag == "div"
    [button] = [e for e in page.elements if e.tag == "button"]
    assert button.attrs["type"] == "submit"
    assert button.attrs["data-module"] == "govuk-button"
    assert "govuk-button" in button.classes


def test_an_unbound_form_shows_no_errors() -> None:
    page = render(PriorityForm())

    assert not page.with_class("govuk-error-summary")
    assert not page.with_class("govuk-error-message")
    assert not [e for e in page.elements if any(c.endswith("--error") for c in e.classes)]


def test_a_prefixed_form_keeps_its_links_and_ids_apart() -> None:
    page = render(invalid_form(prefix="second"))

    assert page.summary_targets()[0] == "second-non-field-errors"
    assert set(page.summary_targets()) <= set(page.ids())


class ContactForm(forms.Form):
    method = forms.ChoiceField(
        label="How should we contact you?",
        widget=forms.RadioSelect,
        choices=[("email", "Email"), ("phone", "Phone")],
    )
    email_address = forms.EmailField(label="Email address", required=False)
    phone_number = forms.CharField(label="Phone number", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            ConditionalRadios(
                "method",
                ConditionalQuestion("Email", "email_address"),
                ConditionalQuestion("Phone", "phone_number"),
            ),
        )


def test_conditional_radios_reveal_what_they_control() -> None:
    form = ContactForm(data={})
    form.is_valid()
    page = render(form)

    radios = [e for e in page.elements if e.attrs.get("type") == "radio"]
    assert [r.attrs["id"] for r in radios] == ["id_method", "id_method-2"]
    for radio in radios:
        revealed = page.by_id(radio.attrs["data-aria-controls"])
        assert "govuk-radios__conditional" in revealed.classes
    assert set(page.summary_targets()) <= set(page.ids())
