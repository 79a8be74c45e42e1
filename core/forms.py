"""Account forms, laid out with crispy-forms-gds."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any, TypeVar

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fluid, Layout
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

# The empty option of a select in our forms, never Django's "---------" (tests/core/test_empty_choices.py
# checks every form): a required select either has no empty option or one that asks for a choice in
# words ("Choose a person"); an optional one says the value may stay unset.
NOT_SET = "Not set"


def with_empty_choice(choices: Any, label: str = NOT_SET) -> list[tuple[Any, str]]:
    """`choices` (a model's TextChoices.choices, say) after one empty option named `label`."""
    return [("", label), *((value, text) for value, text in choices if value != "")]


# Every text a form takes has a limit (tests/core/test_hostile_form_input.py checks every form): a
# note, a decision, an implication up to TEXT_MAX characters, a draft section's or a paper's body up
# to DOCUMENT_TEXT_MAX. Both are far above what people write and far below a request's size limit.
TEXT_MAX = 20_000
DOCUMENT_TEXT_MAX = 200_000
FormClass = TypeVar("FormClass", bound=type[forms.BaseForm])


def limit_text(**limits: int) -> Callable[[FormClass], FormClass]:
    """Class decorator: each text field of the form without a limit gets one, `limits[name]` or
    TEXT_MAX, with a message that says what to do."""

    def decorate(cls: FormClass) -> FormClass:
        fields: dict[str, forms.Field] = cls.base_fields  # type: ignore[attr-defined]  # set by the metaclass
        for name, field in fields.items():
            if type(field) is forms.CharField and field.max_length is None:  # text, not a time or a code
                limit = limits.get(name, TEXT_MAX)
                field.max_length = limit
                what = str(field.label or "This").rstrip(" ?")
                field.validators.append(
                    MaxLengthValidator(limit, message=f"{what} must be {limit:,} characters or fewer")
                )
        return cls

    return decorate


class DateField(DateInputField):
    """GOV.UK's date input (day, month, year) with messages that say what to do."""

    def __init__(self, *, required_message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error_messages["required"] = required_message
        self.error_messages["incomplete"] = required_message

    def compress(self, data_list: Any) -> date | None:
        day, month, year = data_list
        if not (day or month or year):
            return None
        if not (day and month and year):
            # An optional date given in part: say so rather than drop it.
            raise ValidationError(self.error_messages["incomplete"])
        if len(str(year)) != 4:
            raise ValidationError("The year must have 4 numbers, like 2019")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except ValueError as error:
            raise ValidationError("The date must be a real date, like 4 10 2019") from error


class TimeField(forms.CharField):
    """A time of day on the 24-hour clock, typed as 14:00 (14.00 and 9:30 are understood too)."""

    PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")

    def to_python(self, value: Any) -> Any:
        text = str(super().to_python(value)).strip()
        if not text:
            return None
        match = self.PATTERN.match(text)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError("Enter a time on the 24-hour clock, like 14:00")
        return time(int(match[1]), int(match[2]))


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        # The same words whether or not the email has an account, so the form tells nobody which.
        "invalid_login": "Enter a correct email address and password. Both may be case-sensitive.",
        "inactive": "This account is inactive. Contact your LEP to reactivate it.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["username"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class ForgottenPasswordForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        self.helper = _helper()
        self.helper.layout = Layout(Field.text("email", field_width=Fluid.TWO_THIRDS), Button("submit", "Send link"))


class ChooseNewPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _label_password_fields(self)
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Save password"),
        )


class InvitationAcceptForm(forms.Form):
    """Choose a password to finish accepting an invitation."""

    new_password1 = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput())
    new_password2 = forms.CharField(label="Confirm password", strip=False, widget=forms.PasswordInput())

    def __init__(self, *args: Any, email: str, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._probe_user = _ProbeUser(email=email, name=name)
        _label_password_fields(self)
        self.helper = _helper()
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Create account"),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The passwords do not match. Enter the same password twice.")
        elif first:
            try:
                password_validation.validate_password(first, self._probe_user)  # type: ignore[arg-type]
            except forms.ValidationError as error:
                self.add_error("new_password1", error)
        return cleaned


class _ProbeUser:
    """Enough of a user for the similarity validator to compare a new password with."""

    def __init__(self, *, email: str, name: str) -> None:
        self.email = email
        self.name = name


def _label_password_fields(form: forms.Form) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields[
        "new_password1"
    ].help_text = "At least 10 characters. Not a common password, not only numbers, and not like your name or email."
    form.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"


def _helper() -> FormHelper:
    """Our templates write the <form> element (with novalidate and any hidden fields) themselves."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> carries the token
    return helper
