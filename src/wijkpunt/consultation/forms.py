"""Consultation forms. Field-level messages in Dutch; the rules live in ``services`` (these forms
only parse the input and show the services' errors next to the right field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.housing.models import Complex, Unit

from .models import HousingWish, Outcome, Question, StreetDecision

DATE_INPUT = {"input_formats": ["%Y-%m-%d", "%d-%m-%Y"],
              "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
DATE_ERRORS = {"required": _("Vul een datum in."), "invalid": _("Vul een geldige datum in, bijvoorbeeld 30-11-2026.")}
TEXT_ERRORS = {"max_length": _("Gebruik hoogstens %(limit_value)d tekens."), "null_characters_not_allowed":
               _("Deze tekst bevat een teken dat niet kan worden opgeslagen.")}


class ConsultationForm(UtrechtFormMixin, forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200, help_text=_("Bijvoorbeeld: Renovatie of sloop Merelhof."),
                            error_messages={"required": _("Vul een titel in."), **TEXT_ERRORS})
    description = forms.CharField(label=_("Doel en toelichting"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 4}), error_messages=TEXT_ERRORS,
                                  help_text=_("Waarom u het de bewoners vraagt en wat er met de antwoorden gebeurt."))
    complex = forms.ModelChoiceField(label=_("Complex"), queryset=Complex.objects.none(),
                                     error_messages={"required": _("Kies een complex."),
                                                     "invalid_choice": _("Kies een complex uit de lijst.")})
    streets = forms.MultipleChoiceField(
        label=_("Straten"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Niets gekozen: alle adressen van het complex. De adressen liggen vast zodra u opslaat."),
        error_messages={"invalid_choice": _("Kies straten uit de lijst.")})
    starts_on = forms.DateField(label=_("Begindatum"), error_messages=DATE_ERRORS, **DATE_INPUT)
    ends_on = forms.DateField(label=_("Einddatum"), error_messages=DATE_ERRORS, **DATE_INPUT)

    def __init__(self, *args, corporation_ids, **kwargs):
        super().__init__(*args, **kwargs)
        complexes = Complex.objects.filter(corporation_id__in=corporation_ids).order_by("name")
        self.fields["complex"].queryset = complexes
        streets = sorted(set(Unit.objects.filter(complex__in=complexes).values_list("street", flat=True)))
        self.fields["streets"].choices = [(s, s) for s in streets]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("De einddatum ligt voor de begindatum."))
        return data


class ConsultationEditForm(UtrechtFormMixin, forms.Form):
    title = ConsultationForm.base_fields["title"]
    description = ConsultationForm.base_fields["description"]
    starts_on = ConsultationForm.base_fields["starts_on"]
    ends_on = ConsultationForm.base_fields["ends_on"]


class QuestionForm(UtrechtFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Soort vraag"), choices=Question.Kind.choices,
                             error_messages={"required": _("Kies een soort vraag."),
                                             "invalid_choice": _("Kies een soort vraag uit de lijst.")})
    text = forms.CharField(label=_("Vraag"), max_length=500,
                           error_messages={"required": _("Vul de vraag in."), **TEXT_ERRORS})
    options = forms.CharField(label=_("Antwoordmogelijkheden"), required=False, max_length=3000,
                              widget=forms.Textarea(attrs={"rows": 4}), error_messages=TEXT_ERRORS,
                              help_text=_("Eén per regel; alleen bij een keuzevraag."))
    required = forms.BooleanField(label=_("Verplicht bij een beantwoord bezoek"), required=False, initial=True)
    scale_min = forms.IntegerField(label=_("Schaal van"), required=False, min_value=0, max_value=10, initial=1,
                                   error_messages={"invalid": _("Vul een getal in."),
                                                   "min_value": _("Kies 0 of hoger."),
                                                   "max_value": _("Kies 10 of lager.")})
    scale_max = forms.IntegerField(label=_("Schaal tot en met"), required=False, min_value=1, max_value=10, initial=5,
                                   error_messages={"invalid": _("Vul een getal in."),
                                                   "min_value": _("Kies 1 of hoger."),
                                                   "max_value": _("Kies 10 of lager.")})
    scale_min_label = forms.CharField(label=_("Betekenis laagste waarde"), required=False, max_length=60,
                                      error_messages=TEXT_ERRORS, help_text=_("Bijvoorbeeld: helemaal niet tevreden."))
    scale_max_label = forms.CharField(label=_("Betekenis hoogste waarde"), required=False, max_length=60,
                                      error_messages=TEXT_ERRORS, help_text=_("Bijvoorbeeld: heel tevreden."))


class VisitForm(UtrechtFormMixin, forms.Form):
    """The form at the door: the outcome, and for "answered" the questions and the housing wish.
    The questions are fields ``vraag_<id>``; whether an answer is valid is decided by
    ``visits.clean_answers`` (its errors come back on the same fields)."""

    outcome = forms.ChoiceField(label=_("Uitkomst van het bezoek"), choices=Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Kies wat de uitkomst van het bezoek is."),
                                                "invalid_choice": _("Kies een uitkomst uit de lijst.")})
    remarks = forms.CharField(label=_("Opmerkingen"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}), error_messages=TEXT_ERRORS,
                              help_text=_("Bijvoorbeeld: later terugkomen, na 17 uur thuis. Geen gezondheidsgegevens."))
    housing_wish = forms.ChoiceField(label=_("Woonwens van het huishouden"), required=False,
                                     choices=[("", _("Niet gevraagd / geen wens"))] + HousingWish.Wish.choices,
                                     widget=forms.RadioSelect,
                                     error_messages={"invalid_choice": _("Kies een van de woonwensen.")})
    housing_wish_note = forms.CharField(label=_("Toelichting bij de woonwens"), required=False, max_length=500,
                                        error_messages=TEXT_ERRORS)

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            name = f"vraag_{q.pk}"
            common = {"label": q.text, "required": False}
            if q.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(choices=[(o.code, o.label) for o in q.options.all()], widget=forms.RadioSelect,
                                          error_messages={"invalid_choice": _("Kies een van de antwoorden bij deze vraag.")},
                                          **common)
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=[(o.code, o.label) for o in q.options.all()], widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": _("Kies alleen antwoorden die bij deze vraag horen.")}, **common)
            elif q.kind == Question.Kind.SCALE:
                choices = []
                for v in range(q.scale_min, q.scale_max + 1):
                    label = str(v)
                    if v == q.scale_min and q.scale_min_label:
                        label = f"{v} — {q.scale_min_label}"
                    elif v == q.scale_max and q.scale_max_label:
                        label = f"{v} — {q.scale_max_label}"
                    choices.append((str(v), label))
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages={
                    "invalid_choice": _("Kies een getal van %(min)s tot en met %(max)s.")
                    % {"min": q.scale_min, "max": q.scale_max}}, **common)
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                                        error_messages=TEXT_ERRORS, **common)
            field.question = q
            self.fields[name] = field
        # put the questions between the outcome and the remarks
        order = ["outcome", *[f"vraag_{q.pk}" for q in questions], "housing_wish", "housing_wish_note", "remarks"]
        self.order_fields(order)

    def question_fields(self):
        return [self[f"vraag_{q.pk}"] for q in self.questions]

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"vraag_{q.pk}") for q in self.questions}


class DecisionForm(UtrechtFormMixin, forms.Form):
    street = forms.ChoiceField(label=_("Straat"), choices=(), error_messages={
        "required": _("Kies een straat."), "invalid_choice": _("Kies een straat van deze raadpleging.")})
    choice = forms.ChoiceField(label=_("Besluit"), choices=[("", "—")] + StreetDecision.Choice.choices,
                               error_messages={"required": _("Kies het besluit."),
                                               "invalid_choice": _("Kies het besluit uit de lijst.")})
    text = forms.CharField(label=_("Besluit in één zin"), max_length=300,
                           help_text=_("Zo staat het in de brief en op de openbare pagina."),
                           error_messages={"required": _("Vul het besluit in."), **TEXT_ERRORS})
    reasoning = forms.CharField(label=_("Onderbouwing"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Waarom dit besluit, ook als de respons laag was of de stemmen gelijk."),
                                error_messages={"required": _("Vul de onderbouwing in."), **TEXT_ERRORS})

    def __init__(self, *args, streets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [(s, s) for s in streets]
