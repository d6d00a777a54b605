"""JSON API for rent arrears (``/api/v1/arrears/``): the same selectors, services and permissions as
the pages. Every read of a household's financial data is logged by the selectors (``AccessLog``).

Permissions per organisation: ``arrears.view_financial`` to read, ``arrears.handle_arrears`` to
record steps, signals and the municipality's answers, ``arrears.import_ledger`` for the ledger.
Without the permission in any organisation: 403; an episode of another organisation: 404. A step
the law does not allow yet is ``409`` with the missing conditions as ``{"blockers": [...]}``.
"""

from __future__ import annotations

import base64
import binascii
import json

from django.core.exceptions import ValidationError
from django.db.models import Q, prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkpunt.core.access import log_access_many
from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import has_org_perm, orgs_with_perm
from wijkpunt.housing.import_records import ImportFailed

from . import exchange, rules, selectors, services
from .models import StepKind
from .serializers import (
    AnswerResultSerializer,
    CsvUploadSerializer,
    EarlySignalSerializer,
    EpisodeDetailSerializer,
    EpisodePageSerializer,
    EpisodeQuerySerializer,
    EpisodeSerializer,
    EpisodeStepSerializer,
    ExportQuerySerializer,
    ImportErrorsSerializer,
    LedgerResultSerializer,
    LedgerUploadSerializer,
    SignalCreateSerializer,
    SignalExportSerializer,
    StepCreateSerializer,
    StepRefusedSerializer,
)

IMPORT_LEDGER = "arrears.import_ledger"
PAGE_SIZE = 50
MAX_CURSOR_VALUE = 2**62  # beyond this the database cannot bind the value (SQLite: 64-bit)

BAD_QUERY = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid query parameter: field-level messages.")
REFUSED = OpenApiResponse(StepRefusedSerializer, description="The law does not allow this step yet: the "
                          "conditions that are missing, each with a stable code and a Dutch message.")
IMPORT_ERRORS = OpenApiResponse(ImportErrorsSerializer, description="Every error in the file (nothing was saved), "
                                "or field-level messages for the form fields.")


def _require(user, perm: str) -> frozenset[int]:
    orgs = orgs_with_perm(user, perm)
    if not orgs:
        raise PermissionDenied()
    return orgs


def _field_errors(exc: ValidationError, renamed: dict[str, str] | None = None) -> serializers.ValidationError:
    """A service's ValidationError as DRF's, with service field names mapped to the body's."""
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    renamed = renamed or {}
    return serializers.ValidationError({renamed.get(field, field): messages
                                        for field, messages in exc.message_dict.items()})


def _refused(exc: services.StepRefused) -> Response:
    blockers = [{"code": b.code, "message": str(b.message)} for b in exc.blockers]
    return Response({"blockers": blockers}, status=status.HTTP_409_CONFLICT)


def _import_errors(exc: ImportFailed) -> Response:
    errors = [{"line": e.line, "column": e.column, "message": e.message} for e in exc.errors[:1000]]
    return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)


# --------------------------------------------------------------------------- episodes


