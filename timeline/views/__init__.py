"""Timeline views, one module per area: the public timeline, Gantt and calendars (public.py);
the officer dashboard (dashboard.py); milestones and phases (milestones.py); boards, meetings
and decisions (meetings.py)."""
