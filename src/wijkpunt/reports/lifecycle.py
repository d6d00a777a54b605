"""The status lifecycle of a report, with the VERA ONDERHOUDSVERZOEKSTATUS code stored beside it."""

from __future__ import annotations

from .models import Status

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.IN_PROGRESS, Status.FORWARDED, Status.RESOLVED, Status.CANCELLED, Status.MERGED),
    Status.IN_PROGRESS: (Status.FORWARDED, Status.RESOLVED, Status.CANCELLED, Status.MERGED),
    Status.FORWARDED: (Status.IN_PROGRESS, Status.RESOLVED, Status.CANCELLED),
    Status.REOPENED: (Status.IN_PROGRESS, Status.FORWARDED, Status.RESOLVED, Status.CANCELLED, Status.MERGED),
    Status.RESOLVED: (Status.REOPENED,),
    Status.CANCELLED: (Status.REOPENED,),
    Status.MERGED: (),
}

VERA_STATUS = {
    Status.NEW: "REG",  # Geregistreerd
    Status.IN_PROGRESS: "INB",  # In behandeling
    Status.FORWARDED: "INB",
    Status.REOPENED: "BEO",  # Ter beoordeling
    Status.RESOLVED: "AFG",  # Afgehandeld
    Status.CANCELLED: "GEA",  # Geannuleerd
    Status.MERGED: "GEA",
}


def is_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, ())
