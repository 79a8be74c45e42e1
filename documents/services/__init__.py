"""Writes of documents, one module per concern: the draft, its sections and versions (drafts.py);
review windows, comments and invitations (reviews.py), the public's comments (review_public.py);
board papers and their appendices (papers.py); packs, requested, rendered by Celery, retried,
swept and downloaded (packs.py); editions of the published strategy (publications.py). A model's
own checks are core.editing.validate. Every public name is re-exported here, so `from documents
import services` and `services.pack_request(...)` keep working."""

from .consulted import consultation_version_set
from .drafts import (
    draft_create,
    draft_section_links_set,
    draft_section_save,
    draft_status_set,
    draft_version_save,
)
from .packs import pack_download_record, pack_render, pack_request, pack_retry, pack_sweep
from .papers import MAX_APPENDIX_BYTES, PAPER_FIELDS, board_paper_save, paper_appendix_add, paper_pdf_get
from .publications import sign_off_decisions, strategy_publish
from .review_public import (
    PublicCommenter,
    review_comment_confirm,
    review_comment_for_token,
    review_comment_moderate,
    review_comment_public_add,
    review_comments_purge,
)
from .reviews import (
    review_comment_add,
    review_comment_reply,
    review_comment_resolve,
    review_invitations_send,
    review_window_close,
    review_window_open,
)

__all__ = [
    "MAX_APPENDIX_BYTES",
    "PAPER_FIELDS",
    "PublicCommenter",
    "board_paper_save",
    "consultation_version_set",
    "draft_create",
    "draft_section_links_set",
    "draft_section_save",
    "draft_status_set",
    "draft_version_save",
    "pack_download_record",
    "pack_render",
    "pack_request",
    "pack_retry",
    "pack_sweep",
    "paper_appendix_add",
    "paper_pdf_get",
    "review_comment_add",
    "review_comment_confirm",
    "review_comment_for_token",
    "review_comment_moderate",
    "review_comment_public_add",
    "review_comment_reply",
    "review_comment_resolve",
    "review_comments_purge",
    "review_invitations_send",
    "review_window_close",
    "review_window_open",
    "sign_off_decisions",
    "strategy_publish",
]
