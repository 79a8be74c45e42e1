"""Engagement views, one module per area: the landing page (home.py); calls, the officer's list of
a call's priorities and its export (calls.py); priorities, the council's side and the officer's
coding, response and moderation (priorities.py). Plain typed functions, as in the timeline."""
