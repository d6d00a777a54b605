"""API representations of rounds. Nothing about tenants: a round's places are addresses and common
areas; people are shown by name only when they walk (volunteer and partner)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wijkpunt.reports.serializers import SafeDateTimeField

from .models import ChecklistItem, Round, RoundCheck


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class ComplexRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RoundSerializer(serializers.ModelSerializer):
    neighbourhood = serializers.CharField(source="programme.neighbourhood.name", read_only=True)
    volunteer = serializers.SerializerMethodField()
    partner = serializers.SerializerMethodField()
    is_pair = serializers.BooleanField(read_only=True)
    complexes = serializers.SerializerMethodField()
    report_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Round
        fields = ["id", "neighbourhood", "volunteer", "partner", "is_pair", "planned_for", "route", "complexes",
                  "status", "started_at", "finished_at", "notes", "report_count"]

    def get_volunteer(self, obj) -> str:
        return _person(obj.volunteer.user) or ""

    def get_partner(self, obj) -> str | None:
        return _person(obj.partner)

    def get_complexes(self, obj) -> list[dict]:
        return ComplexRefSerializer([{"id": c.pk, "name": c.name} for c in obj.complexes.all()], many=True).data


class RoundCheckSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=ChecklistItem.choices)
    result = serializers.ChoiceField(choices=RoundCheck.Result.choices)
    remark = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class RoundReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    description = serializers.CharField()
    place = serializers.CharField()
    created_at = serializers.DateTimeField()
    latest_update = serializers.CharField(allow_null=True)


class PlaceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()


class RoundDetailSerializer(RoundSerializer):
    checks = RoundCheckSerializer(many=True, read_only=True)
    reports = RoundReportRowSerializer(many=True, read_only=True)
    places = PlaceSerializer(many=True, read_only=True, allow_null=True)
    can_walk = serializers.BooleanField(read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "can_walk", "checks", "reports", "places"]


class RoundPlanSerializer(serializers.Serializer):
    planned_for = SafeDateTimeField()
    route = serializers.CharField(max_length=300)
    partner = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62,
                                       help_text=_("Id van het loopmaatje (Bewonerskracht of medewerker); leeg = "
                                                   "zonder loopmaatje (de ronde wordt gemarkeerd)."))
    complexes = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), required=False,
                                      default=list, max_length=50)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RoundChecksSerializer(serializers.Serializer):
    checks = RoundCheckSerializer(many=True, allow_empty=False, max_length=len(ChecklistItem))


class RoundStatusSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[("start", _("Beginnen")), ("finish", _("Afronden")),
                                              ("cancel", _("Annuleren"))])


class RoundListPageSerializer(serializers.Serializer):
    results = RoundSerializer(many=True)
