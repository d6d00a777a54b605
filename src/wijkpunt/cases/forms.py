from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation

from .models import (
    CaseAction,
    CaseRole,
    CaseType,
    CaseTypeDetail,
    Consent,
    EmergencyDisclosure,
    InfoCategory,
    Visibility,
)
from .services import MAX_NOTE_LENGTH, current_household


class NoteForm(forms.Form):
    prefix = "notitie"

    text = forms.CharField(
        label=_("Notitie"), max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "utrecht-textarea"}),
        error_messages={"required": _("Schrijf een notitie.")},
    )


class CloseForm(forms.Form):
    prefix = "afsluiten"

    text = forms.CharField(
        label=_("Afsluitende notitie"), max_length=MAX_NOTE_LENGTH,
        help_text=_("Waarom de casus stopt en wat er is afgesproken."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        error_messages={"required": _("Schrijf kort waarom de casus wordt afgesloten.")},
    )


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class OpenCaseForm(forms.Form):
    """The consultant who gets the case; the reasons are recomputed on the server, never posted."""

    assigned_to = ConsultantChoiceField(
        label=_("Wijkconsulent"), queryset=None, empty_label=_("Kies een wijkconsulent"),
        widget=forms.Select(attrs={"class": "utrecht-select"}),
        error_messages={"required": _("Kies de wijkconsulent die de casus krijgt."),
                        "invalid_choice": _("Kies een wijkconsulent van deze organisatie.")},
    )

    def __init__(self, *args, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = consultants


# --- issue 5: the case in the triangle -----------------------------------------------------------


TEXTAREA = {"rows": 3, "class": "utrecht-textarea"}
SELECT = {"class": "utrecht-select"}
TEXT = {"class": "utrecht-textbox"}
DATE = {"class": "utrecht-textbox", "type": "date"}


def _choices(enum, *, blank=None):
    choices = list(enum.choices)
    return [("", blank), *choices] if blank else choices


class NoteDetailsForm(forms.Form):
    """A note with what kind of information it holds and who may read it."""

    prefix = "notitie"

    text = NoteForm.base_fields["text"]
    category = forms.ChoiceField(label=_("Soort informatie"), choices=InfoCategory.choices, required=False,
                                 initial=InfoCategory.SITUATION, widget=forms.Select(attrs=SELECT),
                                 error_messages={"invalid_choice": _("Uw rol mag dit soort informatie niet vastleggen.")})
    visibility = forms.ChoiceField(label=_("Zichtbaar voor"), choices=Visibility.choices, required=False,
                                   initial=Visibility.OWN_ORGANISATION, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, allowed_categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_categories is not None:
            self.fields["category"].choices = [c for c in InfoCategory.choices if c[0] in allowed_categories]
        self.fields["category"].widget.is_required = True
        self.fields["visibility"].widget.is_required = True

    def clean_category(self):
        return self.cleaned_data.get("category") or InfoCategory.SITUATION

    def clean_visibility(self):
        return self.cleaned_data.get("visibility") or Visibility.OWN_ORGANISATION


class OpenManualForm(forms.Form):
    """Open a case around a household or an address (found by postcode and house number) or a complex."""

    prefix = "casus"

    title = forms.CharField(label=_("Titel"), max_length=300, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("Geef de casus een titel.")})
    subject_kind = forms.ChoiceField(
        label=_("Waar gaat de casus over?"), widget=forms.RadioSelect,
        choices=[("household", _("Het huishouden op een adres")), ("unit", _("Een adres")),
                 ("complex", _("Een complex of straat"))],
        error_messages={"required": _("Kies waar de casus over gaat.")},
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7,
                               widget=forms.TextInput(attrs={**TEXT, "autocomplete": "off"}))
    house_number = forms.CharField(label=_("Huisnummer (met letter of toevoeging)"), required=False, max_length=12,
                                   widget=forms.TextInput(attrs=TEXT))
    complex = forms.ModelChoiceField(label=_("Complex"), queryset=None, required=False,
                                     widget=forms.Select(attrs=SELECT), empty_label=_("Kies een complex"),
                                     error_messages={"invalid_choice": _("Kies een complex van uw corporatie.")})
    case_type = forms.ChoiceField(label=_("Zaaktype (VERA)"), choices=_choices(CaseType, blank=_("Kies een zaaktype")),
                                  widget=forms.Select(attrs=SELECT),
                                  error_messages={"required": _("Kies een zaaktype.")})
    case_type_detail = forms.ChoiceField(label=_("Detail"), required=False,
                                         choices=_choices(CaseTypeDetail, blank=_("—")),
                                         widget=forms.Select(attrs=SELECT))
    summary = forms.CharField(label=_("Situatie"), required=False, max_length=20_000,
                              widget=forms.Textarea(attrs=TEXTAREA),
                              help_text=_("Zonder zorg- of schuldgegevens: die hebben eigen velden op de casus."))
    assigned_to = ConsultantChoiceField(label=_("Casusregisseur"), queryset=None,
                                        empty_label=_("Kies de casusregisseur"), widget=forms.Select(attrs=SELECT),
                                        error_messages={"required": _("Kies de casusregisseur."),
                                                        "invalid_choice": _("Kies een casusregisseur van deze organisatie.")})

    def __init__(self, *args, organisation_id, complexes, consultants, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation_id = organisation_id
        self.fields["complex"].queryset = complexes
        self.fields["assigned_to"].queryset = consultants

    def clean(self):
        from wijkpunt.core.validators import normalise_postcode
        from wijkpunt.housing.models import Unit

        data = super().clean()
        kind = data.get("subject_kind")
        data["unit"] = data["household"] = None
        if kind == "complex":
            if not data.get("complex"):
                self.add_error("complex", _("Kies het complex waar de casus over gaat."))
            return data
        if kind not in ("household", "unit"):
            return data
        postcode = normalise_postcode(data.get("postcode") or "")
        number = (data.get("house_number") or "").strip().upper().replace(" ", "")
        if not postcode:
            self.add_error("postcode", _("Vul de postcode in, bijvoorbeeld 3701 AB."))
        if not number:
            self.add_error("house_number", _("Vul het huisnummer in."))
        if not postcode or not number:
            return data
        match = re.fullmatch(r"(\d{1,5})([A-Z]?)(?:-?([A-Z0-9]{1,4}))?", number)
        if not match:
            self.add_error("house_number", _("Vul een huisnummer in zoals 12, 12A of 12-2."))
            return data
        units = Unit.objects.filter(corporation_id=self.organisation_id, postcode=postcode,
                                    house_number=int(match.group(1)), house_letter=match.group(2) or "",
                                    house_number_addition=match.group(3) or "")
        unit = units.first()
        if unit is None:
            self.add_error("postcode", _("Dit adres is geen woning van uw corporatie."))
            return data
        data["unit"] = unit
        if kind == "household":
            data["household"] = current_household(unit)
            if data["household"] is None:
                self.add_error("postcode", _("Op dit adres woont nu geen huurder; kies 'Een adres'."))
        return data


class DetailsForm(forms.Form):
    prefix = "gegevens"

    case_type = forms.ChoiceField(label=_("Zaaktype (VERA)"), choices=CaseType.choices, widget=forms.Select(attrs=SELECT))
    case_type_detail = forms.ChoiceField(label=_("Detail"), required=False,
                                         choices=_choices(CaseTypeDetail, blank=_("—")),
                                         widget=forms.Select(attrs=SELECT))
    summary = forms.CharField(label=_("Situatie"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
    care_details = forms.CharField(label=_("Zorg en gezondheid"), required=False, widget=forms.Textarea(attrs=TEXTAREA),
                                   help_text=_("Bijzonder persoonsgegeven: alleen zichtbaar voor wie dat nodig heeft."))
    debt_details = forms.CharField(label=_("Schulden en inkomen"), required=False,
                                   widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, allowed_categories=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        if InfoCategory.CARE not in allowed_categories:
            del self.fields["care_details"]
        if InfoCategory.DEBT not in allowed_categories:
            del self.fields["debt_details"]


class LeadForm(forms.Form):
    prefix = "regisseur"

    assigned_to = ConsultantChoiceField(label=_("Casusregisseur"), queryset=None, widget=forms.Select(attrs=SELECT),
                                        error_messages={"required": _("Kies de casusregisseur."),
                                                        "invalid_choice": _("Kies een persoon uit de lijst.")})

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = candidates


class InviteForm(forms.Form):
    prefix = "uitnodigen"

    organisation = forms.ModelChoiceField(label=_("Organisatie"), queryset=None, widget=forms.Select(attrs=SELECT),
                                          empty_label=_("Kies een organisatie"),
                                          error_messages={"required": _("Kies een partnerorganisatie."),
                                                          "invalid_choice": _("Kies een partnerorganisatie.")})
    role = forms.ChoiceField(label=_("Rol in de casus (VERA)"), choices=CaseRole.choices, initial=CaseRole.ADV,
                             widget=forms.Select(attrs=SELECT))
    request = forms.CharField(label=_("Wat vragen we?"), max_length=500, widget=forms.Textarea(attrs=TEXTAREA),
                              help_text=_("Ook zichtbaar zonder toestemming van de bewoner: schrijf het neutraal."),
                              error_messages={"required": _("Schrijf kort wat u van deze organisatie vraagt.")})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class AnswerForm(forms.Form):
    prefix = "antwoord"

    reason = forms.CharField(label=_("Reden (verplicht bij weigeren)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs=TEXTAREA))


class _ShareForm(forms.Form):
    """Which information, shared with which participating organisation (consent and disclosure)."""

    organisation = forms.ModelChoiceField(label=_("Delen met"), queryset=None, widget=forms.Select(attrs=SELECT),
                                          empty_label=_("Kies een organisatie"),
                                          error_messages={"required": _("Kies de organisatie."),
                                                          "invalid_choice": _("Kies een organisatie die deelneemt.")})
    categories = forms.MultipleChoiceField(label=_("Welke informatie"), choices=InfoCategory.choices,
                                           widget=forms.CheckboxSelectMultiple,
                                           error_messages={"required": _("Kies ten minste één soort informatie.")})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ConsentForm(_ShareForm):
    prefix = "toestemming"

    purpose = forms.CharField(label=_("Doel"), max_length=500, widget=forms.TextInput(attrs=TEXT),
                              error_messages={"required": _("Schrijf het doel waarvoor de informatie wordt gedeeld.")})
    given_by = forms.CharField(label=_("Gegeven door"), max_length=200, widget=forms.TextInput(attrs=TEXT),
                               help_text=_("Naam van de bewoner of wettelijk vertegenwoordiger."),
                               error_messages={"required": _("Wie gaf de toestemming?")})
    method = forms.ChoiceField(label=_("Hoe gegeven"), choices=Consent.Method.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Kies hoe de toestemming is gegeven.")})
    witness = forms.CharField(label=_("Getuige (bij mondeling)"), required=False, max_length=200,
                              widget=forms.TextInput(attrs=TEXT))
    form_file = forms.FileField(label=_("Ondertekend formulier (PDF, PNG of JPEG)"), required=False)
    valid_from = forms.DateField(label=_("Geldig vanaf"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                 error_messages={"required": _("Vul een datum in."),
                                                 "invalid": _("Vul een geldige datum in.")})
    valid_until = forms.DateField(label=_("Geldig tot en met"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                  error_messages={"invalid": _("Vul een geldige datum in.")})


class WithdrawForm(forms.Form):
    prefix = "intrekken"

    note = forms.CharField(label=_("Toelichting"), required=False, max_length=500, widget=forms.TextInput(attrs=TEXT))


class EmergencyForm(_ShareForm):
    prefix = "zondertoestemming"

    ground = forms.ChoiceField(label=_("Grondslag"), choices=EmergencyDisclosure.Ground.choices,
                               widget=forms.RadioSelect, error_messages={"required": _("Kies de wettelijke grondslag.")})
    reasoning = forms.CharField(label=_("Onderbouwing"), widget=forms.Textarea(attrs=TEXTAREA),
                                error_messages={"required": _("Onderbouw waarom delen zonder toestemming nodig is.")})
    days = forms.IntegerField(label=_("Looptijd (dagen)"), min_value=1, max_value=14, initial=3,
                              widget=forms.NumberInput(attrs=TEXT),
                              error_messages={"required": _("Kies een looptijd van 1 tot en met 14 dagen."),
                                              "min_value": _("Kies een looptijd van 1 tot en met 14 dagen."),
                                              "max_value": _("Kies een looptijd van 1 tot en met 14 dagen."),
                                              "invalid": _("Kies een looptijd van 1 tot en met 14 dagen.")})


class ActionForm(forms.Form):
    prefix = "actie"

    title = forms.CharField(label=_("Actie"), max_length=300, widget=forms.TextInput(attrs=TEXT),
                            error_messages={"required": _("Beschrijf de actie.")})
    owner_organisation = forms.ModelChoiceField(label=_("Wie"), queryset=None, widget=forms.Select(attrs=SELECT),
                                                empty_label=_("Kies een organisatie"),
                                                error_messages={"required": _("Kies wie de actie uitvoert."),
                                                                "invalid_choice": _("Kies de corporatie of een organisatie die deelneemt.")})
    due_date = forms.DateField(label=_("Uiterlijk"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                               error_messages={"invalid": _("Vul een geldige datum in.")})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CaseAction.Status.choices)


class DocumentForm(forms.Form):
    prefix = "document"

    title = forms.CharField(label=_("Titel"), required=False, max_length=200, widget=forms.TextInput(attrs=TEXT))
    file = forms.FileField(label=_("Bestand (PDF, PNG of JPEG, max. 10 MB)"),
                           error_messages={"required": _("Kies een bestand.")})
    category = forms.ChoiceField(label=_("Soort informatie"), choices=InfoCategory.choices,
                                 initial=InfoCategory.SITUATION, widget=forms.Select(attrs=SELECT))
    visibility = forms.ChoiceField(label=_("Zichtbaar voor"), choices=Visibility.choices,
                                   initial=Visibility.OWN_ORGANISATION, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, allowed_categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_categories is not None:
            self.fields["category"].choices = [c for c in InfoCategory.choices if c[0] in allowed_categories]


class SteeringForm(forms.Form):
    prefix = "regiegroep"

    steering_question = forms.CharField(label=_("Vraag aan de regiegroep"), required=False, max_length=500,
                                        widget=forms.TextInput(attrs=TEXT))


class LinkReportForm(forms.Form):
    prefix = "koppelen"

    reference = forms.CharField(label=_("Meldingsnummer"), max_length=20, widget=forms.TextInput(attrs=TEXT),
                                error_messages={"required": _("Vul het meldingsnummer in.")})
