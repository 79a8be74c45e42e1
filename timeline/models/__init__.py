"""The timeline's models, one module per part of the process:

- process.py: boards and their members, the six phases and their milestones;
- meetings.py: meetings, their agenda, attendance, declarations, decisions (at a meeting, by
  written procedure, or delegated) and minutes;
- outside_meetings.py: written procedures and their responses, the forward plan;
- interests.py: board members' registers of interests;
- feeds.py: calendar feeds and the reminders sent.
"""

from .feeds import CalendarFeed, ReminderSent
from .interests import REGISTER_WITHIN_DAYS, REVIEW_EVERY_DAYS, InterestEntry, InterestRegister
from .meetings import AgendaItem, Attendance, Decision, DecisionQuerySet, Declaration, Meeting, Minutes
from .outside_meetings import ForwardPlanEntry, WrittenProcedure, WrittenProcedureResponse
from .process import Board, BoardMembership, Milestone, Phase

__all__ = [
    "REGISTER_WITHIN_DAYS",
    "REVIEW_EVERY_DAYS",
    "AgendaItem",
    "Attendance",
    "Board",
    "BoardMembership",
    "CalendarFeed",
    "Decision",
    "DecisionQuerySet",
    "Declaration",
    "ForwardPlanEntry",
    "InterestEntry",
    "InterestRegister",
    "Meeting",
    "Milestone",
    "Minutes",
    "Phase",
    "ReminderSent",
    "WrittenProcedure",
    "WrittenProcedureResponse",
]
