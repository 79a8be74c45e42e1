"""Imports of indicator data: upload with a preview, start, and follow the progress."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, post_action, request_user

from .. import services
from ..access import get_import_job_for_user_or_404
from ..forms import ImportUploadForm
from ..models import ImportJob

MANAGE = "evidence.manage_evidence"


@login_required
def import_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                actor=request_user(request),
                strategy=strategy,
                upload=form.cleaned_data["file"],
                layout=form.cleaned_data["layout"],
                skip_unknown_areas=form.cleaned_data["skip_unknown_areas"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            return redirect(job)
    jobs = ImportJob.objects.filter(strategy=strategy).select_related("created_by")[:50]
    return render(request, "evidence/import_list.html", {"strategy": strategy, "form": form, "jobs": jobs})


@login_required
def import_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    job = get_import_job_for_user_or_404(request.user, strategy, pk)
    return render(request, "evidence/import_detail.html", {"strategy": strategy, "job": job})


@login_required
def import_progress(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The progress fragment htmx polls while the job is queued or running."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    job = get_import_job_for_user_or_404(request.user, strategy, pk)
    response = render(request, "evidence/includes/import_status.html", {"strategy": strategy, "job": job})
    if not job.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the whole page, with the outcome
    return response


@login_required
@require_POST
def import_start(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    job = get_import_job_for_user_or_404(request.user, strategy, pk, write=True)
    return post_action(
        request,
        lambda: services.import_job_start(actor=request_user(request), job=job),
        success=lambda started: f"The import of {started.file_name} has started.",
        queued=lambda started: (
            f"The import of {started.file_name} is queued: our background service is not "
            "answering just now, so it will start when the service is back."
        ),
        redirect_to=job.get_absolute_url(),
    )
