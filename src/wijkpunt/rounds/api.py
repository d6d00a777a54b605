"""JSON API for rounds (``/api/v1/rounds/``), used by the walking page's offline queue.

Who: volunteers (``rounds.walk_round`` with a Volunteer profile) see and plan their own rounds and the
rounds they partner; staff (``rounds.view_rounds``) see their corporation's rounds. A round outside
the caller's reach is 404 (same as an id that does not exist). Only the round's volunteer or partner
save the checklist, change the status or file reports to it; for anybody else those are 404 too.

``POST /api/v1/rounds/{id}/reports/`` is the reporting point's intake (the same serializer, form and
``report_create`` with an ``Idempotency-Key``) plus the link to the round, in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkpunt.core.models import User
from wijkpunt.housing.models import Complex
from wijkpunt.reports import services as report_services
from wijkpunt.reports.api import IDEMPOTENCY_HEADER, _idempotency_key, self_detail
from wijkpunt.reports.serializers import ReportCreateSerializer, StaffReportDetailSerializer

from . import intake, selectors, services
from .models import Round
from .serializers import (
    RoundChecksSerializer,
    RoundDetailSerializer,
    RoundListPageSerializer,
    RoundPlanSerializer,
    RoundSerializer,
    RoundStatusSerializer,
)

LIST_LIMIT = 200


QUEUE_OWNER_HEADER = "X-Wijkpunt-Queue-User"


def walking_round(request, pk: int) -> Round:
    """The round ``request.user`` walks, for a write. An item of the phone's offline queue carries the
    mark of the user who made it (``selectors.queue_owner``); on a shared phone, an item made by
    someone else is refused (403, nothing saved) instead of being filed in the name of whoever is
    logged in now. The queue keeps it until its maker logs in again."""
    rnd = selectors.walking_round_for(request.user, pk)
    owner = request.headers.get(QUEUE_OWNER_HEADER, "").strip()
    if owner and not constant_time_compare(owner, selectors.queue_owner(request.user)):
        raise PermissionDenied(_("Dit is op deze telefoon gemaakt door iemand anders. Het wordt verstuurd zodra "
                                 "die persoon weer inlogt."))
    return rnd


def _field_errors(exc: ValidationError) -> serializers.ValidationError:
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    return serializers.ValidationError(dict(exc.message_dict))


def detail_data(user, rnd: Round) -> dict:
    walker = selectors.is_walker(user, rnd)
    reports = [
        {"id": r.pk, "reference": r.reference, "status": r.status, "status_label": r.get_status_display(),
         "description": r.description[:300], "place": str(r.location_display), "created_at": r.created_at,
         "latest_update": r.latest_update.text if r.latest_update else None}
        for r in selectors.reports_of(rnd)
    ]
    data = RoundSerializer(rnd).data
    data.update(
        can_walk=walker,
        checks=[{"item": c["item"], "result": c["result"], "remark": c["remark"]} for c in selectors.checks_of(rnd)],
        reports=reports,
        places=[{"value": p.value, "label": p.label, "kind": p.kind} for p in selectors.places_of(rnd)]
        if walker else None,
    )
    return data


class RoundListView(APIView):
    @extend_schema(tags=["private"], summary="Rounds: your own and partnered ones (volunteer) or your "
                   "corporation's (staff), newest first", operation_id="rounds_list",
                   responses=RoundListPageSerializer)
    def get(self, request):
        selectors.require_rounds_user(request.user)
        qs = selectors.visible_rounds(request.user).prefetch_related("complexes")
        st = request.GET.get("status", "")
        if st in Round.Status.values:
            qs = qs.filter(status=st)
        if request.GET.get("zonder_maatje", "") in ("1", "true", "ja"):
            qs = qs.filter(partner__isnull=True)
        rounds = list(qs.order_by("-planned_for", "-id")[:LIST_LIMIT])
        return Response({"results": RoundSerializer(rounds, many=True).data})

    @extend_schema(tags=["private"], summary="Plan a round (volunteer)", request=RoundPlanSerializer,
                   responses={201: RoundDetailSerializer})
    def post(self, request):
        volunteer = selectors.volunteer_of(request.user)
        if volunteer is None:
            raise PermissionDenied()
        serializer = RoundPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        errors = {}
        partner = None
        if d.get("partner"):
            partner = User.objects.filter(pk=d["partner"]).first()
            if partner is None:
                errors["partner"] = ["Kies een Bewonerskracht uit uw buurt of een medewerker van de corporatie."]
        complexes = list(Complex.objects.filter(pk__in=set(d["complexes"])))
        if len(complexes) != len(set(d["complexes"])):
            errors["complexes"] = ["Kies complexen in de buurt van uw programma."]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            rnd = services.round_plan(volunteer=volunteer, planned_for=d["planned_for"], route=d["route"],
                                      partner=partner, complexes=complexes, notes=d["notes"])
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        rnd = selectors.round_for(request.user, rnd.pk)
        return Response(detail_data(request.user, rnd), status=status.HTTP_201_CREATED)


class RoundDetailView(APIView):
    @extend_schema(tags=["private"], summary="One round: checklist, reports with their status and (for the "
                   "walkers) the addresses and common areas", operation_id="rounds_retrieve",
                   responses=RoundDetailSerializer)
    def get(self, request, pk: int):
        return Response(detail_data(request.user, selectors.round_for(request.user, pk)))


class RoundChecksView(APIView):
    @extend_schema(tags=["private"], summary="Save checklist answers (volunteer or partner; an upsert per item)",
                   request=RoundChecksSerializer, responses=RoundDetailSerializer)
    def post(self, request, pk: int):
        rnd = walking_round(request, pk)
        serializer = RoundChecksSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checks = [services.CheckInput(**c) for c in serializer.validated_data["checks"]]
        try:
            services.round_save_checks(round=rnd, checks=checks)
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(detail_data(request.user, selectors.round_for(request.user, pk)))


class RoundStatusView(APIView):
    @extend_schema(tags=["private"], summary="Start, finish or cancel a round (volunteer or partner; repeating "
                   "an action is harmless)", request=RoundStatusSerializer, responses=RoundDetailSerializer)
    def post(self, request, pk: int):
        rnd = walking_round(request, pk)
        serializer = RoundStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action = serializer.validated_data["action"]
        if action == "cancel" and not selectors.is_owner(request.user, rnd):
            raise PermissionDenied("Alleen wie de ronde plande, kan haar annuleren.")
        try:
            {"start": services.round_start, "finish": services.round_finish,
             "cancel": services.round_cancel}[action](round=rnd)
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(detail_data(request.user, selectors.round_for(request.user, pk)))


class RoundReportView(APIView):
    @extend_schema(tags=["private"], summary="File a report from the round (the reporting point's intake, "
                   "linked to the round)", request=ReportCreateSerializer, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: StaffReportDetailSerializer, 200: StaffReportDetailSerializer})
    def post(self, request, pk: int):
        rnd = walking_round(request, pk)
        if not selectors.may_file_reports(request.user, rnd):
            raise PermissionDenied(_("U mag geen meldingen maken voor deze corporatie."))
        key = _idempotency_key(request)
        try:
            with transaction.atomic():
                report, created = intake.file_report(round=rnd, actor=request.user, data=request.data, key=key)
        except report_services.IdempotencyConflict as exc:
            return Response({"Idempotency-Key": exc.messages}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(self_detail(request, report), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
