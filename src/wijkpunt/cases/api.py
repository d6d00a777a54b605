"""JSON API for cases (``/api/v1/cases/``): the same selectors, policy and services as the pages.

Who: anyone with ``cases.work_on_cases`` (owner staff) or ``cases.take_part`` (partners) in some
organisation; without either: 403. A case the caller cannot reach (another corporation's, a case
the caller's organisation was never invited to, or declined / was ended) is 404 with the same body as
an id that does not exist. What the detail shows is decided by ``policy.case_access`` through
``selectors.case_view``, which also writes the read to the access log (with the role); parts the
caller may not see are ``null`` (``serializers.py``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from . import participation, selectors, services
from .models import Case, CaseParticipant
from .serializers import (
    CaseAnswerResultSerializer,
    CaseAnswerSerializer,
    CaseDetailSerializer,
    CaseNoteCreateSerializer,
    CaseNoteSerializer,
    CasePageSerializer,
    CaseQuerySerializer,
    CaseRowSerializer,
)

PAGE_SIZE = 50
MAX_CURSOR_VALUE = 2**62  # beyond this the database cannot bind the value (SQLite: 64-bit)
BAD_QUERY = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid query parameter: field-level messages.")


def _require_cases(user) -> None:
    if not selectors.can_use_cases(user):
        raise PermissionDenied()


def _field_errors(exc: ValidationError) -> serializers.ValidationError:
    """A service's ValidationError (a dict of Dutch messages) as DRF's ``{"field": ["message"]}``."""
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    return serializers.ValidationError(dict(exc.message_dict))


# --------------------------------------------------------------------------- list


def _encode_cursor(case: Case) -> str:
    raw = json.dumps([case.created_at.isoformat(), case.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if (isinstance(values, list) and len(values) == 2 and isinstance(values[0], str)
            and type(values[1]) is int and 0 <= values[1] < MAX_CURSOR_VALUE):
        try:
            moment = dt.datetime.fromisoformat(values[0])
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment, values[1]
    raise serializers.ValidationError({"na": [_("Ongeldige cursor; gebruik de waarde van 'next'.")]})


def case_page(user, *, status_filter: str, cursor: str) -> tuple[list[dict], str | None, int]:
    """A keyset page (newest first) of every case the user can reach, as list rows.

    Owner rows carry the title and the lead; partner rows only what the case page shows without
    consent (reference, type, neighbourhood, status, the participation). Not logged: no household
    data goes to partners, and the owner list (like the page's) shows titles only."""
    qs = selectors.reachable_cases(user)
    if status_filter == "open":
        qs = qs.filter(status=Case.Status.OPEN)
    elif status_filter == "closed":
        qs = qs.filter(status=Case.Status.CLOSED)
    total = qs.count()
    if cursor:
        moment, pk = _decode_cursor(cursor)
        qs = qs.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    rows = list(qs.select_related("organisation", "neighbourhood", "assigned_to")
                .order_by("-created_at", "-pk")[: PAGE_SIZE + 1])
    cases = rows[:PAGE_SIZE]
    owner_orgs = selectors.work_orgs(user)
    partner_ids = [c.pk for c in cases if c.organisation_id not in owner_orgs]
    participation_status: dict[int, str] = {}
    if partner_ids:
        for case_id, state in CaseParticipant.objects.filter(
            case_id__in=partner_ids, organisation_id__in=selectors.partner_orgs(user),
            status__in=(CaseParticipant.Status.INVITED, CaseParticipant.Status.ACCEPTED),
        ).values_list("case_id", "status"):
            if participation_status.get(case_id) != CaseParticipant.Status.ACCEPTED:
                participation_status[case_id] = state  # an accepted row wins, as in the policy
    results = []
    for case in cases:
        owner = case.organisation_id in owner_orgs
        lead = case.assigned_to
        results.append({
            "id": case.pk, "reference": case.reference, "side": "owner" if owner else "participant",
            "title": case.title if owner else None, "case_type": case.case_type if owner else None,
            "case_type_label": case.get_case_type_display() if owner else None, "status": case.status,
            "organisation": case.organisation.name,
            "neighbourhood": case.neighbourhood.name if case.neighbourhood_id else None,
            "lead": (lead.get_full_name() or lead.get_username()) if owner and lead else None,
            "participation_status": None if owner else participation_status.get(case.pk),
            "created_at": case.created_at,
        })
    next_cursor = _encode_cursor(cases[-1]) if len(rows) > PAGE_SIZE else None
    return results, next_cursor, total


class CaseListView(APIView):
    @extend_schema(
        tags=["cases"], summary="The cases you can reach: your corporation's and those your organisation "
        "takes part in (keyset paginated)", operation_id="cases_list", parameters=[CaseQuerySerializer],
        responses={200: CasePageSerializer, 400: BAD_QUERY},
    )
    def get(self, request):
        _require_cases(request.user)
        query = CaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        results, next_cursor, total = case_page(request.user, status_filter=q["status"], cursor=q.get("na", ""))
        return Response({"results": CaseRowSerializer(results, many=True).data, "next": next_cursor,
                         "total": total})


# --------------------------------------------------------------------------- detail and writes


class CaseDetailView(APIView):
    @extend_schema(
        tags=["cases"], summary="One case as you may see it (parts you may not see are null; logged)",
        operation_id="cases_retrieve", responses=CaseDetailSerializer,
    )
    def get(self, request, pk: int):
        _require_cases(request.user)
        view = selectors.case_view(request.user, pk, purpose="API: casus")
        return Response(CaseDetailSerializer(view).data)


class CaseNoteView(APIView):
    @extend_schema(
        tags=["cases"], summary="Add a note (owner staff and accepted participants who see the case)",
        request=CaseNoteCreateSerializer, responses={201: CaseNoteSerializer},
    )
    def post(self, request, pk: int):
        _require_cases(request.user)
        # nothing of the case is shown in the answer: no read to log, only the access check
        case, access = selectors.case_access_or_404(request.user, pk)
        if not access.can_write:
            raise PermissionDenied(_("U kunt pas notities toevoegen als uw organisatie deelneemt en de bewoner "
                                     "toestemming heeft gegeven."))
        body = CaseNoteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            note = services.add_note(case, request.user, text=data["text"], organisation_id=access.organisation_id,
                                     category=data["category"], visibility=data["visibility"],
                                     allowed_categories=access.role_allows)
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        note.shown_organisation = note.organisation  # the writer's own organisation: always named to them
        return Response(CaseNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseAnswerView(APIView):
    @extend_schema(
        tags=["cases"], summary="Partner: accept or decline (with a reason) the invitation to take part",
        request=CaseAnswerSerializer, responses={200: CaseAnswerResultSerializer},
    )
    def post(self, request, pk: int):
        _require_cases(request.user)
        case, access = selectors.case_access_or_404(request.user, pk)
        if not access.is_invited:
            # you can see the case but there is nothing to answer (owner staff, already taking part)
            raise PermissionDenied(_("Er staat voor uw organisatie geen uitnodiging open bij deze casus."))
        body = CaseAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            answered = participation.answer_invitation(access.participant, request.user, accept=data["accept"],
                                                       reason=data["reason"])
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        return Response({"id": case.pk, "reference": case.reference, "participation_status": answered.status,
                         "answered_at": answered.answered_at})
