"""Signals other apps listen to (e.g. the on-call backup), sent inside the report's transaction.

Receivers must not break the report's write: a receiver that may fail wraps itself in a savepoint."""

from django.dispatch import Signal

# kwargs: report, at
report_created = Signal()
# kwargs: report, at, change ("status", "assigned", "categorised")
report_changed = Signal()
