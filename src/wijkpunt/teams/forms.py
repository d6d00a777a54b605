"""Forms of the teams app. Field-level messages in Dutch (English when the UI is English).

The address fields and their cleaning are those of the public report form
(``wijkpunt.reports.forms.IntakeForm``): postcode + house number (+ letter / addition) must match one
unit in the housing register."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.captcha import clean_honeypot, honeypot_field, public_captcha_field
from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.validators import normalise_phone
from wijkpunt.housing.models import Unit
from wijkpunt.network.selectors import neighbourhoods_of
from wijkpunt.reports.forms import IntakeForm
from wijkpunt.reports.forms import find_unit as find_report_unit
from wijkpunt.volunteers.models import Programme, Volunteer

from .models import JobRequest, Kind, Team
from .services import active_volunteers

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
KIND_CHOICES = [(Kind.ODD_JOBS, _("Een klus in of om het huis (Klusteam)")),
                (Kind.GREENERY, _("Tuin of groen (Groenteam)"))]


class JobRequestForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Wat voor klus is het?"), choices=KIND_CHOICES, widget=forms.RadioSelect,
                             error_messages={"required": _("Kies een klus of een tuin-/groenklus."),
                                             "invalid_choice": _("Kies een klus of een tuin-/groenklus.")})
    postcode = IntakeForm.base_fields["postcode"]
    house_number = IntakeForm.base_fields["house_number"]
    house_letter = IntakeForm.base_fields["house_letter"]
    addition = IntakeForm.base_fields["addition"]
    description = forms.CharField(
        label=_("Wat moet er gebeuren?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: een lamp ophangen, een kastje vastzetten, de heg snoeien. Geen spoed: "
                    "voor lekkage of kapotte installaties doet u een melding."),
        error_messages={"required": _("Beschrijf wat er moet gebeuren."),
                        "max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    requester_name = forms.CharField(
        label=_("Uw naam"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Vul uw naam in."), "max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )
    requester_phone = forms.CharField(
        label=_("Telefoonnummer"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        help_text=_("Het team belt u om een afspraak te maken."),
        error_messages={"required": _("Vul een telefoonnummer in, zodat het team een afspraak kan maken."),
                        "max_length": _("Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678.")},
    )
    requester_email = forms.EmailField(
        label=_("E-mailadres"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Dan krijgt u bericht als de klus is aangenomen, gepland en klaar."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
    )
    contact_consent = forms.BooleanField(
        label=_("Het team mag mij bellen over deze klus. Mijn voornaam en telefoonnummer zijn alleen te zien "
                "voor de teamleden die de klus doen."),
        error_messages={"required": _("Zonder toestemming kan het team geen afspraak met u maken.")},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    clean_postcode = IntakeForm.clean_postcode
    clean_house_letter = IntakeForm.clean_house_letter
    clean_addition = IntakeForm.clean_addition

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)
        self.fields["postcode"].required = self.fields["house_number"].required = False  # checked in clean()

    def clean_requester_phone(self):
        value = self.cleaned_data.get("requester_phone", "").strip()
        return normalise_phone(value) if value else ""

    def clean_idempotency_key(self):
        key = self.cleaned_data.get("idempotency_key", "")
        return key if key.isprintable() else ""

    def clean(self):
        data = super().clean()
        data["unit"] = find_unit(self, data)
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {"unit": d["unit"], "kind": d["kind"], "description": d["description"],
                "requester_name": d["requester_name"], "requester_phone": d["requester_phone"],
                "requester_email": d.get("requester_email", ""), "contact_consent": bool(d.get("contact_consent"))}


def find_unit(form: forms.Form, data: dict) -> Unit | None:
    """The unit at the form's address, or None with field errors (the report form's lookup)."""
    return find_report_unit(form, data, unknown=_(
        "Dit adres kennen wij niet als huurwoning. Controleer postcode en huisnummer."))


class PublicJobRequestForm(JobRequestForm):
    """The tenant's form on /klus/: adds the proof-of-work captcha and a honeypot, as /melden/."""

    website = honeypot_field()
    altcha = public_captcha_field()

    def clean_website(self):
        return clean_honeypot(self.cleaned_data.get("website"))


