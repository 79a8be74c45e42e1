from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    # Officers: the draft strategy.
    path("draft/", views.draft_detail, name="draft"),
    path("draft/sections/<int:pk>/", views.section_edit, name="section-edit"),
    path("draft/sections/<int:pk>/links/", views.section_links, name="section-links"),
    path("draft/compare/", views.version_compare, name="version-compare"),
    # Review windows: officers open and close them, reply and resolve; invited people comment.
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/new/", views.review_open, name="review-open"),
    path("reviews/<int:pk>/", views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/close/", views.review_close, name="review-close"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment-reply"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment-resolve"),
    # A meeting's papers (officers and the board's members); officers write them and request packs.
    path("meetings/<int:pk>/", views.meeting_papers, name="meeting-papers"),
    path("agenda-items/<int:pk>/paper/", views.paper_edit, name="paper-edit"),
    path("agenda-items/<int:pk>/appendices/", views.appendix_add, name="appendix-add"),
    # Packs: everyone who sees the process finds theirs here (board members included).
    path("packs/", views.pack_list, name="pack-list"),
    path("packs/<int:pk>/", views.pack_detail, name="pack-detail"),
    path("packs/<int:pk>/status/", views.pack_status, name="pack-status"),
    path("packs/<int:pk>/retry/", views.pack_retry, name="pack-retry"),
    path("packs/<int:pk>/download/", views.pack_download, name="pack-download"),
]
