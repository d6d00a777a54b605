"""Intake and triage forms. Field-level messages in Dutch (English when the UI is English)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.captcha import clean_honeypot, honeypot_field, public_captcha_field
from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.models import Organisation
from wijkpunt.core.validators import (
    ADDITION_RE,
    HOUSE_LETTER_RE,
    POSTCODE_RE,
    normalise_phone,
    normalise_postcode,
)
from wijkpunt.housing.models import Complex, Unit

from .models import Category, Channel, Report, Status, Urgency
from .photos import clean_photos

NL_BOUNDS = (Decimal("50.7"), Decimal("53.7"), Decimal("3.2"), Decimal("7.3"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return clean_photos(files)


def find_unit(form: forms.Form, data: dict, *, unknown: str) -> Unit | None:
    """The unit at the form's postcode + house number (+ letter/addition), or None with the reason on
    the form's fields; ``unknown`` is the message for an address that is not one of ours. Shared by the
    report form and the odd-job request (teams)."""
    if "postcode" in form.errors or "house_number" in form.errors:
        return None
    postcode, number = data.get("postcode"), data.get("house_number")
    if not postcode:
        form.add_error("postcode", _("Vul de postcode in."))
    if not number:
        form.add_error("house_number", _("Vul het huisnummer in."))
    if not postcode or not number:
        return None
    units = list(Unit.objects.filter(postcode=postcode, house_number=number)
                 .select_related("complex", "neighbourhood", "corporation"))
    letter, addition = data.get("house_letter", ""), data.get("addition", "")
    exact = [u for u in units if u.house_letter.upper() == letter and u.house_number_addition.upper() == addition]
    if exact:
        return exact[0]
    if len(units) == 1 and not letter and not addition:
        return units[0]
    if units:
        form.add_error("addition", _("Op dit huisnummer zijn meerdere woningen; vul de huisletter of toevoeging in."))
    else:
        form.add_error("house_number", unknown)
    return None


class IntakeForm(UtrechtFormMixin, forms.Form):
    description = forms.CharField(
        label=_("Wat is er aan de hand?"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "autocomplete": "off"}),
        help_text=_("Beschrijf wat u ziet of hoort. Bij gevaar: bel eerst 112."),
        error_messages={"required": _("Beschrijf kort wat er aan de hand is.")},
    )
    location_kind = forms.ChoiceField(
        label=_("Waar is het?"), choices=Report.LocationKind.choices, widget=forms.RadioSelect,
        initial=Report.LocationKind.ADDRESS, error_messages={"required": _("Kies waar het is.")},
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    house_number = forms.IntegerField(
        label=_("Huisnummer"), required=False, min_value=1, max_value=99999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Een huisnummer is een getal."), "min_value": _("Een huisnummer is een getal."),
                        "max_value": _("Dit huisnummer is te groot.")},
    )
    house_letter = forms.CharField(label=_("Huisletter"), max_length=1, required=False)
    addition = forms.CharField(label=_("Toevoeging"), max_length=4, required=False)
    latitude = forms.DecimalField(label=_("Breedtegraad"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Lengtegraad"), required=False, max_digits=9, decimal_places=6)
    location_text = forms.CharField(label=_("Toelichting op de plek"), max_length=300, required=False)
    complex = forms.ModelChoiceField(
        label=_("Complex"), queryset=Complex.objects.order_by("name"), required=False,
        error_messages={"invalid_choice": _("Kies een complex uit de lijst.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("Wanneer zag of hoorde u het?"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        error_messages={"invalid": _("Vul een datum en tijd in, bijvoorbeeld 21-11-2026 14:30.")},
    )
    photos = MultiplePhotoField(label=_("Foto's (maximaal 3)"), required=False)
    reporter_name = forms.CharField(label=_("Uw naam"), max_length=200, required=False,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}))
    reporter_phone = forms.CharField(label=_("Telefoonnummer"), max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}))
    reporter_email = forms.EmailField(
        label=_("E-mailadres"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
    )
    contact_consent = forms.BooleanField(
        label=_("U mag contact met mij opnemen over deze melding."), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean_postcode(self):
        value = normalise_postcode(self.cleaned_data.get("postcode", ""))
        if value and not POSTCODE_RE.match(value):
            raise ValidationError(_("Vul een geldige postcode in, bijvoorbeeld 3511 AB."))
        return value

    def clean_house_letter(self):
        value = self.cleaned_data.get("house_letter", "").strip()
        if value and not HOUSE_LETTER_RE.match(value):
            raise ValidationError(_("Een huisletter is één letter."))
        return value.upper()

    def clean_addition(self):
        value = self.cleaned_data.get("addition", "").strip()
        if value and not ADDITION_RE.match(value):
            raise ValidationError(_("Een toevoeging is 1 tot 4 letters of cijfers."))
        return value.upper()

    def clean_reporter_phone(self):
        value = self.cleaned_data.get("reporter_phone", "").strip()
        return normalise_phone(value) if value else ""

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        if value and value < timezone.now() - timezone.timedelta(days=366):
            raise ValidationError(_("Dit tijdstip ligt meer dan een jaar terug."))
        if value and value > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(_("Dit tijdstip ligt in de toekomst."))
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("location_kind")
        data["unit"] = None
        if kind == Report.LocationKind.ADDRESS:
            self._clean_address(data)
        elif kind == Report.LocationKind.MAP:
            lat, lng = data.get("latitude"), data.get("longitude")
            if lat is None or lng is None:
                self.add_error("latitude", _("Kies een punt op de kaart of vul de coördinaten in."))
            elif not (NL_BOUNDS[0] <= lat <= NL_BOUNDS[1] and NL_BOUNDS[2] <= lng <= NL_BOUNDS[3]):
                self.add_error("latitude", _("Dit punt ligt niet in Nederland."))
        elif kind == Report.LocationKind.COMMON_AREA and not data.get("complex"):
            self.add_error("complex", _("Kies het complex."))
        if data.get("contact_consent") and not (data.get("reporter_phone") or data.get("reporter_email")):
            self.add_error("reporter_phone", _("Vul een telefoonnummer of e-mailadres in als wij contact mogen opnemen."))
        return data

    def _clean_address(self, data):
        data["unit"] = find_unit(self, data, unknown=_("Dit adres kennen wij niet. Controleer het, of kies 'Punt op de kaart'."))

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        kind = d["location_kind"]
        return {
            "description": d["description"],
            "location_kind": kind,
            "unit": d.get("unit") if kind == Report.LocationKind.ADDRESS else None,
            "complex": d.get("complex") if kind == Report.LocationKind.COMMON_AREA else None,
            "latitude": d.get("latitude") if kind == Report.LocationKind.MAP else None,
            "longitude": d.get("longitude") if kind == Report.LocationKind.MAP else None,
            "location_text": d.get("location_text", ""),
            "occurred_at": d.get("occurred_at"),
            "reporter_name": d.get("reporter_name", ""),
            "reporter_phone": d.get("reporter_phone", ""),
            "reporter_email": d.get("reporter_email", ""),
            "contact_consent": bool(d.get("contact_consent")),
            "photos": d.get("photos") or [],
            "idempotency_key": d.get("idempotency_key") or None,
        }


class PublicIntakeForm(IntakeForm):
    """The public form: adds a proof-of-work captcha and a honeypot."""

    website = honeypot_field()
    altcha = public_captcha_field()

    def clean_website(self):
        return clean_honeypot(self.cleaned_data.get("website"))


class StaffIntakeForm(IntakeForm):
    channel = forms.ChoiceField(label=_("Binnengekomen via"), choices=[
        (Channel.PHONE, Channel.PHONE.label), (Channel.DESK, Channel.DESK.label), (Channel.EMAIL, Channel.EMAIL.label),
    ], initial=Channel.PHONE)
    category = forms.ModelChoiceField(
        label=_("Categorie"), required=False,
        queryset=Category.objects.filter(parent__isnull=False, is_active=True).select_related("parent"),
        help_text=_("Leeg laten: de suggestie wordt gebruikt."),
    )
    urgency = forms.ChoiceField(label=_("Urgentie"), required=False, choices=[("", _("Volgens suggestie"))] + Urgency.choices)


class NoteForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           error_messages={"required": _("Een notitie mag niet leeg zijn.")})
    public = forms.BooleanField(label=_("Zichtbaar voor de melder"), required=False)


class TransitionForm(UtrechtFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("Nieuwe status"), choices=Status.choices)
    note = forms.CharField(label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)
    public = forms.BooleanField(label=_("Toelichting zichtbaar voor de melder"), required=False, initial=True)


class AssignForm(UtrechtFormMixin, forms.Form):
    assignee = forms.ModelChoiceField(label=_("Behandelaar"), queryset=None, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None, required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        from wijkpunt.core.models import Team, User

        self.fields["assignee"].queryset = User.objects.filter(
            memberships__organisation=report.organisation,
            memberships__role__permissions__codename="triage_report",
        ).distinct().order_by("first_name", "last_name")
        self.fields["team"].queryset = Team.objects.filter(organisation=report.organisation)


class RecategoriseForm(UtrechtFormMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("Categorie"), queryset=Category.objects.filter(parent__isnull=False, is_active=True)
        .select_related("parent").order_by("parent__position", "position"),
        error_messages={"required": _("Kies een categorie.")},
    )
    urgency = forms.ChoiceField(label=_("Urgentie"), choices=Urgency.choices)


class ContactPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        handles = " ".join(obj.handles.split())
        return f"{obj.name} ({obj.organisation.name}) · {obj.get_kind_display()}: " + (
            handles if len(handles) <= 90 else handles[:89] + "…")


class ForwardForm(UtrechtFormMixin, forms.Form):
    """Forward to a partner: pick a contact point from the corporation's network directory (those
    of a partner that works in Wijkpunt, for the report's neighbourhood first), or the organisation
    itself. The directory choice wins when both are given."""

    contact_point = ContactPointChoiceField(
        label=_("Uit de netwerkgids"), queryset=None, required=False,
        help_text=_("Contactpunten voor deze buurt, met waarvoor u er terechtkunt."),
        error_messages={"invalid_choice": _("Kies een contactpunt uit de lijst.")},
    )
    partner = forms.ModelChoiceField(
        label=_("Doorsturen naar"), required=False,
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.CORPORATION).filter(is_active=True),
        error_messages={"invalid_choice": _("Kies een partnerorganisatie uit de lijst.")},
    )
    note = forms.CharField(label=_("Bericht aan de partner"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)

    def __init__(self, *args, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        from wijkpunt.network.selectors import contact_points_for

        if report is None:
            points = contact_points_for(neighbourhood=None, linked_only=True).none()
        else:
            points = contact_points_for(neighbourhood=report.neighbourhood, owner=report.organisation,
                                        linked_only=True)
        self.fields["contact_point"].queryset = points
        self.fields["contact_point"].empty_label = _("Kies uit de netwerkgids")
        if not points.exists():
            self.fields["contact_point"].widget = forms.HiddenInput()
        else:
            self.fields["partner"].label = _("Of kies de organisatie")

    def clean(self):
        data = super().clean()
        point = data.get("contact_point")
        if point is not None:
            data["partner"] = point.organisation
        elif not data.get("partner") and not self.errors:
            self.add_error("partner", _("Kies een partnerorganisatie."))
        return data


class DeclineForwardForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De corporatie ziet de reden in de tijdlijn en krijgt een e-mail."),
        error_messages={"required": _("Geef aan waarom uw organisatie deze melding niet oppakt.")},
    )


class MergeForm(UtrechtFormMixin, forms.Form):
    into = forms.CharField(label=_("Meldingsnummer van de melding die blijft"), max_length=20,
                           error_messages={"required": _("Vul een meldingsnummer in.")})


class FeedbackForm(UtrechtFormMixin, forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Bent u tevreden over hoe uw melding is afgehandeld?"), widget=forms.RadioSelect,
        choices=[("ja", _("Ja")), ("nee", _("Nee"))], coerce=lambda v: v == "ja",
        error_messages={"required": _("Kies ja of nee.")},
    )
    comment = forms.CharField(label=_("Toelichting (niet verplicht)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    reopen = forms.BooleanField(label=_("Het probleem is niet opgelost: open de melding opnieuw"), required=False)
