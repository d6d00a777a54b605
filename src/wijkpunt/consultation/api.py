"""JSON API for door-to-door consultation (``/api/v1/consultations/``): the same selectors and
services as the pages (docs/consultation.md, "API").

Who: a user with any consultation permission sees its corporation's consultations; the address
list and recording visits need ``consultation.visit_doors``, the results ``consultation.view_results``
in the consultation's corporation (else 403). Another corporation's consultation is 404, like an
id that does not exist. The results here are numbers only (no free text, no remarks).

A phone that was offline sends its queued visits with an ``Idempotency-Key`` (chosen when the visit
was made): a retry with the same key and body returns the first visit (200), the same key with a
different body is a 409.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.validators import ProhibitSurrogateCharactersValidator
from rest_framework.views import APIView

from . import selectors, services, visits
from .models import RESULTS, VISIT, HousingWish, Outcome
from .results import address_state

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="Client-chosen unique key (e.g. a UUID made when the visit was recorded on the phone). A retry "
    "with the same key and body returns the first visit (200) instead of recording it twice.",
)
CONFLICT = OpenApiResponse(OpenApiTypes.OBJECT, description="The Idempotency-Key was used before for another visit.")


class ConsultationRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    slug = serializers.CharField()
    status = serializers.CharField()
    complex = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    addresses = serializers.IntegerField()
    published = serializers.BooleanField()
    can_visit = serializers.BooleanField()
    can_view_results = serializers.BooleanField()


class AddressRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    street = serializers.CharField()
    number = serializers.CharField()
    postcode = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    attempts = serializers.IntegerField()
    last_visit_at = serializers.DateTimeField(allow_null=True)


class VisitCreateSerializer(serializers.Serializer):
    address = serializers.IntegerField(min_value=1, max_value=2**31 - 1, error_messages={
        "required": _("Kies het adres."), "invalid": _("Geef het nummer van het adres.")})
    outcome = serializers.ChoiceField(choices=Outcome.choices, error_messages={
        "required": _("Kies wat de uitkomst van het bezoek is."), "invalid_choice": _("Kies een uitkomst uit de lijst.")})
    answers = serializers.DictField(child=serializers.JSONField(), required=False, default=dict,
                                    help_text="Per question id: an option code (choice), a list of option codes "
                                    "(multiple choice), an integer (scale) or a string (free text).")
    remarks = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, trim_whitespace=True)
    housing_wish = serializers.ChoiceField(choices=HousingWish.Wish.choices, required=False, allow_blank=True,
                                           default="")
    housing_wish_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # DRF's own surrogate message is English only: the same check with the Dutch message.
        for name in ("remarks", "housing_wish_note"):
            field = self.fields[name]
            field.validators = [v for v in field.validators if not isinstance(v, ProhibitSurrogateCharactersValidator)]
            field.validators.append(_storable)


def _storable(value: str) -> None:
    if services.unstorable(value):
        raise serializers.ValidationError(_("Deze tekst bevat een teken dat niet kan worden opgeslagen."))


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.IntegerField(allow_null=True)
    outcome = serializers.CharField()
    attempt = serializers.IntegerField()
    visited_at = serializers.DateTimeField()
    state = serializers.CharField()


def _idempotency_key(request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if key and (len(key) > 100 or not key.isprintable()):
        raise serializers.ValidationError({"Idempotency-Key": [_("Gebruik maximaal 100 leesbare tekens.")]})
    return key


class ConsultationListView(APIView):
    @extend_schema(tags=["consultation"], summary="Consultations of your corporation",
                   operation_id="consultations_list", responses=ConsultationRowSerializer(many=True))
    def get(self, request):
        selectors.require_any(request.user)
        rows = []
        for c in selectors.consultation_list(request.user):
            rows.append({"id": c.pk, "title": c.title, "slug": c.slug, "status": c.status, "complex": c.complex.name,
                         "starts_on": c.starts_on, "ends_on": c.ends_on, "addresses": c.address_count,
                         "published": c.is_published, "can_visit": selectors.can(request.user, VISIT, c),
                         "can_view_results": selectors.can(request.user, RESULTS, c)})
        return Response(ConsultationRowSerializer(rows, many=True).data)


class AddressListView(APIView):
    @extend_schema(tags=["consultation"], summary="The addresses in walking order with their visit state",
                   operation_id="consultations_addresses", responses=AddressRowSerializer(many=True))
    def get(self, request, pk: int):
        consultation = selectors.consultation_for(request.user, pk)
        selectors.require(request.user, VISIT, consultation)
        rows = [{"id": r.address.pk, "position": r.address.position, "street": r.address.street,
                 "number": r.address.number_full, "postcode": r.address.postcode, "state": r.state,
                 "state_label": str(r.state_label), "attempts": r.attempts, "last_visit_at": r.last_visit_at}
                for r in selectors.address_rows(consultation)]
        return Response(AddressRowSerializer(rows, many=True).data)


class VisitCreateView(APIView):
    @extend_schema(tags=["consultation"], summary="Record a visit (outcome, answers, remarks, housing wish)",
                   operation_id="consultations_visit_create", parameters=[IDEMPOTENCY_HEADER],
                   request=VisitCreateSerializer, responses={201: VisitSerializer, 200: VisitSerializer, 409: CONFLICT})
    def post(self, request, pk: int):
        consultation = selectors.consultation_for(request.user, pk)
        selectors.require(request.user, VISIT, consultation)
        key = _idempotency_key(request)
        body = VisitCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        address = consultation.addresses.filter(pk=data["address"]).first()
        if address is None:
            raise serializers.ValidationError({"address": [_("Dit adres hoort niet bij deze raadpleging.")]})
        try:
            visit, created = visits.visit_record(
                consultation=consultation, address=address, actor=request.user, outcome=data["outcome"],
                answers=data["answers"], remarks=data["remarks"], housing_wish=data["housing_wish"],
                housing_wish_note=data["housing_wish_note"], idempotency_key=key)
        except visits.IdempotencyConflict:
            return Response({"Idempotency-Key": [_("Deze sleutel is al gebruikt voor een ander bezoek.")]},
                            status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise serializers.ValidationError(dict(exc.message_dict) if hasattr(exc, "error_dict")
                                              else {"non_field_errors": exc.messages}) from exc
        outcomes = list(address.visits.order_by("visited_at", "pk").values_list("outcome", flat=True))
        state = address_state(outcomes).state
        payload = {"id": visit.pk, "address": visit.address_id, "outcome": visit.outcome, "attempt": visit.attempt,
                   "visited_at": visit.visited_at, "state": state}
        return Response(VisitSerializer(payload).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ResultsView(APIView):
    @extend_schema(tags=["consultation"], summary="Results per street and for the whole set (numbers only)",
                   operation_id="consultations_results",
                   responses=OpenApiResponse(OpenApiTypes.OBJECT, description="results.compute() output: threshold, "
                                             "streets[], complex; per question counts and shares, outcome, scale average."))
    def get(self, request, pk: int):
        consultation = selectors.consultation_for(request.user, pk)
        selectors.require(request.user, RESULTS, consultation)
        data = selectors.results_for(consultation, include_text=False)
        decisions = services.decisions_by_street(consultation)
        for row in data["streets"]:
            decision = decisions.get(row["street"])
            row["decision"] = ({"choice": decision.choice, "text": decision.text, "decided_at": decision.decided_at}
                               if decision else None)
        return Response(data)
