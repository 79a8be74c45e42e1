"""A board meeting's minutes (issue 14, "Board business in public"): written by an officer in
Markdown from the meeting's recorded business, circulated to the board, approved at a later
meeting of the same board, published, and corrected by a new version.

The layers as elsewhere, in their own modules while timeline's services.py is one file near its
size limit: `services` (every change, audited), `selectors` (reads: the text a draft starts from,
the section of the meeting page), `forms`. The model is `timeline.models.Minutes`; the access
helper `timeline.access.get_minutes_for_user_or_404`; the pages `timeline/views/minutes.py`.
"""
