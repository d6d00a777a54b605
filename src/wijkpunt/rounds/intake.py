"""Filing a report from a round: the reporting point's serializer and form validate the body, its
service creates the report (idempotency key included), and ``services.round_report_file`` links it
to the round in the same transaction. Used by the API (``api.py``), the walking page's form without
JavaScript (``views.py``) and, through the API, the phone's offline queue (``static/js/round-queue.js``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from wijkpunt.reports import services as report_services
from wijkpunt.reports.models import Report
from wijkpunt.reports.serializers import ReportCreateSerializer

from . import services
from .models import Round


def conflict() -> report_services.IdempotencyConflict:
    return report_services.IdempotencyConflict(
        _("Deze idempotentiesleutel is al gebruikt voor een andere melding."),
        code="idempotency_conflict",
    )


def file_report(*, round: Round, actor, data, key: str | None, photos=(),  # noqa: A002
                at=None) -> tuple[Report, bool]:
    """Validate ``data`` (the reporting point's API body) and file it to ``round``.

    Raises ``serializers.ValidationError`` (field errors, nothing saved) or ``IdempotencyConflict``
    (the key was used for other content). A repeated key with the same content returns the first
    report, also when the round was cancelled or finished in the meantime."""
    existing = services.existing_round_report(round=round, actor=actor, key=key)
    serializer = ReportCreateSerializer(data=data)
    try:
        serializer.is_valid(raise_exception=True)
        form = serializer.validated_form()
    except serializers.ValidationError:
        if existing is not None:
            raise conflict() from None
        raise
    return services.round_report_file(round=round, actor=actor, intake_kwargs=form.service_kwargs(), key=key,
                                      photos=photos, at=at)
