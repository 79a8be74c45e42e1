"""Small display helpers for timeline templates."""

from __future__ import annotations

from django import template

register = template.Library()

STATUS_COLOURS = {
    "not_started": "govuk-tag--grey",
    "in_progress": "govuk-tag--blue",
    "at_risk": "govuk-tag--orange",
    "blocked": "govuk-tag--red",
    "done": "govuk-tag--green",
    "scheduled": "govuk-tag--grey",
    "papers_published": "govuk-tag--blue",
    "held": "govuk-tag--turquoise",
    "minutes_published": "govuk-tag--green",
    "cancelled": "govuk-tag--red",
    "approved": "govuk-tag--green",
    "amended": "govuk-tag--turquoise",
    "deferred": "govuk-tag--yellow",
    "rejected": "govuk-tag--red",
}


@register.filter
def tag_colour(status: str) -> str:
    """The GOV.UK tag modifier for a milestone, meeting or decision status."""
    return STATUS_COLOURS.get(status, "govuk-tag--grey")
