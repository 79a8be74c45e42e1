"""Documents pages: the draft strategy (sections, versions, comparison), board papers per agenda
item, and packs (request, status updating through htmx, download).

Officers write and request; board members see and download their boards' packs; a members'
pack of another board is a 404. Views load objects through documents.access and call services."""

from __future__ import annotations

import difflib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError
from core.markdown import markdown_to_html
from core.models import User

from . import selectors, services
from .access import (
    get_agenda_item_for_user_or_404,
    get_draft_section_for_user_or_404,
    get_meeting_for_documents_or_404,
    get_pack_for_user_or_404,
    get_review_comment_for_user_or_404,
    get_review_window_for_user_or_404,
)
from .forms import (
    AppendixForm,
    BoardPaperForm,
    CommentForm,
    CompareForm,
    DraftStatusForm,
    PackRequestForm,
    ReviewOpenForm,
    SectionForm,
    SectionLinksForm,
    VersionForm,
)
from .models import BoardPaper, DraftSection, DraftVersion, Pack, ReviewWindow
from .render import shared_links
from .rules import can_comment, can_write

VIEW = "documents.view_documents"
WRITE = "documents.write_documents"

STATUS_TAGS = {
    Pack.Status.QUEUED: "govuk-tag--grey",
    Pack.Status.RENDERING: "govuk-tag--blue",
    Pack.Status.READY: "govuk-tag--green",
    Pack.Status.FAILED: "govuk-tag--red",
}


