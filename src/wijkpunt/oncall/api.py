"""JSON API for the on-call backup: who is on call, running chains, acknowledge, help requests.
Scoped by the same selectors and permissions as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkpunt.core.permissions import orgs_with_perm

from . import selectors, services
from .models import Escalation, HelpRequest


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="__str__")
    phone = serializers.CharField()


class SegmentSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    person = PersonSerializer(source="user", allow_null=True)
    source = serializers.CharField(help_text="rotatie, wissel, afwezig or leeg")


class RosterNowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="roster.pk")
    name = serializers.CharField(source="roster.name")
    now = SegmentSerializer(allow_null=True)
    next = SegmentSerializer(allow_null=True)
    backup = PersonSerializer(allow_null=True)
    gaps = SegmentSerializer(many=True)


class PageSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    recipient = serializers.CharField(source="recipient_label")
    channels = serializers.ListField(child=serializers.CharField())
    skipped_reason = serializers.CharField()
    due_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(source="created_at")


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    report = serializers.CharField(source="report.reference", allow_null=True, default=None)
    report_id = serializers.IntegerField(allow_null=True)
    help_request_id = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField()
    next_step = serializers.IntegerField()
    steps = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField()
    acknowledged_by = serializers.CharField(allow_null=True, default=None)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    pages = PageSerializer(many=True, source="pages.all")

    def get_steps(self, obj) -> int:
        return len(obj.chain)


class DutySerializer(serializers.Serializer):
    now = serializers.DateTimeField()
    rosters = RosterNowSerializer(many=True)
    live = EscalationSerializer(many=True)


class HelpRequestCreateSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, max_length=300)
    latitude = serializers.DecimalField(required=False, allow_null=True, max_digits=9, decimal_places=6,
                                        min_value=50, max_value=54)
    longitude = serializers.DecimalField(required=False, allow_null=True, max_digits=9, decimal_places=6,
                                         min_value=3, max_value=8)
    accuracy_m = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100000)


class HelpRequestSerializer(serializers.ModelSerializer):
    picked_up_by = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = ["id", "status", "created_at", "message", "latitude", "longitude", "accuracy_m", "picked_up_by"]

    def get_picked_up_by(self, obj) -> str | None:
        escalation = getattr(obj, "escalation", None)
        return str(escalation.acknowledged_by) if escalation and escalation.acknowledged_by_id else None


class AcknowledgedSerializer(serializers.Serializer):
    acknowledged = serializers.BooleanField(help_text="true: you own it now; false: someone else was first")
    escalation = EscalationSerializer()


class DutyView(APIView):
    @extend_schema(tags=["oncall"], summary="Who is on call now and next, gaps ahead, running chains",
                   responses=DutySerializer)
    def get(self, request):
        if not selectors.duty_orgs(request.user):
            raise PermissionDenied()
        overview = selectors.duty_overview(request.user)
        return Response(DutySerializer(overview).data)


class AcknowledgeView(APIView):
    @extend_schema(tags=["oncall"], summary="Acknowledge a running chain (stops it)", request=None,
                   responses=AcknowledgedSerializer)
    def post(self, request, pk: int):
        escalation = Escalation.objects.filter(pk=pk, organisation_id__in=selectors.duty_orgs(request.user)).first()
        if escalation is None:
            raise Http404
        try:
            won = services.escalation_acknowledge(escalation=escalation, user=request.user)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        escalation = Escalation.objects.select_related("report", "acknowledged_by").get(pk=pk)
        return Response(AcknowledgedSerializer({"acknowledged": won, "escalation": escalation}).data,
                        status=status.HTTP_200_OK if won else status.HTTP_409_CONFLICT)


class HelpRequestView(APIView):
    @extend_schema(
        tags=["oncall"], summary="A volunteer asks for help now (pages the on-call person at once)",
        request=HelpRequestCreateSerializer, responses={201: HelpRequestSerializer, 200: HelpRequestSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                                     description="A retry with the same key returns the first help request.")],
    )
    def post(self, request):
        organisation = selectors.help_organisation(request.user)
        if organisation is None:
            raise PermissionDenied()
        serializer = HelpRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if key and (len(key) > 64 or not key.isprintable()):
            raise serializers.ValidationError({"Idempotency-Key": ["Gebruik maximaal 64 leesbare tekens."]})
        try:
            help_request, created = services.help_request_create(
                volunteer=request.user, organisation=organisation,
                idempotency_key=key or None, **serializer.validated_data)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(HelpRequestSerializer(help_request).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(tags=["oncall"], summary="Your own help requests (newest first)",
                   responses=HelpRequestSerializer(many=True))
    def get(self, request):
        if not orgs_with_perm(request.user, "oncall.request_help"):
            raise PermissionDenied()
        items = selectors.help_requests_of(request.user)[:20]
        return Response(HelpRequestSerializer(items, many=True).data)
