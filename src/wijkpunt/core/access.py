"""The access log for special-category and financial data (AVG art. 9 and need-to-know).

Selectors that hand out such data call :func:`log_access` for every household whose details
they return, in pages and API alike. Aggregated figures (no person identifiable) are not logged.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import AccessLog


def log_access(user, organisation_id: int, *, subject: str, purpose: str, subject_id: int | None = None,
               household_id: int | None = None, role: str = "") -> None:
    AccessLog.objects.create(
        user=user, organisation_id=organisation_id, subject=subject, subject_id=subject_id,
        household_id=household_id, purpose=purpose[:200], role=role[:200],
    )


def log_access_many(user, organisation_id: int, *, subject: str, purpose: str,
                    rows: Iterable[tuple[int | None, int | None]], role: str = "") -> int:
    """Log one read per ``(subject_id, household_id)`` pair (a list page shows many households)."""
    entries = [
        AccessLog(user=user, organisation_id=organisation_id, subject=subject, subject_id=subject_id,
                  household_id=household_id, purpose=purpose[:200], role=role[:200])
        for subject_id, household_id in rows
    ]
    AccessLog.objects.bulk_create(entries, batch_size=500)
    return len(entries)