def _person(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    return user


def _form_error(form: forms.BaseForm, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The documents home for people taking part in the strategy and its board members."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm="documents.view_documents")
    writer = bool(can_write(user, strategy))
    return render(
        request,
        "documents/index.html",
        {
            "strategy": strategy,
            "can_write": writer,
            "draft": selectors.draft_get(strategy=strategy) if writer else None,
            "reviews": list(selectors.review_window_list_for_reviewer(strategy=strategy, user=user)[:20]),
            "meetings": list(selectors.meeting_list_for_documents(strategy=strategy, user=user)),
            "packs": list(selectors.pack_list_visible(strategy=strategy, user=user)[:50]),
        },
    )


@login_required
@require_http_methods(["GET"])
def pack_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Packs and meeting papers for everyone who sees the strategy's process, board members
    included (who may not take part in the strategy through an organisation)."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    return render(
        request,
        "documents/pack_list.html",
        {
            "strategy": strategy,
            "meetings": list(selectors.meeting_list_for_documents(strategy=strategy, user=user)),
            "packs": list(selectors.pack_list_visible(strategy=strategy, user=user)[:100]),
        },
    )


# The draft ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def draft_detail(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if request.method == "POST" and draft is None:
        try:
            services.draft_create(actor=user, strategy=strategy)
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("documents:draft", strategy_slug=strategy.slug)
    if draft is None:
        return render(request, "documents/draft_start.html", {"strategy": strategy})
    versions = selectors.draft_version_list(draft=draft)
    version_form = VersionForm(request.POST if "save-version" in request.POST else None)
    status_form = DraftStatusForm(
        request.POST if "set-status" in request.POST else None, initial={"status": draft.status}
    )
    pack_form_versions = versions
    if request.method == "POST":
        try:
            if "save-version" in request.POST and version_form.is_valid():
                version = services.draft_version_save(actor=user, draft=draft, note=version_form.cleaned_data["note"])
                messages.success(request, f"Version {version.number} saved.")
                return redirect("documents:draft", strategy_slug=strategy.slug)
            if "set-status" in request.POST and status_form.is_valid():
                services.draft_status_set(actor=user, draft=draft, status=status_form.cleaned_data["status"])
                messages.success(request, "Status set.")
                return redirect("documents:draft", strategy_slug=strategy.slug)
            if "draft-pack" in request.POST:
                chosen = versions.filter(pk=request.POST.get("draft_version") or 0).first()
                if chosen is None:
                    raise ApplicationError("Choose the version of the draft to render.")
                pack, created = services.pack_request(
                    actor=user, strategy=strategy, kind=Pack.Kind.DRAFT, draft_version=chosen
                )
                if not created:
                    messages.info(request, "Nothing has changed since this pack was made, so here it is.")
                return redirect(pack.get_absolute_url())
        except ApplicationError as error:
            _form_error(version_form if "save-version" in request.POST else status_form, error)
    compare_form = CompareForm(versions=versions) if versions.count() >= 2 else None
    unresolved = selectors.unresolved_counts(draft=draft)
    sections = list(draft.sections.all())
    for section in sections:
        section.unresolved = unresolved.get(section.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "documents/draft_detail.html",
        {
            "strategy": strategy,
            "draft": draft,
            "sections": sections,
            "reviews": list(selectors.review_window_list(draft=draft)),
            "versions": list(versions),
            "version_form": version_form,
            "status_form": status_form,
            "compare_form": compare_form,
            "pack_versions": list(pack_form_versions),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    section = get_draft_section_for_user_or_404(user, strategy, pk, write=True)
    preview: SafeString | None = None
    theirs = None
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = markdown_to_html(data["body"])
            else:
                try:
                    services.draft_section_save(
                        actor=user,
                        section=section,
                        title=data["title"],
                        body=data["body"],
                        expected_version=data["version"],
                    )
                except ApplicationError as error:
                    _form_error(form, error)
                    section.refresh_from_db()
                    theirs = section
                else:
                    messages.success(request, f"“{section.title}” saved.")
                    return redirect("documents:draft", strategy_slug=strategy.slug)
    else:
        form = SectionForm(initial={"title": section.title, "body": section.body, "version": section.version})
    linked = selectors.section_list_with_links(draft=section.draft).get(pk=section.pk)
    items, priorities, propositions = selectors.section_link_choices(strategy=strategy)
    links_form = SectionLinksForm(
        items=items,
        priorities=priorities,
        propositions=propositions,
        initial={
            "evidence_items": list(linked.evidence_items.all()),
            "priorities": list(linked.priorities.all()),
            "propositions": list(linked.propositions.all()),
        },
    )
    return render(
        request,
        "documents/section_form.html",
        {
            "strategy": strategy,
            "section": section,
            "linked": linked,
            "links_form": links_form,
            "form": form,
            "preview": preview,
            "theirs": theirs,
            "theirs_html": markdown_to_html(theirs.body) if theirs else None,
        },
    )


@login_required
@require_POST
def section_links(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Set the evidence items, priorities and propositions a section draws on."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    section = get_draft_section_for_user_or_404(user, strategy, pk, write=True)
    items, priorities, propositions = selectors.section_link_choices(strategy=strategy)
    form = SectionLinksForm(request.POST, items=items, priorities=priorities, propositions=propositions)
    if form.is_valid():
        try:
            services.draft_section_links_set(
                actor=user,
                section=section,
                evidence_item_ids=[e.pk for e in form.cleaned_data["evidence_items"]],
                priority_ids=[p.pk for p in form.cleaned_data["priorities"]],
                proposition_ids=[p.pk for p in form.cleaned_data["propositions"]],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"The links of “{section.title}” are saved.")
    elif "propositions" in form.errors:
        messages.error(request, "Choose propositions of this strategy. Nothing was saved.")
    else:
        messages.error(request, "Choose evidence items, priorities and propositions from the lists.")
    return redirect("documents:section-edit", strategy_slug=strategy.slug, pk=section.pk)


def _diff(old: str, new: str) -> SafeString:
    """The words of `new` against `old`: removed words in <del>, added ones in <ins>."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 — every piece of text is escaped above


@login_required
@require_http_methods(["GET"])
def version_compare(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if draft is None:
        raise Http404("No draft yet.")
    versions = selectors.draft_version_list(draft=draft)
    form = CompareForm(request.GET or None, versions=versions)
    rows = []
    older: DraftVersion | None = None
    newer: DraftVersion | None = None
    if form.is_valid():
        older, newer = sorted((form.cleaned_data["a"], form.cleaned_data["b"]), key=lambda v: v.number)
        before = {s["title"]: s["body"] for s in older.sections}
        after = {s["title"]: s["body"] for s in newer.sections}
        titles = [s["title"] for s in newer.sections] + [t for t in before if t not in after]
        for title in titles:
            old_text, new_text = before.get(title, ""), after.get(title, "")
            rows.append(
                {
                    "title": title,
                    "old": old_text,
                    "new": new_text,
                    "diff": _diff(old_text, new_text),
                    "changed": old_text != new_text,
                    "added": title not in before,
                    "removed": title not in after,
                }
            )
    return render(
        request,
        "documents/version_compare.html",
        {"strategy": strategy, "draft": draft, "form": form, "rows": rows, "older": older, "newer": newer},
    )


# Review windows -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def review_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Officers: every review window of the draft. Invited councillors and partners: theirs."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    writer = bool(can_write(user, strategy))
    draft = selectors.draft_get(strategy=strategy) if writer else None
    if writer:
        windows = list(selectors.review_window_list(draft=draft)) if draft else []
    else:
        windows = list(selectors.review_window_list_for_reviewer(strategy=strategy, user=user))
    return render(
        request,
        "documents/review_list.html",
        {"strategy": strategy, "windows": windows, "can_write": writer, "draft": draft},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_open(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if draft is None:
        raise Http404("No draft yet.")
    form = ReviewOpenForm(
        request.POST if request.method == "POST" else None,
        versions=selectors.draft_version_list(draft=draft),
        organisations=strategy.partners.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            window = services.review_window_open(
                actor=user,
                draft=draft,
                version=form.cleaned_data["version"],
                organisations=list(form.cleaned_data["organisations"]),
                closes_on=form.cleaned_data["closes_on"],
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Version {window.version.number} is open for review.")
            return redirect(window.get_absolute_url())
    return render(request, "documents/review_open.html", {"strategy": strategy, "draft": draft, "form": form})


def _review_sections(window: ReviewWindow, *, officer: bool) -> list[dict[str, object]]:
    """The reviewed version's sections, each with its live section id (for comments) and the
    window's comments on it, Markdown rendered and sanitised. A fixed number of queries."""
    live = {s.pk: s for s in DraftSection.objects.filter(draft_id=window.draft_id)}
    by_title = {s.title: s for s in live.values()}
    comments = selectors.review_comment_list(window=window)
    rows: list[dict[str, object]] = []
    for n, snapshot in enumerate(window.version.sections, start=1):
        section = live.get(snapshot.get("id", 0)) or by_title.get(snapshot["title"])
        if section is None:
            continue  # removed from the draft since: nothing to comment on
        its_comments = comments.get(section.pk, [])
        for comment in its_comments:
            comment.html = markdown_to_html(comment.body, top_heading=4)  # type: ignore[attr-defined]
            for reply in comment.replies.all():
                reply.html = markdown_to_html(reply.body, top_heading=4)  # type: ignore[attr-defined]
        evidence, priorities = shared_links(snapshot, public=False)
        rows.append(
            {
                "n": n,
                "section": section,
                "title": snapshot["title"],
                "html": markdown_to_html(snapshot.get("body", ""), top_heading=3),
                "evidence": snapshot.get("evidence", []) if officer else evidence,
                "priorities": priorities,
                # Propositions are the officers' own until the strategy publishes them.
                "propositions": snapshot.get("propositions", []) if officer else [],
                "comments": its_comments,
                "unresolved": sum(1 for c in its_comments if c.resolved_at is None),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The reviewed version, section by section, with the comments; invited people comment here."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    window = get_review_window_for_user_or_404(user, strategy, pk)
    commenting = can_comment(user, window)
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        if not commenting:
            raise Http404("No review open to you here.")
        section = DraftSection.objects.filter(pk=request.POST.get("section") or 0, draft_id=window.draft_id).first()
        if section is None:
            raise Http404("No section here.")
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.review_comment_add(actor=user, window=window, section=section, body=form.cleaned_data["body"])
            except ApplicationError as error:
                errors[section.pk] = error.message
            else:
                messages.success(request, f"Your comment on “{section.title}” is added.")
                return redirect(f"{window.get_absolute_url()}#section-{section.pk}")
        else:
            errors[section.pk] = str(form.errors["body"][0])
        typed[section.pk] = request.POST.get("body", "")
    rows = _review_sections(window, officer=bool(can_write(user, strategy)))
    for row in rows:
        section_pk = row["section"].pk  # type: ignore[attr-defined]
        row["error"], row["typed"] = errors.get(section_pk), typed.get(section_pk, "")
    return render(
        request,
        "documents/review_detail.html",
        {
            "strategy": strategy,
            "window": window,
            "rows": rows,
            "errors": [(row["section"], row["error"]) for row in rows if row["error"]],
            "can_comment": commenting,
            "can_write": bool(can_write(user, strategy)),
        },
    )


@login_required
@require_POST
def review_close(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    window = get_review_window_for_user_or_404(user, strategy, pk, write=True)
    try:
        services.review_window_close(actor=user, window=window)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The review window is closed.")
    return redirect(window.get_absolute_url())


@login_required
@require_POST
def comment_reply(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    comment = get_review_comment_for_user_or_404(user, strategy, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.review_comment_reply(actor=user, comment=comment, body=form.cleaned_data["body"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Your reply is added.")
    else:
        messages.error(request, str(form.errors["body"][0]).replace("comment", "reply"))
    return redirect(f"{comment.window.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    comment = get_review_comment_for_user_or_404(user, strategy, pk)
    try:
        services.review_comment_resolve(actor=user, comment=comment)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The comment is resolved.")
    return redirect(f"{comment.window.get_absolute_url()}#comment-{comment.pk}")


# Board papers ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_papers(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A meeting's agenda with its papers, and (for officers) the pack request."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    meeting = get_meeting_for_documents_or_404(user, strategy, pk, write=request.method == "POST")
    writer = bool(can_write(user, strategy))
    draft = selectors.draft_get(strategy=strategy) if writer else None
    versions = selectors.draft_version_list(draft=draft) if draft else DraftVersion.objects.none()
    form = PackRequestForm(request.POST if request.method == "POST" else None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            pack, created = services.pack_request(
                actor=user,
                strategy=strategy,
                kind=form.cleaned_data["kind"],
                meeting=meeting,
                draft_version=form.cleaned_data["draft_version"],
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            if not created:
                messages.info(request, "Nothing has changed since this pack was made, so here it is.")
            return redirect(pack.get_absolute_url())
    return render(
        request,
        "documents/meeting_papers.html",
        {
            "strategy": strategy,
            "meeting": meeting,
            "items": selectors.agenda_with_papers(meeting=meeting),
            "packs": list(selectors.pack_list_visible(strategy=strategy, user=user, meeting=meeting)),
            "can_write": writer,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The paper of agenda item `pk`: written here, created on first save."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    item = get_agenda_item_for_user_or_404(user, strategy, pk, write=True)
    paper = BoardPaper.objects.filter(agenda_item=item).prefetch_related("appendices").first()
    initial: dict[str, object] = {"version": paper.version} if paper else {"title": item.title, "author": user.name}
    form = BoardPaperForm(request.POST if request.method == "POST" else None, instance=paper, initial=initial)
    appendix_form = AppendixForm()
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.PAPER_FIELDS if name in form.cleaned_data}
        try:
            services.board_paper_save(
                actor=user, agenda_item=item, data=data, expected_version=form.cleaned_data.get("version")
            )
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Paper saved.")
            return redirect("documents:meeting-papers", strategy_slug=strategy.slug, pk=item.meeting_id)
    return render(
        request,
        "documents/paper_form.html",
        {"strategy": strategy, "item": item, "paper": paper, "form": form, "appendix_form": appendix_form},
    )


@login_required
@require_POST
def appendix_add(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    item = get_agenda_item_for_user_or_404(user, strategy, pk, write=True)
    paper = BoardPaper.objects.filter(agenda_item=item).prefetch_related("appendices").first()
    if paper is None:
        raise Http404("Write the paper before adding appendices.")
    appendix_form = AppendixForm(request.POST, request.FILES)
    if appendix_form.is_valid():
        try:
            services.paper_appendix_add(
                actor=user,
                paper=paper,
                title=appendix_form.cleaned_data["title"],
                upload=appendix_form.cleaned_data["file"],
            )
        except ApplicationError as error:
            _form_error(appendix_form, error)
        else:
            messages.success(request, "Appendix added.")
            return redirect("documents:paper-edit", strategy_slug=strategy.slug, pk=item.pk)
    form = BoardPaperForm(instance=paper, initial={"version": paper.version})
    return render(
        request,
        "documents/paper_form.html",
        {"strategy": strategy, "item": item, "paper": paper, "form": form, "appendix_form": appendix_form},
    )


# Packs ----------------------------------------------------------------------------------------


def _pack_context(request: HttpRequest, pack: Pack, user: User) -> dict[str, object]:
    return {
        "strategy": pack.strategy,
        "pack": pack,
        "status_tag": STATUS_TAGS[Pack.Status(pack.status)],
        "can_write": bool(can_write(user, pack.strategy)),
    }


@login_required
@require_http_methods(["GET"])
def pack_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    pack = get_pack_for_user_or_404(user, strategy, pk)
    return render(request, "documents/pack_detail.html", _pack_context(request, pack, user))


@login_required
@require_http_methods(["GET"])
def pack_status(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The status panel alone: what htmx polls every two seconds until the pack is finished."""
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    pack = get_pack_for_user_or_404(user, strategy, pk)
    return render(request, "documents/includes/pack_status.html", _pack_context(request, pack, user))


@login_required
@require_POST
def pack_retry(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    pack = get_pack_for_user_or_404(user, strategy, pk)
    try:
        services.pack_retry(actor=user, pack=pack)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(pack.get_absolute_url())


@login_required
@require_http_methods(["GET"])
def pack_download(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponseBase:
    user = _person(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    pack = get_pack_for_user_or_404(user, strategy, pk)
    if pack.status != Pack.Status.READY:
        raise Http404("The pack is not ready.")
    services.pack_download_record(actor=user, pack=pack)
    filename = f"{strategy.slug}-{pack.kind}-pack-{pack.pk}.pdf"
    response = FileResponse(
        default_storage.open(pack.file.name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
