"""What the engagement forms share: the crispy-forms helper, length messages, the choices of
places and themes, and the honeypot field people never see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

from core.models import Area, Theme


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


class ThemeChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Theme) -> str:
        kind = "foundation" if obj.kind == Theme.Kind.FOUNDATION else "grand challenge"
        return f"{obj.name} ({kind})"


# Public responses and offline input (docs/adr/0041) -----------------------------------------------------

HONEYPOT_FIELD = "website"  # the field of templates/engagement/includes/honeypot.html


def honeypot_filled(data: Mapping[str, Any]) -> bool:
    """Whether a robot filled the field people never see: the request is then answered as if it
    succeeded, and nothing is stored or sent."""
    return bool(data.get(HONEYPOT_FIELD))
