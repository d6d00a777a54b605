"""API representations of the arrears process (``api.py``). Amounts are whole euro cents
(``*_cents``, integers) as in the models; ``months`` is a decimal string ("2.50")."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .forms import UploadForm
from .models import Channel, Daypart, StepKind

# The kinds of step POST .../steps/ records; the signal has its own endpoint.
STEP_KINDS = [
    StepKind.CONTACT_ATTEMPT, StepKind.DEBT_HELP_REFERRAL, StepKind.REMINDER_LETTER, StepKind.OBJECTION,
    StepKind.FOURTEEN_DAY_LETTER, StepKind.NOTE,
]
# Fields each kind needs besides occurred_on (which defaults to today).
REQUIRED_FOR_KIND = {
    StepKind.CONTACT_ATTEMPT: ("channel", "reached"),
    StepKind.DEBT_HELP_REFERRAL: ("channel",),
    StepKind.OBJECTION: ("channel",),
    StepKind.NOTE: ("note",),
}
MUNICIPALITY_CODE = re.compile(r"^GM[0-9]{4}$")
MAX_UPLOAD_BYTES = UploadForm.MAX_BYTES


# --------------------------------------------------------------------------- shared pieces


class ArrearsMunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BlockerSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code of the missing condition, e.g. `reminder`, `no_objection`.")
    message = serializers.CharField()


class StepRefusedSerializer(serializers.Serializer):
    blockers = BlockerSerializer(many=True)


class ImportLineErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line in the file (1 is the header; 0 is the whole file).")
    column = serializers.CharField(help_text="Column name, empty for the whole line or file.")
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    """400 of an upload: ``errors`` for a file with errors, field-level messages for the form fields."""

    errors = ImportLineErrorSerializer(many=True, required=False)


class SignalCheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


# --------------------------------------------------------------------------- episodes


class EpisodeSerializer(serializers.Serializer):
    """One episode as a list row. ``context["blockers"]`` maps episode id to its signal blockers."""

    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    amount_cents = serializers.IntegerField()
    peak_cents = serializers.IntegerField()
    months = serializers.DecimalField(max_digits=6, decimal_places=2)
    arose_on = serializers.DateField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    household = serializers.CharField(source="tenancy.household.name")
    address = serializers.CharField(source="tenancy.unit.address")
    contract_number = serializers.CharField(source="tenancy.contract_number")
    municipality = ArrearsMunicipalitySerializer(source="tenancy.unit.neighbourhood.municipality")
    handler = serializers.SerializerMethodField()
    open_steps = serializers.SerializerMethodField(
        help_text="Codes of the conditions for a signal that are not met yet (see the checklist on the detail)."
    )
    signal_possible = serializers.SerializerMethodField(help_text="True when a signal may be recorded today.")

    def get_handler(self, obj) -> str | None:
        return (obj.handler.get_full_name() or obj.handler.get_username()) if obj.handler_id else None

    def get_open_steps(self, obj) -> list[str]:
        return [blocker.code for blocker in self.context["blockers"][obj.pk]]

    def get_signal_possible(self, obj) -> bool:
        return not self.context["blockers"][obj.pk]


class EpisodePageSerializer(serializers.Serializer):
    results = EpisodeSerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="Cursor for the next page (`na=`); null on the last.")
    total = serializers.IntegerField()


class EpisodeQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "closed", "all"], default="open", required=False)
    min_months = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False,
                                          help_text="Only episodes with at least this many months of rent owed.")
    na = serializers.CharField(required=False, allow_blank=True, max_length=200,
                               help_text="The `next` cursor of the previous page.")


class EpisodeStepSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    occurred_on = serializers.DateField()
    channel = serializers.CharField(help_text="VERA COMMUNICATIEKANAAL code, or empty.")
    reached = serializers.BooleanField(allow_null=True)
    daypart = serializers.CharField(help_text="VERA DAGDEEL code, or empty.")
    note = serializers.CharField()
    data = serializers.DictField(help_text="Facts of the step, e.g. objection_until of a reminder letter.")
    evidence_url = serializers.SerializerMethodField(help_text="The generated letter (PDF), download logged.")
    evidence_sha256 = serializers.CharField()
    created_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_evidence_url(self, obj) -> str | None:
        if not obj.evidence:
            return None
        url = reverse("arrears:evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_created_by(self, obj) -> str | None:
        user = obj.created_by
        return (user.get_full_name() or user.get_username()) if user else None


class EarlySignalSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    signal_date = serializers.DateField()
    amount_cents = serializers.IntegerField()
    arose_on = serializers.DateField()
    municipality = ArrearsMunicipalitySerializer()
    crisis = serializers.BooleanField()
    warm_handover = serializers.BooleanField()
    status = serializers.CharField(help_text="The municipality's answer (DDAS signaalstatus).")
    answered_on = serializers.DateField(allow_null=True)
    exported_at = serializers.DateTimeField(allow_null=True)


class InstalmentSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    due_on = serializers.DateField()
    amount_cents = serializers.IntegerField()
    status = serializers.CharField()
    checked_on = serializers.DateField(allow_null=True)


class PaymentArrangementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    agreed_on = serializers.DateField()
    total_cents = serializers.IntegerField()
    status = serializers.CharField(help_text="VERA BETALINGSREGELINGSTATUS: ACT, BEE, ANN or BEV.")
    grace_days = serializers.IntegerField()
    instalments = InstalmentSerializer(many=True, source="instalments.all")


class EpisodeDetailSerializer(EpisodeSerializer):
    monthly_rent = serializers.DecimalField(source="tenancy.monthly_rent", max_digits=8, decimal_places=2)
    steps = EpisodeStepSerializer(many=True, source="steps.all")
    signals = EarlySignalSerializer(many=True, source="signals.all")
    arrangements = PaymentArrangementSerializer(many=True, source="arrangements.all")
    checklist = serializers.SerializerMethodField()

    def get_checklist(self, obj) -> list[dict]:
        return SignalCheckSerializer(self.context["checklist"], many=True).data


# --------------------------------------------------------------------------- recording steps


class StepCreateSerializer(serializers.Serializer):
    """One flat body for every kind; which fields a kind needs is in ``REQUIRED_FOR_KIND``."""

    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in STEP_KINDS])
    occurred_on = serializers.DateField(required=False, help_text="When it happened (letters: sent); default today.")
    channel = serializers.ChoiceField(
        choices=Channel.choices, required=False,
        help_text="contact_attempt: TEL, BEZ, BAL, SMS, APP or EMA; letters: BRI (default) or EMA.",
    )
    reached = serializers.BooleanField(required=False, help_text="contact_attempt: was the tenant reached?")
    daypart = serializers.ChoiceField(choices=Daypart.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    def validate(self, attrs):
        missing = {name: [_("Dit veld is verplicht voor deze stap.")]
                   for name in REQUIRED_FOR_KIND.get(attrs["kind"], ()) if name not in attrs}
        if attrs["kind"] == StepKind.NOTE and not attrs.get("note", "").strip():
            missing["note"] = [_("Schrijf een notitie.")]
        if missing:
            raise serializers.ValidationError(missing)
        attrs.setdefault("occurred_on", timezone.localdate())
        return attrs


class SignalCreateSerializer(serializers.Serializer):
    signal_date = serializers.DateField(required=False, help_text="Default today.")
    crisis = serializers.BooleanField(required=False, default=False)
    warm_handover = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        attrs.setdefault("signal_date", timezone.localdate())
        return attrs


# --------------------------------------------------------------------------- files in and out


class CsvUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, UTF-8, `;` or `,` separated.")

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("Het bestand is groter dan 50 MB; splits het per maand."))
        return upload


class LedgerUploadSerializer(CsvUploadSerializer):
    dry_run = serializers.BooleanField(required=False, default=False,
                                       help_text="Only check the file; nothing is saved.")
    corporation = serializers.SlugField(required=False, max_length=50,
                                        help_text="Slug of the corporation; needed when you import for several.")


class LedgerResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    lines = serializers.IntegerField()
    created = serializers.IntegerField()
    already_present = serializers.IntegerField()
    tenancies = serializers.IntegerField()
    corporation = serializers.CharField(help_text="Slug of the corporation imported for.")


class AnswerResultSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class ExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["json", "csv"], default="json", required=False)
    municipality = serializers.RegexField(MUNICIPALITY_CODE, required=False,
                                          help_text="CBS municipality code, e.g. GM0355.")
    only_new = serializers.BooleanField(required=False, default=False, help_text="Only signals not exported yet.")


# The JSON export (exchange.export_json), documented field by field; the names are DDAS's.


class DdasMunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    naam = serializers.CharField()


class DdasSignalSerializer(serializers.Serializer):
    bedrag = serializers.CharField(help_text="Euros with a decimal point: 612.50")
    ontstaansdatum = serializers.DateField()
    signaaldatum = serializers.DateField()
    status = serializers.CharField()
    crisissignaal = serializers.BooleanField()
    warmeOverdracht = serializers.BooleanField()  # noqa: N815 - DDAS name


class DdasClientSerializer(serializers.Serializer):
    voorletters = serializers.CharField(allow_null=True)
    voorvoegsel = serializers.CharField(allow_null=True)
    achternaam = serializers.CharField(allow_null=True)
    geboortedatum = serializers.DateField(allow_null=True)
    straatnaam = serializers.CharField(allow_null=True)
    huisnummer = serializers.CharField(allow_null=True)
    huisnummertoevoeging = serializers.CharField(allow_null=True)
    postcode = serializers.CharField(allow_null=True)
    plaatsnaam = serializers.CharField(allow_null=True)
    telefoonnummer = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)


class DdasAttemptSerializer(serializers.Serializer):
    soort = serializers.CharField()
    bereikt = serializers.BooleanField()
    datum = serializers.DateField()
    dagdeel = serializers.CharField(allow_null=True)


class DdasPartnerSerializer(serializers.Serializer):
    type = serializers.CharField()


class DdasRecordSerializer(serializers.Serializer):
    signaalId = serializers.UUIDField()  # noqa: N815 - DDAS name
    signaalpartner = DdasPartnerSerializer()
    gemeente = DdasMunicipalitySerializer()
    vroegsignaal = DdasSignalSerializer()
    client = DdasClientSerializer()
    huurovereenkomst = serializers.CharField()
    contactpogingen = DdasAttemptSerializer(many=True)


class DdasSenderSerializer(serializers.Serializer):
    naam = serializers.CharField()


class SignalExportSerializer(serializers.Serializer):
    formaat = serializers.CharField()
    aanleverendeOrganisatie = DdasSenderSerializer()  # noqa: N815 - DDAS name
    aangemaakt = serializers.DateTimeField()
    vroegsignalen = DdasRecordSerializer(many=True)
