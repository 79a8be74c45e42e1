"""The draft version a consultation consults on: its read-only page, for whoever may read the
consultation (everyone, for one open to the public), and the officer's choice of the version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, found_or_sign_in, request_user
from engagement.access import get_consultation_for_user_or_404, get_consultation_readable_or_404
from engagement.models import Consultation

from .. import services
from ..consulted import consulted_version, version_title
from ..forms import ConsultedVersionForm
from ..models import DraftStrategy
from ..render import version_sections_to_read

MANAGE = "engagement.manage_calls"


@require_http_methods(["GET"])
def consulted_draft(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The draft version consultation `pk` consults on, read-only. Linking it to the consultation
    published it to the consultation's audience; anyone else is asked to sign in, or gets 404."""
    consultation = found_or_sign_in(
        request,
        lambda: get_consultation_readable_or_404(request.user, get_strategy_or_404(request.user, strategy_slug), pk),
    )
    if isinstance(consultation, HttpResponse):
        return consultation
    strategy = consultation.strategy
    version = consulted_version(consultation=consultation)
    if version is None:
        raise Http404("This consultation does not consult on a version of the draft.")
    public = consultation.audience == Consultation.Audience.PUBLIC
    back = reverse("engagement:public-response-create", kwargs={"strategy_slug": strategy.slug, "pk": pk})
    context = {
        "strategy": strategy,
        "consultation": consultation,
        "version": version,
        "version_title": version_title(version),
        "sections": version_sections_to_read(version, public=public),
        "back_url": back if public else consultation.get_absolute_url(),
    }
    return render(request, "documents/consulted_draft.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consulted_draft_set(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The officer chooses the version of the draft the consultation consults on, or none."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(user, strategy, pk, write=True)
    draft = DraftStrategy.objects.filter(strategy=strategy).first()
    form = None
    if draft is not None:
        current = consulted_version(consultation=consultation)
        form = ConsultedVersionForm(request.POST or None, draft=draft, initial={"version": current})
        if request.method == "POST" and form.is_valid():
            version = form.cleaned_data["version"]
            try:
                services.consultation_version_set(actor=user, consultation=consultation, version=version)
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                messages.success(
                    request,
                    f"The consultation consults on version {version.number} of the draft."
                    if version
                    else "The consultation no longer consults on a version of the draft.",
                )
                return redirect(consultation)
    context = {"strategy": strategy, "consultation": consultation, "draft": draft, "form": form}
    return render(request, "documents/consulted_draft_set.html", context)