class StaffJobRequestForm(JobRequestForm):
    """Staff enter a request for a tenant (phone call, desk)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("Soort klus")
        self.fields["requester_name"].label = _("Naam huurder")
        self.fields["requester_phone"].label = _("Telefoon huurder")
        self.fields["requester_email"].label = _("E-mail huurder")
        self.fields["contact_consent"].label = _("De huurder geeft toestemming dat het team belt; voornaam en "
                                                 "telefoon zijn alleen te zien voor de ingeplande teamleden.")
        self.fields["contact_consent"].error_messages["required"] = _(
            "Vraag de huurder om toestemming: zonder kan het team geen afspraak maken.")


# --- teams and members --------------------------------------------------------------------------

class TeamForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["kind", "name", "programme", "neighbourhoods", "is_active"]
        widgets = {"neighbourhoods": forms.SelectMultiple(attrs={"size": 6})}
        error_messages = {
            "kind": {"required": _("Kies Klusteam of Groenteam."), "invalid_choice": _("Kies Klusteam of Groenteam.")},
            "name": {"required": _("Vul een naam in."), "max_length": _("Gebruik hoogstens 200 tekens.")},
            "programme": {"invalid_choice": _("Kies een programma uit de lijst.")},
            "neighbourhoods": {"invalid_choice": _("Kies buurten uit de lijst."),
                               "invalid_pk_value": _("Kies buurten uit de lijst.")},
        }

    def __init__(self, *args, corporation, **kwargs):
        super().__init__(*args, **kwargs)
        self.corporation = corporation
        self.fields["programme"].queryset = Programme.objects.filter(corporation=corporation).select_related(
            "neighbourhood").order_by("name")
        self.fields["programme"].required = False
        self.fields["neighbourhoods"].queryset = neighbourhoods_of([corporation.pk]).order_by("name")
        self.fields["neighbourhoods"].required = False


class _VolunteerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.user.get_full_name() or obj.user.get_username()} ({obj.programme.name})"


class _VolunteerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.user.get_full_name() or obj.user.get_username()


class MemberForm(UtrechtFormMixin, forms.Form):
    volunteer = _VolunteerChoice(
        label=_("Bewonerskracht"), queryset=Volunteer.objects.none(),
        error_messages={"required": _("Kies een Bewonerskracht."),
                        "invalid_choice": _("Kies een actieve Bewonerskracht van uw corporatie.")},
    )
    is_coordinator = forms.BooleanField(label=_("Coördinator van het team"), required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = (
            active_volunteers(team.corporation_id).exclude(team_memberships__team=team)
            .select_related("user", "programme").order_by("user__first_name", "user__last_name")
        )


# --- steps in a job's life ----------------------------------------------------------------------

class PlanForm(UtrechtFormMixin, forms.Form):
    planned_for = forms.DateField(
        label=_("Datum"), input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul de datum in."),
                        "invalid": _("Vul een geldige datum in, bijvoorbeeld 30-11-2026.")},
    )
    members = _VolunteerChoices(
        label=_("Wie doen de klus?"), queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies wie de klus doet (minstens één teamlid)."),
                        "invalid_choice": _("Kies alleen actieve leden van het team."),
                        "invalid_pk_value": _("Kies alleen actieve leden van het team.")},
    )

    def __init__(self, *args, job: JobRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = (
            active_volunteers(job.corporation_id).filter(team_memberships__team_id=job.team_id)
            .select_related("user").order_by("user__first_name")
        )


class CompleteForm(UtrechtFormMixin, forms.Form):
    done_on = forms.DateField(
        label=_("Klaar op"), input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul de datum in."),
                        "invalid": _("Vul een geldige datum in, bijvoorbeeld 30-11-2026.")},
    )
    hours = forms.DecimalField(
        label=_("Uren (samen)"), required=False, min_value=Decimal("0.5"), max_value=Decimal("500"),
        max_digits=5, decimal_places=1, localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Vul een getal in, bijvoorbeeld 2,5."),
                        "min_value": _("Vul een aantal uren tussen 0 en 500 in."),
                        "max_value": _("Vul een aantal uren tussen 0 en 500 in."),
                        "max_decimal_places": _("Gebruik hoogstens één cijfer achter de komma."),
                        "max_digits": _("Vul een aantal uren tussen 0 en 500 in.")},
    )
    notes = forms.CharField(label=_("Opmerkingen"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Geen persoonsgegevens van de bewoner."),
                            error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")})


class DeclineForm(UtrechtFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Reden"), choices=[("", "—")] + JobRequest.DeclineReason.choices,
                               error_messages={"required": _("Kies een reden."), "invalid_choice": _("Kies een reden.")})
    reason_text = forms.CharField(label=_("Toelichting"), required=False, max_length=500,
                                  error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")})


class WithdrawForm(UtrechtFormMixin, forms.Form):
    reason_text = forms.CharField(label=_("Toelichting"), required=False, max_length=500,
                                  error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")})


class RouteForm(UtrechtFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(),
                                  error_messages={"required": _("Kies een team."),
                                                  "invalid_choice": _("Kies een team uit de lijst.")})

    def __init__(self, *args, job: JobRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(corporation_id=job.corporation_id, kind=job.kind,
                                                           is_active=True).order_by("name")
