"""The published strategy: its latest edition whose day has come, for everybody (signed out
included); any edition by number (officers read one waiting for its day); and the officers' page
that publishes an edition. Before any edition is public, the strategy's page is a 404 for
everybody: there is nothing to sign in for."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, request_user
from core.models import Strategy
from core.queue import watch

from .. import selectors, services
from ..access import get_publication_for_user_or_404
from ..forms import PublishForm
from ..models import DraftVersion, Publication
from ..publication_page import publication_latest_public, publication_list_visible, publication_page
from .packs import pack_requested_message

WRITE = "documents.write_documents"


def _page(request: HttpRequest, strategy: Strategy, publication: Publication) -> HttpResponse:
    page = publication_page(publication=publication, user=request.user)
    return render(request, "documents/publication_detail.html", {"strategy": strategy, "page": page})


@require_http_methods(["GET"])
def publication_latest(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The published strategy: the latest edition whose day has come."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    publication = publication_latest_public(strategy=strategy)
    if publication is None:
        raise Http404("The strategy has not been published yet.")
    return _page(request, strategy, publication)


@require_http_methods(["GET"])
def publication_edition(request: HttpRequest, strategy_slug: str, edition: int) -> HttpResponse:
    """One edition by number: everybody's from its day (an older one says which replaced it)."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    return _page(request, strategy, get_publication_for_user_or_404(request.user, strategy, edition))


@login_required
@require_http_methods(["GET", "POST"])
def publication_publish(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Officers publish the next edition: a saved version, the board's sign-off, the day, a summary."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    versions = selectors.draft_version_list(draft=draft) if draft else DraftVersion.objects.none()
    decisions = services.sign_off_decisions(strategy)
    form = PublishForm(request.POST or None, versions=versions, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with watch() as unsent:
                publication = services.strategy_publish(
                    actor=user,
                    strategy=strategy,
                    version=data["version"],
                    decision=data["decision"],
                    published_on=data["published_on"],
                    summary=data["summary"],
                    change_note=data["change_note"],
                )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(
                request,
                f"Edition {publication.edition} published: public from {publication.published_on:%-d %B %Y}.",
            )
            if unsent.count:
                pack_requested_message(request, created=True, unsent=unsent.count)
            return redirect(publication.get_absolute_url())
    editions = list(publication_list_visible(strategy=strategy, user=user))
    return render(
        request,
        "documents/publication_publish.html",
        {
            "strategy": strategy,
            "form": form,
            "editions": editions,
            "has_versions": versions.exists(),
            "has_decisions": decisions.exists(),
        },
    )
