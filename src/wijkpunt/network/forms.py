"""Directory forms. Field-level messages in Dutch (English when the UI is English)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.forms import UtrechtFormMixin
from wijkpunt.core.models import Organisation

from .models import KIND_CHOICES, ContactPoint
from .selectors import neighbourhoods_of


class ContactPointForm(UtrechtFormMixin, forms.ModelForm):
    owner = forms.ModelChoiceField(label=_("Netwerkgids van"), queryset=Organisation.objects.none(),
                                   error_messages={"required": _("Kies de organisatie."),
                                                   "invalid_choice": _("Kies een organisatie uit de lijst.")})

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https", max_length=200,
                             error_messages={"invalid": _("Vul een geldig webadres in, beginnend met https://.")})

    class Meta:
        model = ContactPoint
        fields = ["owner", "kind", "name", "organisation", "handles", "neighbourhoods", "phone_office_hours",
                  "hours_text", "phone_out_of_hours", "out_of_hours_text", "email", "website",
                  "shared_with_volunteers", "is_active"]
        widgets = {
            "handles": forms.Textarea(attrs={"rows": 3}),
            "neighbourhoods": forms.SelectMultiple(attrs={"size": 8}),
        }
        error_messages = {
            "kind": {"required": _("Kies de soort partner."), "invalid_choice": _("Kies een soort uit de lijst.")},
            "name": {"required": _("Vul een naam in.")},
            "handles": {"required": _("Schrijf kort waarvoor men hier terecht kan.")},
            "email": {"invalid": _("Vul een geldig e-mailadres in.")},
            "organisation": {"invalid_choice": _("Kies een partnerorganisatie uit de lijst.")},
            "neighbourhoods": {"invalid_choice": _("Kies buurten uit de lijst."),
                               "invalid_pk_value": _("Kies buurten uit de lijst.")},
        }

    def __init__(self, *args, owner_ids, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Organisation.objects.filter(pk__in=owner_ids, is_active=True).order_by("name")
        self.fields["owner"].queryset = owners
        if self.instance.pk:
            self.fields["owner"].initial = self.instance.owner_id
        if len(owner_ids) <= 1 or self.instance.pk:
            # one directory to choose from (or editing): not asked, not taken from the request
            self.fields["owner"].widget = forms.HiddenInput()
            self.fields["owner"].disabled = True
            if not self.instance.pk and owner_ids:
                self.fields["owner"].initial = next(iter(owner_ids))
        self.fields["kind"].choices = [("", _("Kies een soort"))] + KIND_CHOICES
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).exclude(
            kind=Organisation.Kind.CORPORATION).order_by("name")
        self.fields["organisation"].required = False
        self.fields["neighbourhoods"].queryset = neighbourhoods_of(owner_ids)
        self.fields["neighbourhoods"].required = False

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if self.instance.pk and owner.pk != self.instance.owner_id:
            raise forms.ValidationError(_("Een contactpunt blijft in de netwerkgids waarin het staat."))
        return owner

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("owner")
        return data


class DirectoryFilterForm(forms.Form):
    buurt = forms.TypedChoiceField(label=_("Buurt"), required=False, coerce=int, empty_value=None)
    soort = forms.ChoiceField(label=_("Soort"), required=False)
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buurt"].choices = [("", _("Alle buurten"))] + [
            (n.pk, f"{n.name} ({n.municipality.name})") for n in neighbourhoods
        ]
        self.fields["soort"].choices = [("", _("Alle soorten"))] + KIND_CHOICES
        for field in self.fields.values():
            css = "utrecht-select utrecht-select--html-select" if isinstance(field, forms.ChoiceField) else \
                "utrecht-textbox utrecht-textbox--html-input"
            field.widget.attrs["class"] = css
