"""Forms of the rounds app. Field-level messages in Dutch (English when the UI is English).

The report form of the walking page produces the reporting point's API body
(``ReportCreateSerializer``), so the page, the offline queue and the API share one intake.
"""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.models import User
from wijkpunt.housing.models import Complex
from wijkpunt.reports.models import Report
from wijkpunt.volunteers.models import Programme, Volunteer

from . import services
from .models import ChecklistItem, Round, RoundCheck
from .selectors import Place

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


class RoundPlanForm(UtrechtFormMixin, forms.Form):
    planned_for = forms.DateTimeField(
        label=_("Datum en tijd"), input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Vul een datum en tijd in."),
                        "invalid": _("Vul een datum en tijd in, bijvoorbeeld 21-11-2026 19:00.")},
    )
    route = forms.CharField(
        label=_("Route"), max_length=300, help_text=_("Welke straten, pleinen of complexen loopt u?"),
        error_messages={"required": _("Beschrijf de route: welke straten, pleinen of complexen."),
                        "max_length": _("Gebruik hoogstens 300 tekens.")},
    )
    partner = forms.ChoiceField(
        label=_("Loopmaatje"), required=False,
        help_text=_("Rondes loop je met z'n tweeën: een andere Bewonerskracht of een medewerker. Zonder loopmaatje "
                    "mag het, maar de ronde wordt dan gemarkeerd."),
        error_messages={"invalid_choice": _("Kies een loopmaatje uit de lijst.")},
    )
    complexes = forms.ModelMultipleChoiceField(
        label=_("Complexen"), required=False, queryset=Complex.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("Op de looppagina ziet u dan de adressen en algemene ruimten van deze complexen."),
        error_messages={"invalid_choice": _("Kies complexen uit de lijst."),
                        "invalid_pk_value": _("Kies complexen uit de lijst.")},
    )
    notes = forms.CharField(label=_("Opmerkingen"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"max_length": _("Gebruik hoogstens 2000 tekens.")})

    def __init__(self, *args, volunteer: Volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteer = volunteer
        programme: Programme = volunteer.programme
        self.fields["complexes"].queryset = Complex.objects.filter(
            corporation_id=programme.corporation_id, neighbourhood_id=programme.neighbourhood_id).order_by("name")
        volunteers, staff = services.partner_candidates(volunteer)
        self._partners = {str(v.user_id): v.user for v in volunteers} | {str(u.pk): u for u in staff}
        choices: list = [("", _("Nog geen loopmaatje"))]
        if volunteers:
            choices.append((_("Bewonerskrachten"), [(str(v.user_id), str(v)) for v in volunteers]))
        if staff:
            choices.append((_("Medewerkers"), [(str(u.pk), u.get_full_name() or u.username) for u in staff]))
        self.fields["partner"].choices = choices

    def clean_partner(self) -> User | None:
        value = self.cleaned_data.get("partner")
        return self._partners.get(value) if value else None

    @classmethod
    def initial_for(cls, rnd: Round) -> dict:
        return {"planned_for": timezone.localtime(rnd.planned_for), "route": rnd.route,
                "partner": str(rnd.partner_id or ""), "complexes": list(rnd.complexes.all()), "notes": rnd.notes}


class RoundFilterForm(UtrechtFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Buurt"), required=False, queryset=Programme.objects.none(),
                                       empty_label=_("Alle buurten"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alle"))] + Round.Status.choices)
    unpaired = forms.BooleanField(label=_("Alleen zonder loopmaatje"), required=False)
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-11-21.")})
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-11-21.")})

    def __init__(self, *args, org_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(corporation_id__in=org_ids).select_related(
            "neighbourhood").order_by("neighbourhood__name")


class ChecklistForm(UtrechtFormMixin, forms.Form):
    """One result and remark per checklist item (lighting, litter, greenery, common areas, look in on)."""

    def __init__(self, *args, rows: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = rows or []
        saved = {r["item"]: r for r in rows}
        for item in ChecklistItem:
            row = saved.get(item.value, {})
            self.fields[f"{item.value}-result"] = forms.ChoiceField(
                label=item.label, choices=RoundCheck.Result.choices, widget=forms.RadioSelect,
                initial=row.get("result", RoundCheck.Result.NOT_CHECKED),
                error_messages={"required": _("Kies een bevinding."), "invalid_choice": _("Kies een bevinding.")})
            self.fields[f"{item.value}-remark"] = forms.CharField(
                label=_("Toelichting"), required=False, max_length=500, initial=row.get("remark", ""),
                error_messages={"max_length": _("Gebruik hoogstens 500 tekens.")})

    def items(self):
        for item in ChecklistItem:
            yield item, self[f"{item.value}-result"], self[f"{item.value}-remark"]

    def check_inputs(self) -> list[services.CheckInput]:
        d = self.cleaned_data
        return [services.CheckInput(item=i.value, result=d[f"{i.value}-result"], remark=d.get(f"{i.value}-remark", ""))
                for i in ChecklistItem]


class RoundReportForm(UtrechtFormMixin, forms.Form):
    """The walking page's report form. ``where`` is one of the round's places, the phone's location
    or another address; ``payload()`` is the reporting point's API body."""

    GPS = "gps"
    ADDRESS = "adres"

    description = forms.CharField(
        label=_("Wat ziet u?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        error_messages={"required": _("Beschrijf kort wat er aan de hand is."),
                        "max_length": _("Gebruik hoogstens 5000 tekens.")},
    )
    where = forms.ChoiceField(label=_("Waar?"), error_messages={"required": _("Kies waar het is."),
                                                                 "invalid_choice": _("Kies waar het is.")})
    location_text = forms.CharField(
        label=_("Omschrijving van de plek"), max_length=300, required=False,
        help_text=_("Bijvoorbeeld: achter de garages, bij de speeltuin, 3e verdieping."),
        error_messages={"max_length": _("Gebruik hoogstens 300 tekens.")},
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    house_number = forms.CharField(label=_("Huisnummer"), max_length=10, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args, places: list[Place], **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {p.value: p for p in places}
        choices = [("", _("Kies…"))]
        choices += [(p.value, p.label) for p in places]
        choices += [(self.GPS, _("Mijn huidige locatie (telefoon)")), (self.ADDRESS, _("Ander adres"))]
        self.fields["where"].choices = choices
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def payload(self) -> dict:
        """The body for the reporting point's serializer (``ReportCreateSerializer``)."""
        d = self.cleaned_data
        where, text = d["where"], d.get("location_text", "")
        location: dict = {"text": text}
        place = self.places.get(where)
        if place is not None and place.kind == Report.LocationKind.COMMON_AREA:
            location.update(kind=Report.LocationKind.COMMON_AREA, complex=place.complex_id)
        elif place is not None:
            location.update(kind=Report.LocationKind.ADDRESS, postcode=place.postcode, house_number=place.house_number,
                            house_letter=place.house_letter, addition=place.addition)
        elif where == self.GPS:
            location.update(kind=Report.LocationKind.MAP)
            for name in ("latitude", "longitude"):
                if d.get(name):
                    location[name] = d[name].replace(",", ".")
        else:
            location.update(kind=Report.LocationKind.ADDRESS, postcode=d.get("postcode", ""))
            if d.get("house_number"):
                location["house_number"] = d["house_number"]
        return {"description": d["description"], "location": location}
