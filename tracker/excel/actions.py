"""The ribbon's buttons: one list, from which the ribbon XML is generated and against
which `ribbon.dispatch` is checked. Adding a button means adding a line here and a
handler in ribbon.py; the VBA never changes (every button calls OnAction with its tag).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    tag: str         # passed to RunPython by the VBA dispatcher, then to ribbon.dispatch
    label: str
    image: str       # a built-in Office imageMso name
    screentip: str
    group: str


ACTIONS: tuple[Action, ...] = (
    Action("refresh", "Refresh", "Refresh", "Recompute statuses, due dates, summaries, reminders and stats, and write them into this workbook", "Follow-ups"),
    Action("chase_today", "Chase today", "FlagStatusRed", "Show today's chases, most urgent first, with message drafts", "Follow-ups"),
    Action("reminders", "Reminders", "CalendarInsert", "List the coming reminders; export them as a calendar (.ics) and e-mail drafts (.eml)", "Follow-ups"),
    Action("summary", "Summary", "ReviewNewComment", "Write the standard comment for the selected rows", "Calls"),
    Action("new_call", "New call", "TableRowsInsertBelowWord", "Add a row with now's date and the defaults of a call type", "Calls"),
    Action("stats", "Stats", "ChartInsert", "Interview, no-show and ghosting statistics", "Calls"),
    Action("check", "Check", "ReviewAcceptChange", "List the cells Call Tracker cannot read", "Tools"),
    Action("settings", "Settings", "PropertySheet", "Open the configuration file (tracker.yaml)", "Tools"),
)
