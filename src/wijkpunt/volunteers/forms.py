"""Forms of the volunteer programme. They check the shape of the input; the services check the
rules and add field-level messages (Dutch; English when the UI is English)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.models import Organisation, User
from wijkpunt.housing.models import Neighbourhood
from wijkpunt.network.selectors import neighbourhoods_of

from . import dates
from .meetings import attendance_choices
from .models import Candidate, MonthlyMeeting, Programme
from .services import MANAGE

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]
MAX_LENGTH = _("Gebruik hoogstens %(limit_value)d tekens.")


class _BoundedMixin:
    """Refuses dates outside ``dates.MIN_YEAR``..``MAX_YEAR`` (year 1 or 9999 would overflow later)."""

    def to_python(self, value):
        result = super().to_python(value)
        if not dates.in_range(result):
            raise forms.ValidationError(dates.range_message(), code="range")
        return result


class BoundedDateField(_BoundedMixin, forms.DateField):
    pass


class BoundedDateTimeField(_BoundedMixin, forms.DateTimeField):
    pass


def _date_field(label, *, required: bool = False):
    return BoundedDateField(
        label=label, required=required, input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul een datum in."),
                        "invalid": _("Vul een geldige datum in, bijvoorbeeld 30-11-2026.")},
    )


def _datetime_field(label, *, required: bool = True):
    return BoundedDateTimeField(
        label=label, required=required, input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Vul datum en tijd in."),
                        "invalid": _("Vul een geldige datum en tijd in, bijvoorbeeld 12-11-2026 19:30.")},
    )


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ProgrammeForm(UtrechtFormMixin, forms.Form):
    corporation = forms.ModelChoiceField(
        label=_("Corporatie"), queryset=Organisation.objects.none(),
        error_messages={"required": _("Kies de corporatie."), "invalid_choice": _("Kies een corporatie uit de lijst.")})
    neighbourhood = forms.ModelChoiceField(
        label=_("Buurt"), queryset=Neighbourhood.objects.none(),
        error_messages={"required": _("Kies een buurt."), "invalid_choice": _("Kies een buurt uit de lijst.")})
    name = forms.CharField(label=_("Naam"), max_length=200, help_text=_("Bijvoorbeeld: Bewonerskrachten Vogelwijk."),
                           error_messages={"required": _("Vul een naam in."), "max_length": MAX_LENGTH})
    target_size = forms.IntegerField(
        label=_("Beoogd aantal Bewonerskrachten"), min_value=1, max_value=100, initial=6,
        error_messages={"required": _("Vul een aantal in."), "invalid": _("Vul een heel getal in."),
                        "min_value": _("Vul een aantal in van 1 tot en met 100."),
                        "max_value": _("Vul een aantal in van 1 tot en met 100.")})
    coordinator = _PersonChoice(label=_("Coördinator"), queryset=User.objects.none(), required=False,
                                error_messages={"invalid_choice": _("Kies een medewerker uit de lijst.")})
    started_on = _date_field(_("Gestart op"))
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def __init__(self, *args, org_ids, programme: Programme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        corporations = Organisation.objects.filter(pk__in=org_ids, is_active=True).order_by("name")
        self.fields["corporation"].queryset = corporations
        owner_ids = [programme.corporation_id] if programme else list(org_ids)
        if programme is not None or len(org_ids) <= 1:
            self.fields["corporation"].widget = forms.HiddenInput()
            self.fields["corporation"].required = False
            default = programme.corporation if programme else corporations.first()
            self.fields["corporation"].initial = default.pk if default else None
            self._default_corporation = default
        else:
            self._default_corporation = None
        if programme is not None:
            del self.fields["neighbourhood"]
        else:
            self.fields["neighbourhood"].queryset = neighbourhoods_of(owner_ids)
            del self.fields["is_active"]
        # the coordinator: someone who may manage the programme in the corporation (services checks it too)
        app_label, codename = MANAGE.split(".")
        self.fields["coordinator"].queryset = (
            User.objects.filter(
                is_active=True, memberships__organisation_id__in=owner_ids,
                memberships__role__permissions__codename=codename,
                memberships__role__permissions__content_type__app_label=app_label,
            ).distinct().order_by("first_name", "last_name", "username"))

    def clean_corporation(self):
        corporation = self.cleaned_data.get("corporation") or self._default_corporation
        if corporation is None:
            raise forms.ValidationError(_("Kies de corporatie."))
        return corporation


class CandidateForm(UtrechtFormMixin, forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["first_name", "last_name", "phone", "email", "street", "how_found", "how_found_details"]
        widgets = {"how_found_details": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "phone": _("Telefoon of e-mail is nodig om de kandidaat te bereiken."),
            "how_found_details": _("Bijvoorbeeld: organiseert de buurtbarbecue; bekend bij de complexbeheerder."),
        }
        error_messages = {
            "first_name": {"required": _("Vul de voornaam in."), "max_length": MAX_LENGTH},
            "last_name": {"required": _("Vul de achternaam in."), "max_length": MAX_LENGTH},
            "email": {"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")},
            "street": {"max_length": MAX_LENGTH},
            "how_found": {"required": _("Kies hoe de kandidaat is gevonden."),
                          "invalid_choice": _("Kies hoe de kandidaat is gevonden.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators = []  # the service normalises and checks (one message)
        self.fields["how_found"].choices = [("", _("— kies —")), *Candidate.HowFound.choices]


class DecisionForm(UtrechtFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Besluit"), widget=forms.RadioSelect,
        choices=[(Candidate.Status.SELECTED, _("Geselecteerd: wordt Bewonerskracht")),
                 (Candidate.Status.NOT_SELECTED, _("Niet geselecteerd")),
                 (Candidate.Status.WITHDRAWN, _("Afgehaakt"))],
        error_messages={"required": _("Kies een besluit."), "invalid_choice": _("Kies een besluit uit de lijst.")})
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom wel of niet? De reden is alleen zichtbaar voor medewerkers."),
        error_messages={"required": _("Geef een reden voor dit besluit."), "max_length": MAX_LENGTH})
    email = forms.EmailField(
        label=_("E-mailadres voor het account"), required=False, max_length=254,
        help_text=_("Alleen bij geselecteerd: hierheen gaat de uitnodiging. Bestaat er al een account met dit "
                    "adres, dan krijgt dat account de rol Bewonerskracht."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."),
                        "max_length": MAX_LENGTH})


class WorkshopForm(UtrechtFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200,
                            error_messages={"required": _("Vul een titel in."), "max_length": MAX_LENGTH})
    starts_at = _datetime_field(_("Datum en tijd"), required=False)
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False,
                               error_messages={"max_length": MAX_LENGTH})


class MeetingForm(UtrechtFormMixin, forms.Form):
    month = BoundedDateField(
        label=_("Maand"), input_formats=["%Y-%m", "%m-%Y", *DATE_FORMATS],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("De meldingen van deze maand komen op de agenda."),
        error_messages={"required": _("Kies de maand."), "invalid": _("Vul een geldige maand in, bijvoorbeeld 2026-11.")})
    starts_at = _datetime_field(_("Datum en tijd"))
    location = forms.CharField(label=_("Locatie"), max_length=200, required=False,
                               error_messages={"max_length": MAX_LENGTH})


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Aanwezig"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies Bewonerskrachten van dit programma."),
                        "invalid_pk_value": _("Kies Bewonerskrachten van dit programma.")})

    def __init__(self, *args, meeting: MonthlyMeeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendance_choices(meeting).select_related("user").order_by(
            "user__first_name", "user__last_name", "pk")


class NotesForm(UtrechtFormMixin, forms.Form):
    notes = forms.CharField(label=_("Verslag"), required=False, max_length=20000,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("Wat is besproken. Noem geen namen van bewoners."),
                            error_messages={"max_length": MAX_LENGTH})
    held = forms.BooleanField(label=_("Het overleg is gehouden (de agenda ligt daarna vast)"), required=False)


class ActionForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(label=_("Actie"), max_length=300,
                           error_messages={"required": _("Vul de actie in."), "max_length": MAX_LENGTH})
    owner = _PersonChoice(label=_("Wie"), queryset=User.objects.none(), required=False,
                          error_messages={"invalid_choice": _("Kies iemand uit de lijst.")})
    due_date = _date_field(_("Uiterlijk"))

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ThanksForm(UtrechtFormMixin, forms.Form):
    text = forms.CharField(label=_("Bedankje"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("De Bewonerskracht ziet dit op de eigen pagina en krijgt het per e-mail."),
                           error_messages={"required": _("Schrijf een bedankje."), "max_length": MAX_LENGTH})


class EndForm(UtrechtFormMixin, forms.Form):
    ended_on = _date_field(_("Gestopt per"), required=True)
    reason = forms.CharField(
        label=_("Reden"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: verhuisd, geen tijd meer. Alleen zichtbaar voor medewerkers."),
        error_messages={"max_length": MAX_LENGTH})


class RestartForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waarom start deze Bewonerskracht weer? Alleen zichtbaar voor medewerkers."),
        error_messages={"required": _("Geef een reden."), "max_length": MAX_LENGTH})
