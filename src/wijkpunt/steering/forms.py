"""Steering group forms. Field-level messages in Dutch (English when the UI is English)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.models import Organisation, User
from wijkpunt.housing.models import Neighbourhood
from wijkpunt.network.selectors import neighbourhoods_of

from .models import Meeting, SteeringGroup

MAX_ACTIONS = 10


class SteeringGroupForm(UtrechtFormMixin, forms.ModelForm):
    organisation = forms.ModelChoiceField(
        label=_("Voorzitter (corporatie)"), queryset=Organisation.objects.none(),
        error_messages={"required": _("Kies de corporatie."), "invalid_choice": _("Kies een corporatie uit de lijst.")},
    )

    class Meta:
        model = SteeringGroup
        fields = ["organisation", "name", "neighbourhoods", "member_organisations", "is_active"]
        widgets = {
            "neighbourhoods": forms.SelectMultiple(attrs={"size": 8}),
            "member_organisations": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "name": _("Bijvoorbeeld: Regiegroep Zeist-Noord."),
            "neighbourhoods": _("Casussen in deze buurten die zijn aangemerkt voor de regiegroep komen op de agenda."),
            "member_organisations": _("Gemeente, wijkteam, politie, zorgaanbieders. Hun medewerkers zien de overleggen "
                                      "en, na publicatie, het verslag."),
        }
        error_messages = {
            "name": {"required": _("Vul een naam in."), "max_length": _("Gebruik hoogstens 200 tekens.")},
            "neighbourhoods": {"required": _("Kies ten minste één buurt."),
                               "invalid_choice": _("Kies buurten uit de lijst."),
                               "invalid_pk_value": _("Kies buurten uit de lijst.")},
            "member_organisations": {"invalid_choice": _("Kies organisaties uit de lijst."),
                                     "invalid_pk_value": _("Kies organisaties uit de lijst.")},
        }

    def __init__(self, *args, chair_ids, **kwargs):
        super().__init__(*args, **kwargs)
        chairs = Organisation.objects.filter(pk__in=chair_ids, is_active=True).order_by("name")
        self.fields["organisation"].queryset = chairs
        if self.instance.pk:
            self.fields["organisation"].initial = self.instance.organisation_id
            owner_ids = [self.instance.organisation_id]
        else:
            owner_ids = list(chair_ids)
        self._default_organisation = None
        if len(chair_ids) <= 1 or self.instance.pk:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].required = False
            self._default_organisation = (
                self.instance.organisation if self.instance.pk else chairs.first() if chair_ids else None)
            if self._default_organisation is not None:
                self.fields["organisation"].initial = self._default_organisation.pk
        current = list(self.instance.neighbourhoods.values_list("pk", flat=True)) if self.instance.pk else []
        area = neighbourhoods_of(owner_ids).values("pk")
        self.fields["neighbourhoods"].queryset = (
            Neighbourhood.objects.filter(Q(pk__in=area) | Q(pk__in=current))
            .select_related("municipality").order_by("name")
        )
        self.fields["neighbourhoods"].required = True
        self.fields["member_organisations"].queryset = Organisation.objects.filter(is_active=True).exclude(
            kind=Organisation.Kind.CORPORATION).order_by("name")
        self.fields["member_organisations"].required = False

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"] or self._default_organisation
        if organisation is None:
            raise forms.ValidationError(_("Kies de corporatie."))
        if self.instance.pk and organisation.pk != self.instance.organisation_id:
            raise forms.ValidationError(_("Een regiegroep blijft bij de corporatie die haar voorzit."))
        return organisation

    def clean(self):
        data = super().clean()
        organisation, chosen = data.get("organisation"), data.get("neighbourhoods")
        if organisation is not None and chosen and not self.instance.pk:
            allowed = set(neighbourhoods_of([organisation.pk]).values_list("pk", flat=True))
            if any(n.pk not in allowed for n in chosen):
                self.add_error("neighbourhoods", _("Kies buurten waar deze corporatie woningen heeft."))
        return data


class MeetingForm(UtrechtFormMixin, forms.ModelForm):
    date = forms.DateTimeField(
        label=_("Datum en tijd"), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Vul datum en tijd in."),
                        "invalid": _("Vul een geldige datum en tijd in, bijvoorbeeld 12-11-2026 14:00.")},
    )

    class Meta:
        model = Meeting
        fields = ["date", "location"]
        error_messages = {"location": {"max_length": _("Gebruik hoogstens 200 tekens.")}}


class MinutesForm(UtrechtFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Verslag"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Algemene punten. Zichtbaar voor alle deelnemende organisaties zodra u het publiceert: "
                    "noem hier geen namen of persoonsgegevens. Besluiten per casus legt u vast bij het agendapunt."),
        error_messages={"max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )


class DecisionForm(UtrechtFormMixin, forms.Form):
    decision = forms.CharField(
        label=_("Besluit"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zichtbaar voor deelnemers die de situatie van deze casus mogen zien."),
        error_messages={"required": _("Vul het besluit in."), "max_length": _("Gebruik hoogstens %(limit_value)d tekens.")},
    )


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ActionForm(UtrechtFormMixin, forms.Form):
    title = forms.CharField(label=_("Actie"), max_length=300,
                            error_messages={"required": _("Vul de actie in."),
                                            "max_length": _("Gebruik hoogstens %(limit_value)d tekens.")})
    owner_organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none(),
        error_messages={"required": _("Kies wie de actie uitvoert."),
                        "invalid_choice": _("Kies een organisatie uit de regiegroep.")},
    )
    owner = _PersonChoice(label=_("Persoon"), queryset=User.objects.none(), required=False,
                          error_messages={"invalid_choice": _("Kies een persoon uit de lijst.")})
    due_date = forms.DateField(
        label=_("Uiterlijk"), input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul een datum in."),
                        "invalid": _("Vul een geldige datum in, bijvoorbeeld 30-11-2026.")},
    )

    def __init__(self, *args, group: SteeringGroup, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = group.organisation_ids()
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(pk__in=org_ids).order_by("name")
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation_id__in=org_ids)
            .distinct().order_by("first_name", "last_name", "username")
        )

    def clean(self):
        data = super().clean()
        organisation, owner = data.get("owner_organisation"), data.get("owner")
        if organisation is not None and owner is not None and not owner.memberships.filter(
            organisation=organisation
        ).exists():
            self.add_error("owner", _("Deze persoon werkt niet bij de gekozen organisatie."))
        return data


class _BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, group: SteeringGroup, **kwargs):
        self.group = group
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "group": self.group}

    @property
    def empty_form(self):  # pragma: no cover - not rendered (no JavaScript "add" button)
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, group=self.group, renderer=self.renderer)

    def filled(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.has_changed() and f.cleaned_data]


ActionFormSet = forms.formset_factory(ActionForm, formset=_BaseActionFormSet, extra=3, max_num=MAX_ACTIONS,
                                      validate_max=True, absolute_max=MAX_ACTIONS)