def _encode_cursor(episode) -> str:
    raw = json.dumps([episode.amount_cents, episode.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[int, int]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        values = None
    if (isinstance(values, list) and len(values) == 2
            and all(type(v) is int and abs(v) < MAX_CURSOR_VALUE for v in values)):
        return values[0], values[1]
    raise serializers.ValidationError({"na": [_("Ongeldige cursor; gebruik de waarde van 'next'.")]})


def episode_page(user, *, status_filter: str, min_months, cursor: str, purpose: str):
    """A keyset page of the visible episodes, most owed first; the households shown are logged.

    (``selectors.episode_list`` has no cursor; this is its paged counterpart for the API.)"""
    qs = selectors.episodes_visible(user)
    if status_filter != "all":
        qs = qs.filter(status=status_filter)
    if min_months is not None:
        qs = qs.filter(months__gte=min_months)
    total = qs.count()
    if cursor:
        amount, pk = _decode_cursor(cursor)
        qs = qs.filter(Q(amount_cents__lt=amount) | Q(amount_cents=amount, pk__gt=pk))
    rows = list(qs.order_by("-amount_cents", "pk")[: PAGE_SIZE + 1])
    episodes = rows[:PAGE_SIZE]
    by_org: dict[int, list[tuple[int, int]]] = {}
    for episode in episodes:
        by_org.setdefault(episode.corporation_id, []).append((episode.pk, episode.tenancy.household_id))
    for org_id, logged in by_org.items():
        log_access_many(user, org_id, subject="arrears_episode", purpose=purpose, rows=logged)
    next_cursor = _encode_cursor(episodes[-1]) if len(rows) > PAGE_SIZE else None
    return episodes, next_cursor, total


class EpisodeListView(APIView):
    @extend_schema(
        tags=["arrears"], summary="Episodes of rent arrears, most owed first (keyset paginated; logged)",
        operation_id="arrears_episodes_list", parameters=[EpisodeQuerySerializer],
        responses={200: EpisodePageSerializer, 400: BAD_QUERY},
    )
    def get(self, request):
        _require(request.user, selectors.FINANCIAL)
        query = EpisodeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        episodes, next_cursor, total = episode_page(
            request.user, status_filter=q["status"], min_months=q.get("min_months"), cursor=q.get("na", ""),
            purpose="API: achterstandenlijst",
        )
        prefetch_related_objects(episodes, "steps", "signals")
        today = timezone.localdate()
        blockers = {episode.pk: rules.signal_blockers(episode, today) for episode in episodes}
        results = EpisodeSerializer(episodes, many=True, context={"blockers": blockers}).data
        return Response({"results": results, "next": next_cursor, "total": total})


def _detail(request, episode) -> dict:
    checklist = rules.signal_checklist(episode, timezone.localdate())
    blockers = {episode.pk: [c for c in checklist if not c.ok]}
    return EpisodeDetailSerializer(episode, context={
        "request": request, "checklist": checklist, "blockers": blockers}).data


class EpisodeDetailView(APIView):
    @extend_schema(tags=["arrears"], summary="One episode: steps, signals, arrangements and the signal checklist "
                   "(logged)", operation_id="arrears_episodes_retrieve", responses=EpisodeDetailSerializer)
    def get(self, request, pk: int):
        _require(request.user, selectors.FINANCIAL)
        episode = selectors.episode_detail(request.user, pk, purpose="API: achterstandsdossier")
        return Response(_detail(request, episode))


def _episode_to_handle(request, pk: int, purpose: str):
    """The episode (404 outside the user's financial scope), if the user may record steps in it (403)."""
    _require(request.user, selectors.HANDLE)
    episode = selectors.episode_detail(request.user, pk, purpose=purpose)
    if not has_org_perm(request.user, selectors.HANDLE, episode.corporation_id):
        raise PermissionDenied()
    return episode


def _record_step(episode, user, data: dict):
    """Call the service for ``data["kind"]`` with the fields it takes."""
    kind, on = data["kind"], data["occurred_on"]
    note = data.get("note", "")
    if kind == StepKind.CONTACT_ATTEMPT:
        return services.record_contact_attempt(episode, user, occurred_on=on, channel=data["channel"],
                                               reached=data["reached"], daypart=data.get("daypart", ""), note=note)
    if kind == StepKind.DEBT_HELP_REFERRAL:
        return services.record_debt_help_referral(episode, user, occurred_on=on, channel=data["channel"], note=note)
    if kind == StepKind.OBJECTION:
        return services.record_objection(episode, user, occurred_on=on, channel=data["channel"], note=note)
    if kind == StepKind.NOTE:
        return services.add_note(episode, user, occurred_on=on, note=note)
    letter = services.send_reminder_letter if kind == StepKind.REMINDER_LETTER else services.send_fourteen_day_letter
    return letter(episode, user, sent_on=on, channel=data.get("channel", "BRI"))


class EpisodeStepView(APIView):
    @extend_schema(
        tags=["arrears"], summary="Record a step: contact attempt, debt-help referral, letter, objection or note",
        request=StepCreateSerializer,
        responses={201: EpisodeStepSerializer, 409: REFUSED},
    )
    def post(self, request, pk: int):
        episode = _episode_to_handle(request, pk, "API: stap vastleggen")
        body = StepCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            step = _record_step(episode, request.user, body.validated_data)
        except services.StepRefused as exc:
            return _refused(exc)
        except ValidationError as exc:
            raise _field_errors(exc, {"sent_on": "occurred_on"}) from exc
        return Response(EpisodeStepSerializer(step, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class EpisodeSignalView(APIView):
    @extend_schema(
        tags=["arrears"], summary="Record the early signal to the tenant's municipality",
        request=SignalCreateSerializer, responses={201: EarlySignalSerializer, 409: REFUSED},
    )
    def post(self, request, pk: int):
        episode = _episode_to_handle(request, pk, "API: vroegsignaal")
        body = SignalCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            signal = services.create_signal(episode, request.user, **body.validated_data)
        except services.StepRefused as exc:
            return _refused(exc)
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        return Response(EarlySignalSerializer(signal).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- ledger, signals out, answers in


class LedgerImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["arrears"], summary="Import rent ledger lines (CSV, all or nothing; dry_run only checks)",
        request={"multipart/form-data": LedgerUploadSerializer},
        responses={201: LedgerResultSerializer, 200: LedgerResultSerializer, 400: IMPORT_ERRORS},
    )
    def post(self, request):
        orgs = _require(request.user, IMPORT_LEDGER)
        body = LedgerUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        corporations = list(Organisation.objects.filter(pk__in=orgs).order_by("name"))
        slug = data.get("corporation", "")
        if slug:
            corporation = next((org for org in corporations if org.slug == slug), None)
        else:
            corporation = corporations[0] if len(corporations) == 1 else None
        if corporation is None:
            raise serializers.ValidationError({"corporation": [
                _("Kies de corporatie waarvoor u importeert: %(slugs)s.") % {
                    "slugs": ", ".join(org.slug for org in corporations)}]})
        from .ledger_import import import_ledger_csv

        try:
            result = import_ledger_csv(corporation, data["file"].read(), dry_run=data["dry_run"])
        except ImportFailed as exc:
            return _import_errors(exc)
        return Response({
            "dry_run": result.dry_run, "lines": result.lines, "created": result.created,
            "already_present": result.already_present, "tenancies": result.tenancies,
            "corporation": corporation.slug,
        }, status=status.HTTP_200_OK if result.dry_run else status.HTTP_201_CREATED)


class SignalExportView(APIView):
    @extend_schema(
        tags=["arrears"], summary="Export the signals for the municipality (DDAS-shaped JSON or CSV; logged, "
        "marks them exported)", operation_id="arrears_signals_export", parameters=[ExportQuerySerializer],
        responses={(200, "application/json"): SignalExportSerializer, (200, "text/csv"): OpenApiTypes.STR,
                   400: BAD_QUERY},
    )
    def get(self, request):
        orgs = _require(request.user, selectors.FINANCIAL)
        query = ExportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        signals = selectors.signals_visible(request.user)
        if q.get("municipality"):
            signals = signals.filter(municipality__code=q["municipality"])
        if q["only_new"]:
            signals = signals.filter(exported_at__isnull=True)
        signals = list(signals.prefetch_related("episode__steps").order_by("signal_date", "pk"))
        fmt = q["format"]
        selectors.log_signal_reads(request.user, signals, purpose=f"API: export vroegsignalen ({fmt})")
        exchange.mark_exported(signals)
        if fmt == "json":
            sender = ", ".join(Organisation.objects.filter(pk__in=orgs).order_by("name").values_list("name", flat=True))
            body, content_type = exchange.export_json(signals, sender=sender), "application/json"
        else:
            body, content_type = exchange.export_csv(signals), "text/csv; charset=utf-8"
        name = f"vroegsignalen-{q.get('municipality') or 'alle'}-{timezone.localdate().isoformat()}.{fmt}"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response

    def perform_content_negotiation(self, request, force=False):
        # ?format= selects the export format here, not DRF's renderer: errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type


class SignalAnswersView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["arrears"], summary="Import the municipality's answers to signals (CSV signaal_id;status;datum)",
        request={"multipart/form-data": CsvUploadSerializer},
        responses={200: AnswerResultSerializer, 400: IMPORT_ERRORS},
    )
    def post(self, request):
        orgs = _require(request.user, selectors.HANDLE)
        body = CsvUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            result = exchange.import_answers(body.validated_data["file"], corporation_ids=orgs, user=request.user)
        except ImportFailed as exc:
            return _import_errors(exc)
        return Response({"updated": result.updated, "unchanged": result.unchanged})
