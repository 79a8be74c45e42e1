"""What a consultation consults on: the officer chooses its propositions and uploads PDFs; whoever
may read the consultation downloads them (the draft version is documents': documents/views/consulted.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, found_or_sign_in, post_action, request_user, versioned_save

from .. import services
from ..access import get_consultation_document_or_404, get_consultation_for_user_or_404
from ..forms import ConsultationDocumentForm, ConsultedPropositionsForm
from ..models import Consultation

MANAGE = "engagement.manage_calls"


@login_required
def consultation_propositions(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=consultation,
            form_for=lambda data, current: ConsultedPropositionsForm(data, consultation=current),
            save=lambda form, version: services.consultation_propositions_set(
                actor=request_user(request),
                consultation=consultation,
                propositions=list(form.cleaned_data["propositions"]),
                version=version,
            ),
        )
        if saved is not None:
            messages.success(request, "The propositions consulted on are saved.")
            return redirect(saved)
    else:
        form = ConsultedPropositionsForm(
            consultation=consultation,
            initial={"propositions": list(consultation.propositions.all()), "version": consultation.version},
        )
    context = {"strategy": strategy, "consultation": consultation, "form": form, "conflicts": conflicts}
    return render(request, "engagement/consulted_propositions.html", context)


@login_required
def consultation_document_add(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    form = ConsultationDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.consultation_document_add(
                actor=request_user(request),
                consultation=consultation,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"“{document.title}” uploaded: people reading the consultation can download it.")
            return redirect(consultation)
    context = {"strategy": strategy, "consultation": consultation, "form": form}
    return render(request, "engagement/consultation_document_form.html", context)


@login_required
@require_POST
def consultation_document_remove(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    document = get_consultation_document_or_404(request.user, strategy, pk, write=True)
    return post_action(
        request,
        lambda: services.consultation_document_remove(actor=request_user(request), document=document),
        success=f"“{document.title}” removed.",
        redirect_to=document.consultation.get_absolute_url(),
    )


@require_http_methods(["GET"])
def consultation_document(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponseBase:
    """The uploaded PDF, always as an attachment, for whoever may read the consultation (everyone,
    for one open to the public). Anonymous visitors are asked to sign in for any other."""
    document = found_or_sign_in(
        request,
        lambda: get_consultation_document_or_404(request.user, get_strategy_or_404(request.user, strategy_slug), pk),
    )
    if isinstance(document, HttpResponse):
        return document
    public = document.consultation.audience == Consultation.Audience.PUBLIC
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
