"""The view toolkit every app's views share: who is asking, a service's refusal shown on a form or
as a message, the POST half of an edit page whose form carries the row's version, a button that
changes one thing, and a list's filter form read into its selector's filters."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

from .exceptions import ApplicationError, Conflict, StaleEditError
from .models import User
from .queue import watch

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

F = TypeVar("F", bound=forms.BaseForm)
T = TypeVar("T")
D = TypeVar("D", bound="DataclassInstance")


def request_user(request: HttpRequest) -> User:
    """The signed-in person making the request (for views behind login_required), as a User."""
    user = request.user
    assert isinstance(user, User)
    return user


def found_or_sign_in(request: HttpRequest, load: Callable[[], T]) -> T | HttpResponse:
    """For a page some may read signed out: what `load` finds, or, when it answers 404, the sign-in
    page for an anonymous visitor (whether or not the record exists, so the answer tells nothing)."""
    try:
        return load()
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def client_ip(request: HttpRequest) -> str:
    """The sender's address as the web server saw it (the proxy in front sets REMOTE_ADDR), for the
    public forms' rate limits."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def token_link(viewname: str, **kwargs: object) -> str:
    """The absolute address of an emailed confirmation page, `{token}` where its token goes (the
    view takes a `token` argument; the service fills it in, storing only the token's hash)."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse(viewname, kwargs={**kwargs, "token": "TOKEN"})
    return f"{settings.SITE_URL.rstrip('/')}{path}".replace("TOKEN", "{token}")


def form_error_field(form: forms.BaseForm, error: ApplicationError) -> str | None:
    """The field an ApplicationError names when the form has it, else None (an error for the whole form)."""
    return error.field if error.field in form.fields else None


QUEUED_LATER = (
    "Saved. Our background service is not answering just now, so what happens next will start when it is back."
)


def post_action(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[T], str] | None,
    redirect_to: str,
    queued: str | Callable[[T], str] = QUEUED_LATER,
) -> HttpResponseRedirect:
    """The POST half of a button that does one thing: `call()` (a service, with its arguments bound),
    then the `success` message (a sentence, or one made from what the service returned; None for
    none), or the ApplicationError's message as an error, with nothing else done; either way, back
    to `redirect_to`. When the broker did not take the work the service queued (core.queue), the
    page says `queued` instead: the work is saved and waits for the worker."""
    with watch() as unsent:
        try:
            result = call()
        except ApplicationError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(redirect_to)
    if unsent.count:
        messages.warning(request, queued if isinstance(queued, str) else queued(result))
    elif success is not None:
        messages.success(request, success if isinstance(success, str) else success(result))
    return HttpResponseRedirect(redirect_to)


def versioned_save(
    data: QueryDict,
    *,
    current: Any,
    form_for: Callable[[QueryDict, Any], F],
    save: Callable[[F, int], T],
    error_field: Callable[[F, ApplicationError], str | None] = form_error_field,
) -> tuple[F, T | None, list[Conflict]]:
    """The POST half of an edit page whose form carries the row's `version`.

    Binds `form_for(data, current)`; when valid, calls `save(form, version)` (a service). Returns
    the form, what the service returned (None when nothing was saved) and the conflicts to show.
    On StaleEditError the form keeps what this person typed, bound again with the saved version
    (so the next save applies it over the colleague's) and `form_for(data, error.current)`, and
    the conflicts say "theirs / yours"; any other ApplicationError becomes an error on the field
    `error_field` names (by default the error's own field when the form has it).
    """
    form = form_for(data, current)
    if not form.is_valid():
        return form, None, []
    try:
        return form, save(form, form.cleaned_data["version"] or 0), []
    except StaleEditError as error:
        data = data.copy()
        data["version"] = str(error.current.version)
        form = form_for(data, error.current)
        form.is_valid()
        form.add_error(None, error.message)
        return form, None, error.conflicts
    except ApplicationError as error:
        form.add_error(error_field(form, error), error.message)
        return form, None, []


def filters_from(form: forms.Form, filters: type[D]) -> D:
    """What a list's filter form asks for, as its selector's filters (a dataclass): a `<name>_id`
    field takes the pk of the object chosen in the form's `<name>`, any other field the form's
    value or ""; a field the form lacks keeps its default, and so does every field when the form
    is not valid."""
    if not form.is_valid():
        return filters()
    chosen: dict[str, object] = {}
    for field in dataclasses.fields(filters):
        name = field.name.removesuffix("_id")
        if name not in form.fields:
            continue
        value = form.cleaned_data.get(name)
        chosen[field.name] = (value.pk if value else None) if name != field.name else (value or "")
    return filters(**chosen)
