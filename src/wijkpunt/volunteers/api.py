"""JSON API of the volunteer programme (``/api/v1/volunteers/``): the same selectors as the pages.

* ``GET volunteers/me/`` — the caller's own volunteer page (rounds with the partner's first name
  only, reports with what became of them, training, thanks, the contacts staff shared). 403 for
  someone without a volunteer profile.
* ``GET volunteers/`` — staff (``volunteers.manage_programme``): the volunteers of their
  corporations with the "waiting too long" flag. 403 without the permission.
* ``GET volunteers/{id}/`` — staff: one volunteer's page (without the shared contacts); another
  corporation's volunteer is 404, like an id that does not exist.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors


class ProgrammeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    neighbourhood = serializers.CharField()


class RoundRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    planned_for = serializers.DateTimeField()
    route = serializers.CharField()
    status = serializers.CharField()
    is_pair = serializers.BooleanField()
    role = serializers.ChoiceField(choices=["volunteer", "partner"])
    partner_first_name = serializers.CharField(allow_blank=True)
    report_count = serializers.IntegerField()


class LatestUpdateSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    text = serializers.CharField(allow_blank=True)


class VolunteerReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    created_at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    description = serializers.CharField()
    round_id = serializers.IntegerField(allow_null=True)
    latest_update = LatestUpdateSerializer(allow_null=True)


class WorkshopRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)
    attended = serializers.BooleanField()


class TrainingSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    attended = serializers.IntegerField()
    complete = serializers.BooleanField()
    workshops = WorkshopRowSerializer(many=True)
    certificate_url = serializers.CharField(allow_null=True)


class ThanksSerializer(serializers.Serializer):
    text = serializers.CharField()
    sent_at = serializers.DateTimeField()
    sent_by = serializers.CharField(allow_null=True)


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    handles = serializers.CharField()
    phone_office_hours = serializers.CharField(allow_blank=True)
    phone_out_of_hours = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    hours_text = serializers.CharField(allow_blank=True)
    out_of_hours_text = serializers.CharField(allow_blank=True)


class WaitingSerializer(serializers.Serializer):
    report_id = serializers.IntegerField()
    reference = serializers.CharField()
    working_days = serializers.IntegerField()


class VolunteerPageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    programme = ProgrammeRefSerializer()
    started_on = serializers.DateField()
    is_active = serializers.BooleanField()
    rounds = RoundRowSerializer(many=True)
    reports = VolunteerReportSerializer(many=True)
    training = TrainingSerializer()
    thanks = ThanksSerializer(many=True)
    waiting_too_long = WaitingSerializer(many=True)
    contacts = ContactSerializer(many=True, allow_null=True, help_text="Only on your own page (me).")


class VolunteerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    programme = ProgrammeRefSerializer()
    started_on = serializers.DateField()
    is_active = serializers.BooleanField()
    training_complete = serializers.BooleanField()
    waiting_too_long = serializers.BooleanField()
    waiting_reports = serializers.IntegerField()
    longest_wait_working_days = serializers.IntegerField(allow_null=True)


class VolunteerListSerializer(serializers.Serializer):
    answer_days = serializers.IntegerField(help_text="Working days without news after which a report waits too long.")
    results = VolunteerRowSerializer(many=True)


def _programme(volunteer) -> dict:
    programme = volunteer.programme
    return {"id": programme.pk, "name": programme.name, "neighbourhood": programme.neighbourhood.name}


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def page_data(page: selectors.VolunteerPage) -> dict:
    v, progress = page.volunteer, page.progress
    certificate = None
    if progress.complete:
        certificate = reverse("volunteers:my_certificate") if page.for_self else reverse(
            "volunteers:certificate", kwargs={"pk": v.pk})
    return {
        "id": v.pk, "first_name": v.user.first_name, "name": _name(v.user), "programme": _programme(v),
        "started_on": v.started_on, "is_active": v.is_active,
        "rounds": [{"id": r.round.pk, "planned_for": r.round.planned_for, "route": r.round.route,
                    "status": r.round.status, "is_pair": r.round.is_pair, "role": r.role,
                    "partner_first_name": r.partner_first_name, "report_count": r.report_count}
                   for r in page.rounds],
        "reports": [{"id": r.pk, "reference": r.reference, "created_at": r.created_at, "status": r.status,
                     "status_label": r.get_status_display(), "category": r.category.name if r.category else None,
                     "description": r.description, "round_id": r.round_id,
                     "latest_update": ({"at": r.latest_update.created_at,
                                        "text": r.latest_update.text or r.latest_update.get_to_status_display()}
                                       if r.latest_update and r.latest_update.kind != "created" else None)}
                    for r in page.reports],
        "training": {"total": progress.total, "attended": len(progress.attended), "complete": progress.complete,
                     "workshops": [{"number": w.number, "title": w.title, "starts_at": w.starts_at,
                                    "attended": w.pk in progress.attended_ids} for w in progress.workshops],
                     "certificate_url": certificate},
        "thanks": [{"text": t.text, "sent_at": t.sent_at, "sent_by": _name(t.sent_by) if t.sent_by else None}
                   for t in page.thanks],
        "waiting_too_long": [{"report_id": w.report.pk, "reference": w.report.reference,
                              "working_days": w.working_days} for w in page.waiting],
        "contacts": [{"name": c.name, "kind": c.get_kind_display(), "handles": c.handles,
                      "phone_office_hours": c.phone_office_hours, "phone_out_of_hours": c.phone_out_of_hours,
                      "email": c.email, "hours_text": c.hours_text, "out_of_hours_text": c.out_of_hours_text}
                     for c in page.contacts] if page.for_self else None,
    }


class MyVolunteerPageView(APIView):
    @extend_schema(tags=["volunteers"], summary="Your own volunteer page: rounds, reports and what became of "
                   "them, training, thanks, shared contacts", operation_id="volunteers_me",
                   responses=VolunteerPageSerializer)
    def get(self, request):
        volunteer = selectors.own_volunteer(request.user)
        if volunteer is None:
            raise PermissionDenied(_("U bent (nog) geen Bewonerskracht."))
        return Response(VolunteerPageSerializer(page_data(selectors.volunteer_page(volunteer, for_self=True))).data)


class VolunteerListView(APIView):
    @extend_schema(tags=["volunteers"], summary="Staff: the volunteers of your corporations, with the "
                   "'waiting too long' flag", operation_id="volunteers_list", responses=VolunteerListSerializer)
    def get(self, request):
        if not selectors.staff_org_ids(request.user):
            raise PermissionDenied()
        rows = selectors.volunteer_rows(request.user)
        results = [{"id": r.volunteer.pk, "name": _name(r.volunteer.user), "programme": _programme(r.volunteer),
                    "started_on": r.volunteer.started_on, "is_active": r.volunteer.is_active,
                    "training_complete": r.progress_complete, "waiting_too_long": r.waiting_too_long,
                    "waiting_reports": len(r.waiting), "longest_wait_working_days": r.longest_wait}
                   for r in rows]
        return Response(VolunteerListSerializer({"answer_days": selectors.answer_days(), "results": results}).data)


class VolunteerDetailView(APIView):
    @extend_schema(tags=["volunteers"], summary="Staff: one volunteer's page (contacts are null)",
                   operation_id="volunteers_retrieve", responses=VolunteerPageSerializer)
    def get(self, request, pk: int):
        if not selectors.staff_org_ids(request.user):
            raise PermissionDenied()
        try:
            volunteer = selectors.volunteer_for_staff(request.user, pk)
        except Http404 as exc:
            raise NotFound() from exc
        return Response(VolunteerPageSerializer(page_data(selectors.volunteer_page(volunteer, for_self=False))).data)
