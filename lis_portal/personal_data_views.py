"""A person's own data page and downloads, and an administrator's erasure of a person (reached from
the Django admin's page for the person)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from core.exceptions import ApplicationError
from core.http import request_user
from core.models import User
from core.rules import is_administrator

from . import personal_data


@login_required
def your_data(request: HttpRequest) -> HttpResponse:
    data = personal_data.personal_data_collect(person=request_user(request))
    counts = {
        "Priorities you wrote": len(data["priorities"]),
        "Consultation responses you started, saved or submitted": len(data["consultation_responses"]),
        "Comments on the draft strategy": len(data["review_comments"]),
        "Evidence items you added": len(data["evidence_items"]),
        "Update subscriptions under your email address": len(data["subscriptions"]),
        "Entries of your registers of interests": len(data["interests"]),
    }
    return render(request, "lis_portal/your_data.html", {"counts": counts, "memberships": data["memberships"]})


@login_required
def your_data_json(request: HttpRequest) -> HttpResponse:
    person = request_user(request)
    body = personal_data.personal_data_json(person=person)
    personal_data.personal_data_exported(person=person, fmt="json")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="your-lis-portal-data.json"'
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by a shared cache
    return response


@login_required
def your_data_csv(request: HttpRequest) -> HttpResponse:
    person = request_user(request)
    body = personal_data.personal_data_csv(person=person)
    personal_data.personal_data_exported(person=person, fmt="csv")
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="your-lis-portal-data.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def person_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Administrators only (others get 404): what erasing the person would do, and a button to do it."""
    if not is_administrator(request.user):
        raise Http404("No page here.")
    person = get_object_or_404(User, pk=pk)
    admin_url = reverse("admin:core_user_change", args=[person.pk])
    error = ""
    if request.method == "POST":
        try:
            plan = personal_data.person_erase(actor=request_user(request), person=person)
        except ApplicationError as failure:
            error = failure.message
        else:
            kept = sum(plan.kept.values())
            deleted = sum(len(v) for v in plan.drafts_deleted.values())
            messages.success(
                request,
                f"The person has been erased: {kept} contributions kept, credited to “{User.ERASED_NAME}”; "
                f"{deleted} drafts and {plan.subscriptions} subscriptions deleted.",
            )
            return redirect(admin_url)
    context = {
        "person": person,
        "plan": personal_data.person_erasure_plan(person=person),
        "erased": personal_data.is_erased(person),
        "admin_url": admin_url,
        "error": error,
    }
    return render(request, "lis_portal/person_erase.html", context)
