"""What the documents services share: a model's own validation, refused with a reason a person
can act on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from core.exceptions import ApplicationError


def clean_or_refuse(instance: Any, **kwargs: Any) -> None:
    """`instance.full_clean(**kwargs)`, its first failure raised as an ApplicationError naming the field."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        fields = list(error.message_dict) if hasattr(error, "error_dict") else []
        raise ApplicationError(" ".join(error.messages), field=fields[0] if fields else None) from error
