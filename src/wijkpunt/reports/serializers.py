"""API representations. The public ones never carry internal notes or other people's data."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wijkpunt.core.validators import normalise_phone

from .forms import IntakeForm
from .models import Category, Channel, Report, ReportEvent, Status, Urgency


class SafeDateTimeField(serializers.DateTimeField):
    """A DateTimeField that answers 400 (not 500) for dates Python cannot shift into a timezone,
    such as 0001-01-01T00:00 without an offset (DRF only guards aware values)."""

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class NulSafeSlugRelatedField(serializers.SlugRelatedField):
    """Rejects NUL characters before the database lookup (PostgreSQL refuses them with an error)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class CategorySerializer(serializers.ModelSerializer):
    main = serializers.SlugRelatedField(source="parent", slug_field="slug", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["slug", "name", "name_en", "main", "default_urgency", "handling_days", "vera_code"]


class PublicEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvent
        fields = ["kind", "to_status", "text", "created_at"]


class LocationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Report.LocationKind.choices)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=7)
    house_number = serializers.IntegerField(required=False, min_value=1, max_value=99999)
    house_letter = serializers.CharField(required=False, allow_blank=True, max_length=1)
    addition = serializers.CharField(required=False, allow_blank=True, max_length=4)
    latitude = serializers.DecimalField(required=False, max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(required=False, max_digits=9, decimal_places=6)
    complex = serializers.IntegerField(required=False, help_text=_("Id van het complex (gemeenschappelijke ruimte)"))
    text = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    contact_consent = serializers.BooleanField(required=False, default=False)

    def validate_phone(self, value):
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class ReportCreateSerializer(serializers.Serializer):
    """Validates through the same rules as the web form, so API and form never disagree."""

    description = serializers.CharField(max_length=5000)
    location = LocationSerializer()
    occurred_at = SafeDateTimeField(required=False, allow_null=True)
    reporter = ReporterSerializer(required=False)
    altcha = serializers.CharField(required=False, allow_blank=True, write_only=True,
                                   help_text=_("Oplossing van de proof-of-work uitdaging (publieke API)."))

    def to_form_data(self) -> dict:
        d = self.validated_data
        loc, rep = d["location"], d.get("reporter", {})
        data = {
            "description": d["description"], "location_kind": loc["kind"],
            "postcode": loc.get("postcode", ""), "house_number": loc.get("house_number") or "",
            "house_letter": loc.get("house_letter", ""), "addition": loc.get("addition", ""),
            "latitude": loc.get("latitude") if loc.get("latitude") is not None else "",
            "longitude": loc.get("longitude") if loc.get("longitude") is not None else "",
            "complex": loc.get("complex") or "", "location_text": loc.get("text", ""),
            "occurred_at": d["occurred_at"].strftime("%Y-%m-%d %H:%M") if d.get("occurred_at") else "",
            "reporter_name": rep.get("name", ""), "reporter_phone": rep.get("phone", ""),
            "reporter_email": rep.get("email", ""), "contact_consent": rep.get("contact_consent", False),
        }
        return data

    def validated_form(self) -> IntakeForm:
        form = IntakeForm(data=self.to_form_data())
        if not form.is_valid():
            errors = {}
            location_fields = {"postcode", "house_number", "house_letter", "addition", "latitude", "longitude",
                               "complex", "location_text", "location_kind"}
            for field, messages in form.errors.items():
                if field in location_fields:
                    errors.setdefault("location", {})[field] = messages
                elif field.startswith("reporter_") or field == "contact_consent":
                    errors.setdefault("reporter", {})[field.removeprefix("reporter_")] = messages
                else:
                    errors[field if field != "__all__" else "non_field_errors"] = messages
            raise serializers.ValidationError(errors)
        return form


class PublicReportSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    main_category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    updates = serializers.SerializerMethodField()
    merged_into = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = Report
        fields = ["reference", "status", "status_label", "category", "main_category", "urgency",
                  "created_at", "resolved_at", "merged_into", "updates"]

    def get_updates(self, obj) -> list[dict]:
        return PublicEventSerializer(obj.events.filter(is_public=True).order_by("created_at", "id"), many=True).data


class PublicReportCreatedSerializer(PublicReportSerializer):
    tracking_token = serializers.CharField(read_only=True)
    tracking_url = serializers.SerializerMethodField()

    class Meta(PublicReportSerializer.Meta):
        fields = [*PublicReportSerializer.Meta.fields, "tracking_token", "tracking_url"]

    def get_tracking_url(self, obj) -> str:
        from .notifications import tracking_url

        return tracking_url(obj)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label", read_only=True)

    class Meta:
        model = ReportEvent
        fields = ["id", "kind", "from_status", "to_status", "text", "is_public", "actor", "created_at"]


class StaffReportSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    main_category = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    forwarded_to = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    assignee = serializers.CharField(source="assignee.username", read_only=True, default=None, allow_null=True)
    address = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "reference", "organisation", "status", "vera_status", "category", "main_category",
                  "urgency", "channel", "description", "location_kind", "address", "latitude", "longitude",
                  "neighbourhood", "complex", "assignee", "team", "forwarded_to", "forward_state", "deadline",
                  "is_overdue",
                  "created_at", "resolved_at", "suggestion"]

    def get_address(self, obj) -> str:
        return str(obj.location_display)


class StaffReportDetailSerializer(StaffReportSerializer):
    events = serializers.SerializerMethodField()
    reporter = serializers.SerializerMethodField()

    class Meta(StaffReportSerializer.Meta):
        fields = [*StaffReportSerializer.Meta.fields, "events", "reporter"]

    def get_events(self, obj) -> list[dict]:
        from .selectors import report_timeline

        events = report_timeline(obj, public_only=not self.context.get("is_handler", False),
                                 partner_org_id=self.context.get("partner_org_id"))
        data = EventSerializer(events, many=True).data
        if not self.context.get("show_contact"):
            for event in data:
                if event["kind"] == ReportEvent.Kind.CREATED:
                    event["actor"] = str(_("melder"))
        return data

    # What only handlers see; a volunteer reading their own report gets these blanked, as on the page.
    HANDLER_ONLY = {"assignee": None, "team": None, "deadline": None, "suggestion": {}, "forward_state": ""}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("is_handler", False):
            data.update(self.HANDLER_ONLY)
        return data

    def get_reporter(self, obj) -> dict | None:
        if not self.context.get("show_contact"):
            return None
        return {"name": obj.reporter_name, "phone": obj.reporter_phone, "email": obj.reporter_email,
                "contact_consent": obj.contact_consent}


class SuggestRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True)


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    public = serializers.BooleanField(required=False, default=False)


class ForwardAcceptSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class ForwardDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, error_messages={
        "required": "Geef aan waarom uw organisatie deze melding niet oppakt.",
        "blank": "Geef aan waarom uw organisatie deze melding niet oppakt.",
        "null": "Geef aan waarom uw organisatie deze melding niet oppakt.",
    })


class ForwardDeclinedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "reference", "status", "forward_state"]


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    public = serializers.BooleanField(required=False, default=False)


class StaffReportCreateSerializer(ReportCreateSerializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    category = NulSafeSlugRelatedField(slug_field="slug", required=False, allow_null=True,
                                            queryset=Category.objects.filter(parent__isnull=False, is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_null=True)
