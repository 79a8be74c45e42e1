"""`{% consulted_on consultation %}`: the "What we are consulting on" section of a consultation's
pages (its page, the signed-in response pages, the public response form), for the person viewing."""

from __future__ import annotations

from typing import Any

from django import template

from ..consulted import consulted_items
from ..models import Consultation

register = template.Library()


@register.inclusion_tag("engagement/includes/consulted_on.html", takes_context=True)
def consulted_on(context: template.Context, consultation: Consultation) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"items": consulted_items(consultation=consultation, user=user)}
