"""Writes of the privacy pages: retention rules per case type and legal holds on cases.

Callers check the permission (``cases.manage_retention`` in the case's or rule's organisation);
these functions validate the input and write, with a ``CaseEvent`` for every hold change."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijkpunt.cases.models import Case, CaseEvent, CaseType, RetentionRule

MIN_DAYS, MAX_DAYS = 30, 3650
_REFERENCE_RE = re.compile(r"^(?:C-?)?0*(\d{1,12})$", re.IGNORECASE)


def parse_case_reference(value: str) -> int | None:
    """``C-000123``, ``c123`` or ``123`` → 123; anything else → ``None``."""
    match = _REFERENCE_RE.match(re.sub(r"\s+", "", value or ""))
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def save_retention_rule(*, organisation_id: int, case_type: str, days: int, action: str) -> RetentionRule:
    errors = {}
    if case_type not in CaseType.values:
        errors["case_type"] = _("Kies een zaaktype uit de lijst.")
    if not isinstance(days, int) or not MIN_DAYS <= days <= MAX_DAYS:
        errors["days_after_closing"] = _("Kies een termijn van %(min)s tot en met %(max)s dagen.") % {
            "min": MIN_DAYS, "max": MAX_DAYS}
    if action not in RetentionRule.Action.values:
        errors["action"] = _("Kies anonimiseren of verwijderen.")
    if errors:
        raise ValidationError(errors)
    rule, _created = RetentionRule.objects.update_or_create(
        organisation_id=organisation_id, case_type=case_type,
        defaults={"days_after_closing": days, "action": action},
    )
    return rule


def remove_retention_rule(*, organisation_id: int, case_type: str) -> bool:
    """Back to the default period (``CASE_RETENTION_DAYS``, anonymise)."""
    return RetentionRule.objects.filter(organisation_id=organisation_id, case_type=case_type).delete()[0] > 0


def set_legal_hold(case: Case, user, *, hold: bool, reason: str) -> Case:
    """Set (``hold=True``) or lift a legal hold, with a reason; writes a ``bewaarplicht`` event.

    While a hold is set the case is not anonymised or deleted by retention, however long ago it closed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef een reden op.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Houd de reden korter dan 500 tekens.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.anonymised_at is not None:
            raise ValidationError({"case": _("Deze casus is al geanonimiseerd; een bewaarplicht heeft geen zin meer.")})
        if hold and locked.legal_hold:
            raise ValidationError({"case": _("Op deze casus rust al een bewaarplicht.")})
        if not hold and not locked.legal_hold:
            raise ValidationError({"case": _("Op deze casus rust geen bewaarplicht.")})
        locked.legal_hold = hold
        locked.legal_hold_reason = reason if hold else ""
        locked.save(update_fields=["legal_hold", "legal_hold_reason"])
        text = (_("Bewaarplicht ingesteld: %(reason)s") if hold else _("Bewaarplicht opgeheven: %(reason)s")) % {
            "reason": reason}
        CaseEvent.objects.create(case=locked, kind=CaseEvent.Kind.HOLD, text=text[:500], actor=user,
                                 organisation_id=locked.organisation_id, for_participants=False)
    return locked
