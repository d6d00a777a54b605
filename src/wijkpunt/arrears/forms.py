"""Forms for the arrears pages. Each step form maps onto one service in ``services.py``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.housing.models import Municipality

from .models import Channel, Daypart, MunicipalityAgreement, Outcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label):
    return forms.DateField(label=label, widget=DATE, initial=timezone.localdate,
                           error_messages={"invalid": _("Vul een geldige datum in (dag-maand-jaar).")})


def _channels(*codes):
    return [(code, label) for code, label in Channel.choices if code in codes]


class ContactAttemptForm(forms.Form):
    occurred_on = _date(_("Datum"))
    channel = forms.ChoiceField(label=_("Hoe"), choices=_channels("TEL", "BEZ", "BAL", "SMS", "APP", "EMA"))
    daypart = forms.ChoiceField(label=_("Dagdeel"), choices=[("", "—"), *Daypart.choices], required=False)
    reached = forms.TypedChoiceField(
        label=_("Huurder bereikt?"), choices=[("1", _("Ja, gesproken")), ("0", _("Nee, niet bereikt"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect, initial="0",
    )
    note = forms.CharField(label=_("Wat is besproken of afgesproken?"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False, max_length=2000)


class ReferralForm(forms.Form):
    occurred_on = _date(_("Datum"))
    channel = forms.ChoiceField(label=_("Hoe"), choices=_channels("TEL", "BEZ", "BAL", "BRI", "EMA"))
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


class LetterForm(forms.Form):
    sent_on = _date(_("Verzenddatum"))
    channel = forms.ChoiceField(label=_("Verzonden per"), choices=_channels("BRI", "EMA"))


class ObjectionForm(forms.Form):
    occurred_on = _date(_("Datum bezwaar"))
    channel = forms.ChoiceField(label=_("Hoe ontvangen"), choices=_channels("BRI", "EMA", "TEL", "BEZ", "BAL", "INT"))
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


class SignalForm(forms.Form):
    signal_date = _date(_("Signaaldatum"))
    crisis = forms.BooleanField(label=_("Crisissignaal (direct gevaar van ontruiming of afsluiting)"), required=False)
    warm_handover = forms.BooleanField(label=_("Warme overdracht (de huurder weet ervan en wil hulp)"), required=False)


class ArrangementForm(forms.Form):
    agreed_on = _date(_("Afgesproken op"))
    total = forms.DecimalField(label=_("Totaalbedrag (€)"), min_value=Decimal("0.01"), max_digits=10,
                               decimal_places=2, localize=True)
    instalments = forms.IntegerField(label=_("Aantal termijnen"), min_value=1, max_value=36, initial=6)
    first_due_on = forms.DateField(label=_("Eerste termijn op"), widget=DATE)
    grace_days = forms.IntegerField(label=_("Coulance (dagen)"), min_value=0, max_value=31, initial=5)


class BailiffForm(forms.Form):
    occurred_on = _date(_("Datum overdracht"))
    note = forms.CharField(label=_("Deurwaarder en toelichting"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Uitkomst"), choices=Outcome.choices)
    on = _date(_("Datum"))
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


class NoteForm(forms.Form):
    occurred_on = _date(_("Datum"))
    note = forms.CharField(label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV-bestand"))
    corporation = forms.ChoiceField(label=_("Corporatie"), required=False)
    dry_run = forms.BooleanField(label=_("Alleen controleren (proefimport, niets opslaan)"), required=False)

    MAX_BYTES = 50 * 1024 * 1024

    def __init__(self, *args, corporations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.corporations = list(corporations)
        self.fields["corporation"].choices = [(str(o.pk), o.name) for o in self.corporations]
        if len(self.corporations) <= 1:
            self.fields["corporation"].widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 50 MB; splits het per maand."))
        return upload

    def clean_corporation(self):
        value = self.cleaned_data.get("corporation")
        if len(self.corporations) == 1:
            return self.corporations[0]
        match = next((o for o in self.corporations if str(o.pk) == value), None)
        if match is None:
            raise forms.ValidationError(_("Kies de corporatie waarvoor u importeert."))
        return match


class AgreementForm(forms.ModelForm):
    min_amount = forms.DecimalField(label=_("Minimaal bedrag (€)"), min_value=Decimal("0"), max_digits=9,
                                    decimal_places=2, localize=True, initial=Decimal("0"))
    debt_help_url = forms.URLField(label=_("website schuldhulp"), required=False, assume_scheme="https")

    class Meta:
        model = MunicipalityAgreement
        fields = ["municipality", "valid_from", "valid_until", "min_days", "objection_days", "contact_email",
                  "debt_help_name", "debt_help_phone", "debt_help_url"]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args, corporation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.corporation = corporation
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        if self.instance.pk:
            self.fields["min_amount"].initial = Decimal(self.instance.min_amount_cents) / 100

    def clean(self):
        data = super().clean()
        start, end, municipality = data.get("valid_from"), data.get("valid_until"), data.get("municipality")
        if start and end and end < start:
            self.add_error("valid_until", _("De einddatum ligt vóór de begindatum."))
        if start and municipality and self.corporation is not None:
            overlapping = MunicipalityAgreement.objects.filter(
                corporation=self.corporation, municipality=municipality
            ).exclude(pk=self.instance.pk)
            for other in overlapping:
                other_end = other.valid_until
                if (end is None or other.valid_from <= end) and (other_end is None or start <= other_end):
                    self.add_error("valid_from", _("Dit overlapt met het convenant vanaf %(date)s; sluit dat eerst af "
                                                   "met een einddatum.") % {"date": other.valid_from.strftime("%d-%m-%Y")})
                    break
        return data

    def save(self, commit=True):
        agreement = super().save(commit=False)
        agreement.corporation = self.corporation
        agreement.min_amount_cents = int(self.cleaned_data["min_amount"] * 100)
        if commit:
            agreement.save()
        return agreement
