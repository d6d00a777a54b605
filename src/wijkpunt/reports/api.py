"""JSON API. ``public`` namespace: file and follow a report (no account; proof-of-work and rate
limit). ``private`` namespace: staff, partners and volunteers, scoped by the same selectors."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django_altcha import get_altcha_challenge
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkpunt.core.captcha import SingleUseAltchaField
from wijkpunt.core.models import Organisation
from wijkpunt.core.permissions import orgs_with_perm
from wijkpunt.core.ratelimit import client_ip, rate_limit_hit

from . import policies, selectors, services
from .classification import suggest_for_text
from .models import Category, Channel, Report
from .serializers import (
    CategorySerializer,
    ForwardAcceptSerializer,
    ForwardDeclinedSerializer,
    ForwardDeclineSerializer,
    NoteSerializer,
    PublicReportCreatedSerializer,
    PublicReportSerializer,
    ReportCreateSerializer,
    StaffReportCreateSerializer,
    StaffReportDetailSerializer,
    StaffReportSerializer,
    SuggestRequestSerializer,
    TransitionSerializer,
)
from .views_public import inflight_key, wait_for_first

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Client-chosen unique key (e.g. a UUID). A retry with the same key and body returns the "
    "first report (200) instead of creating a duplicate.",
)


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    if key and (len(key) > 100 or not key.isprintable()):
        raise serializers.ValidationError({"Idempotency-Key": ["Gebruik maximaal 100 leesbare tekens."]})
    return key or None


def _scope(request) -> str:
    return f"user:{request.user.pk}" if request.user.is_authenticated else "api"


def _create(request, serializer, **extra):
    form = serializer.validated_form()
    kwargs = form.service_kwargs()
    kwargs.update(extra)
    key = _idempotency_key(request)
    kwargs["idempotency_key"] = services.scoped_key(_scope(request), key) if key else None
    try:
        report, created = services.report_create(**kwargs)
    except services.IdempotencyConflict as exc:
        return None, Response({"Idempotency-Key": exc.messages}, status=status.HTTP_409_CONFLICT)
    return report, created


class PublicChallengeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["public"], summary="Proof-of-work challenge (ALTCHA) for the public create endpoint",
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        challenge = get_altcha_challenge(max_number=settings.ALTCHA_MAX_NUMBER)
        return Response(challenge.__dict__)


class PublicCategoryListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["public"], summary="Report categories", responses=CategorySerializer(many=True))
    def get(self, request):
        qs = Category.objects.filter(is_active=True).select_related("parent").order_by("parent_id", "position")
        return Response(CategorySerializer(qs, many=True).data)


class PublicReportCreateView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["public"], summary="File a report (no account)", request=ReportCreateSerializer,
                   parameters=[IDEMPOTENCY_HEADER],
                   responses={201: PublicReportCreatedSerializer, 200: PublicReportCreatedSerializer})
    def post(self, request):
        if rate_limit_hit(scope="public-intake", key=client_ip(request), limit=settings.PUBLIC_RATE_LIMIT):
            raise Throttled(detail="Te veel meldingen vanaf dit adres; probeer het later opnieuw.")
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = _idempotency_key(request)
        scoped = services.scoped_key("api", key) if key else ""
        try:
            # a retry of an accepted (or still running) request needs no new proof of work
            existing = wait_for_first(scoped, lambda r: True) if key else None
            if existing is None:
                try:
                    SingleUseAltchaField(error_messages={"required": "Los eerst de proof-of-work uitdaging op."}).clean(
                        serializer.validated_data.get("altcha", "")
                    )
                except ValidationError as exc:
                    raise serializers.ValidationError({"altcha": exc.messages}) from exc
            report, created = _create(request, serializer, channel=Channel.APP)
        finally:
            if key:
                cache.delete(inflight_key(scoped))
        if report is None:
            return created
        return Response(PublicReportCreatedSerializer(report).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PublicReportTrackView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["public"], summary="Follow a report with its secret tracking token",
                   responses=PublicReportSerializer)
    def get(self, request, token: str):
        report = selectors.report_by_token(token)
        if report is None:
            raise Http404
        return Response(PublicReportSerializer(report).data)


class PublicSuggestView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(tags=["public"], summary="Suggested category and urgency for a Dutch text",
                   request=SuggestRequestSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request):
        if rate_limit_hit(scope="suggest", key=client_ip(request), limit=600):
            raise Throttled()
        serializer = SuggestRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(suggest_for_text(serializer.validated_data["text"]))


class ReportListCreateView(APIView):
    @extend_schema(
        tags=["private"], summary="The work queue (keyset paginated)", operation_id="reports_list",
        parameters=[OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in
                    ("status", "categorie", "urgentie", "buurt", "complex", "behandelaar", "te_laat", "q",
                     "sorteer", "na")],
        responses=inline_serializer("ReportPage", {
            "results": StaffReportSerializer(many=True), "next": serializers.CharField(allow_null=True),
            "total": serializers.IntegerField(), "total_capped": serializers.BooleanField()}),
    )
    def get(self, request):
        from .views_staff import _filters_from

        page = selectors.queue_page(request.user, _filters_from(request), cursor=request.GET.get("na", "")[:400])
        prefetch_related_objects(page.reports, "organisation", "main_category")
        return Response({"results": StaffReportSerializer(page.reports, many=True).data,
                         "next": page.next_cursor, "total": page.total, "total_capped": page.total_capped})

    @extend_schema(tags=["private"], summary="Record a report (phone call, desk, volunteer)",
                   request=StaffReportCreateSerializer, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: StaffReportDetailSerializer, 200: StaffReportDetailSerializer})
    def post(self, request):
        staff_orgs = orgs_with_perm(request.user, "reports.intake_phone")
        volunteer_orgs = orgs_with_perm(request.user, "reports.file_volunteer_report")
        if not staff_orgs and not volunteer_orgs:
            raise PermissionDenied()
        serializer = StaffReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        extra = {"reporter_user": request.user}
        if staff_orgs:
            extra.update(channel=d.get("channel", Channel.PHONE), category=d.get("category"), urgency=d.get("urgency"))
        else:
            extra.update(channel=Channel.VOLUNTEER)
        if d["location"]["kind"] == Report.LocationKind.MAP:
            extra["organisation"] = Organisation.objects.get(pk=sorted(staff_orgs or volunteer_orgs)[0])
        report, created = _create(request, serializer, **extra)
        if report is None:
            return created
        return Response(self_detail(request, report), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


def self_detail(request, report):
    can_triage = policies.can_triage(request.user, report)
    is_partner = not can_triage and policies.is_current_partner(request.user, report)
    return StaffReportDetailSerializer(report, context={
        "is_handler": can_triage or is_partner,
        "partner_org_id": report.forwarded_to_id if is_partner else None,
        "show_contact": policies.can_see_reporter_contact(request.user, report)}).data


def _get(request, pk: int) -> Report:
    report = selectors.report_for_user(request.user, pk)
    if report is None:
        raise Http404
    return report


class ReportDetailView(APIView):
    @extend_schema(tags=["private"], summary="One report with its timeline", operation_id="reports_retrieve", responses=StaffReportDetailSerializer)
    def get(self, request, pk: int):
        return Response(self_detail(request, _get(request, pk)))


class ReportTransitionView(APIView):
    @extend_schema(tags=["private"], summary="Change the status", request=TransitionSerializer,
                   responses=StaffReportDetailSerializer)
    def post(self, request, pk: int):
        report = _get(request, pk)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = services.report_transition(report=report, actor=request.user, **serializer.validated_data)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(self_detail(request, report))


class ReportNoteView(APIView):
    @extend_schema(tags=["private"], summary="Add a note (internal or public)", request=NoteSerializer,
                   responses={201: StaffReportDetailSerializer})
    def post(self, request, pk: int):
        report = _get(request, pk)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.report_add_note(report=report, actor=request.user, **serializer.validated_data)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(self_detail(request, _get(request, pk)), status=status.HTTP_201_CREATED)


class ReportForwardAcceptView(APIView):
    @extend_schema(tags=["private"], summary="Partner: accept a report forwarded to your organisation",
                   request=ForwardAcceptSerializer, responses=StaffReportDetailSerializer)
    def post(self, request, pk: int):
        report = _get(request, pk)
        serializer = ForwardAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = services.report_forward_accept(report=report, actor=request.user, **serializer.validated_data)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        return Response(self_detail(request, report))


class ReportForwardDeclineView(APIView):
    @extend_schema(tags=["private"], summary="Partner: decline (or hand back) a forwarded report, with a reason",
                   request=ForwardDeclineSerializer, responses=ForwardDeclinedSerializer)
    def post(self, request, pk: int):
        report = _get(request, pk)
        serializer = ForwardDeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = services.report_forward_decline(report=report, actor=request.user, **serializer.validated_data)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        # the partner no longer sees the report: the answer says only that it went back
        return Response(ForwardDeclinedSerializer(report).data)
