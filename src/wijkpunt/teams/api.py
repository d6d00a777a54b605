"""Private JSON API of the teams app (``/api/v1/jobs/``, ``/api/v1/teams/``): the same selectors and
services as the pages.

Who: staff with ``teams.manage_jobs`` (their corporation's teams and jobs) and team members with
``teams.work_in_team`` (their teams and those teams' jobs); without either: 403. A job or team out of
reach (another corporation's, another team's) is 404, the same as an id that does not exist. The
requester's contact fields are ``null`` unless the caller may see them (``selectors.job_view``, which
logs the read).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkpunt.volunteers.models import Volunteer

from . import selectors, services
from .models import JobRequest, Kind

LIST_LIMIT = 200
BAD_QUERY = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid query parameter: field-level messages.")
STATUS_FILTERS = {
    "open": {"status__in": JobRequest.OPEN_STATUSES},
    "klaar": {"status": JobRequest.Status.DONE},
    "afgesloten": {"status__in": (JobRequest.Status.DECLINED, JobRequest.Status.WITHDRAWN)},
    "alle": {},
}


class JobQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=list(STATUS_FILTERS), required=False, default="open",
                                     help_text="open (default), klaar, afgesloten or alle")


class JobRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    status = serializers.ChoiceField(choices=JobRequest.Status.choices)
    team = serializers.IntegerField(allow_null=True)
    team_name = serializers.CharField(allow_null=True)
    address = serializers.CharField()
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    planned_for = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)


class JobPageSerializer(serializers.Serializer):
    results = JobRowSerializer(many=True)
    total = serializers.IntegerField()


class JobEventSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=JobRequest.Status.choices)
    text = serializers.CharField()
    at = serializers.DateTimeField()


class JobDetailSerializer(JobRowSerializer):
    requester_name = serializers.CharField(allow_null=True, help_text="Staff: as typed; planned member: first name; "
                                           "otherwise null")
    requester_phone = serializers.CharField(allow_null=True)
    requester_email = serializers.CharField(allow_null=True)
    planned_members = serializers.ListField(child=serializers.IntegerField())
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    done_notes = serializers.CharField()
    decline_reason = serializers.CharField()
    decline_text = serializers.CharField()
    actions = serializers.ListField(child=serializers.ChoiceField(choices=list(services.ACTIONS)),
                                    help_text="The steps you may take now")
    events = JobEventSerializer(many=True)


class JobTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(services.ACTIONS))
    planned_for = serializers.DateField(required=False, allow_null=True)
    members = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False,
                                    max_length=50, help_text="Volunteer ids (plan)")
    done_on = serializers.DateField(required=False, allow_null=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True,
                                     min_value=Decimal("0.5"), max_value=Decimal("500"))
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    reason = serializers.ChoiceField(choices=JobRequest.DeclineReason.choices, required=False, allow_blank=True,
                                     default="")
    reason_text = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    done = serializers.IntegerField()


class TeamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    is_active = serializers.BooleanField()
    neighbourhoods = serializers.ListField(child=serializers.CharField())
    member_count = serializers.IntegerField()
    yearly = YearCountSerializer(many=True, help_text="Jobs done per year, newest first")


def _row(job: JobRequest) -> dict:
    return {"id": job.pk, "reference": job.reference, "kind": job.kind, "status": job.status, "team": job.team_id,
            "team_name": job.team.name if job.team_id else None, "address": job.unit.address,
            "description": job.description, "created_at": job.created_at, "planned_for": job.planned_for,
            "done_on": job.done_on}


def _detail(user, job: JobRequest) -> dict:
    view = selectors.job_view(user, job)
    return {
        **_row(job), "requester_name": view.requester_name, "requester_phone": view.requester_phone,
        "requester_email": view.requester_email,
        "planned_members": sorted(job.planned_members.values_list("pk", flat=True)),
        "hours": job.hours, "done_notes": job.done_notes, "decline_reason": job.decline_reason,
        "decline_text": job.decline_text, "actions": view.actions,
        "events": [{"status": e.status, "text": e.text, "at": e.at} for e in selectors.job_events(job)],
    }


def _field_errors(exc: ValidationError) -> serializers.ValidationError:
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": exc.messages})
    return serializers.ValidationError(dict(exc.message_dict))


class JobListView(APIView):
    @extend_schema(tags=["private"], summary="Job requests: your corporation's (staff) or your teams' (member)",
                   operation_id="jobs_list", parameters=[JobQuerySerializer], responses={200: JobPageSerializer, 400: BAD_QUERY})
    def get(self, request):
        selectors.require_teams_user(request.user)
        query = JobQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.visible_jobs(request.user).filter(**STATUS_FILTERS[query.validated_data["status"]])
        jobs = list(qs.order_by("-created_at", "-pk")[:LIST_LIMIT])
        return Response({"results": JobRowSerializer([_row(j) for j in jobs], many=True).data, "total": qs.count()})


class JobDetailView(APIView):
    @extend_schema(tags=["private"], summary="One job request as you may see it (contact fields null unless "
                   "you may see them; logged)", operation_id="jobs_retrieve", responses=JobDetailSerializer)
    def get(self, request, pk: int):
        job = selectors.job_for(request.user, pk)
        return Response(JobDetailSerializer(_detail(request.user, job)).data)


class JobTransitionView(APIView):
    @extend_schema(tags=["private"], summary="Take a step: accept, plan (date + members), complete, decline "
                   "(reason) or withdraw", request=JobTransitionSerializer, responses=JobDetailSerializer)
    def post(self, request, pk: int):
        job = selectors.job_for(request.user, pk)
        body = JobTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        ids = d.get("members") or []
        members = list(Volunteer.objects.filter(pk__in=ids))
        if len(members) != len(set(ids)):
            raise serializers.ValidationError({"members": [_("Kies alleen actieve leden van het team.")]})
        try:
            job = services.job_transition(
                job=job, actor=request.user, action=d["action"], planned_for=d.get("planned_for"), members=members,
                done_on=d.get("done_on"), hours=d.get("hours"), notes=d["notes"], reason=d["reason"],
                reason_text=d["reason_text"])
        except ValidationError as exc:
            raise _field_errors(exc) from exc
        job = selectors.job_for(request.user, job.pk)
        return Response(JobDetailSerializer(_detail(request.user, job)).data)


class TeamListView(APIView):
    @extend_schema(tags=["private"], summary="Teams you can see, with the number of jobs done per year",
                   operation_id="teams_list", responses=TeamSerializer(many=True))
    def get(self, request):
        selectors.require_teams_user(request.user)
        rows = [{"id": t.pk, "name": t.name, "kind": t.kind, "is_active": t.is_active,
                 "neighbourhoods": selectors.area_names(t), "member_count": t.member_count,
                 "yearly": [{"year": y, "done": n} for y, n in t.yearly]}
                for t in selectors.team_rows(request.user)]
        return Response(TeamSerializer(rows, many=True).data)
