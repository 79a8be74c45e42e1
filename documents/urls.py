from django.urls import path

from .views import consulted, drafts, home, meetings, packs, papers, reviews, sections

app_name = "documents"

urlpatterns = [
    path("", home.index, name="index"),
    # Officers: the draft strategy, and one URL for each thing done to it.
    path("draft/", drafts.draft_detail, name="draft"),
    path("draft/start/", drafts.draft_create, name="draft-create"),
    path("draft/versions/", drafts.version_save, name="version-save"),
    # A saved version, for those it was shared with (a pack or a review window carries it).
    path("draft/versions/<int:number>/", drafts.version_detail, name="version-detail"),
    path("draft/status/", drafts.draft_status_set, name="draft-status"),
    path("draft/pack/", drafts.draft_pack_request, name="draft-pack"),
    path("draft/compare/", drafts.version_compare, name="version-compare"),
    path("draft/sections/<int:pk>/", sections.section_edit, name="section-edit"),
    # The draft version a consultation consults on: officers choose it; whoever may read the
    # consultation reads it here (engagement's consultation pages link it).
    path("consultations/<int:pk>/draft/", consulted.consulted_draft, name="consulted-draft"),
    path("consultations/<int:pk>/draft/choose/", consulted.consulted_draft_set, name="consulted-draft-set"),
    # Review windows: officers open and close them, reply and resolve; invited people comment.
    path("reviews/", reviews.review_list, name="review-list"),
    path("reviews/new/", reviews.review_open, name="review-open"),
    path("reviews/<int:pk>/", reviews.review_detail, name="review-detail"),
    path("reviews/<int:pk>/close/", reviews.review_close, name="review-close"),
    path("comments/<int:pk>/reply/", reviews.comment_reply, name="comment-reply"),
    path("comments/<int:pk>/resolve/", reviews.comment_resolve, name="comment-resolve"),
    # A meeting's one page, its papers read as pages and as PDFs: public from the day the papers are
    # published (officers and the board's members before); officers write the papers, publish
    # them, and request packs. timeline:meeting-detail redirects here.
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-detail"),
    # The page's name before it became the meeting's one page, so links written then still resolve.
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting-papers"),
    path("meetings/<int:pk>/publish/", meetings.papers_publish, name="papers-publish"),
    path("papers/<int:pk>/", meetings.paper_detail, name="paper-detail"),
    path("papers/<int:pk>/pdf/", meetings.paper_pdf, name="paper-pdf"),
    path("agenda-items/<int:pk>/paper/", papers.paper_edit, name="paper-edit"),
    path("agenda-items/<int:pk>/appendices/", papers.appendix_add, name="appendix-add"),
    # Packs: everyone who sees the process finds theirs here (board members included).
    path("packs/", packs.pack_list, name="pack-list"),
    path("packs/<int:pk>/", packs.pack_detail, name="pack-detail"),
    path("packs/<int:pk>/status/", packs.pack_status, name="pack-status"),
    path("packs/<int:pk>/retry/", packs.pack_retry, name="pack-retry"),
    path("packs/<int:pk>/download/", packs.pack_download, name="pack-download"),
]
