"""Forms of the privacy pages: Dutch field-level messages; the services do the final checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkpunt.cases.models import RetentionRule
from wijkpunt.core.validators import (
    normalise_postcode,
    validate_addition,
    validate_house_letter,
    validate_postcode,
)

from .services import MAX_DAYS, MIN_DAYS, parse_case_reference


class RetentionRuleForm(forms.Form):
    days_after_closing = forms.IntegerField(
        label=_("Bewaren tot zoveel dagen na afsluiten"), min_value=MIN_DAYS, max_value=MAX_DAYS,
        help_text=_("Van %(min)s tot en met %(max)s dagen (730 dagen is twee jaar).") % {"min": MIN_DAYS,
                                                                                         "max": MAX_DAYS},
        error_messages={
            "required": _("Vul het aantal dagen in."),
            "invalid": _("Vul een heel aantal dagen in."),
            "min_value": _("Kies ten minste %(limit_value)s dagen."),
            "max_value": _("Kies ten hoogste %(limit_value)s dagen."),
        },
    )
    action = forms.ChoiceField(
        label=_("Daarna"), choices=RetentionRule.Action.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Kies anonimiseren of verwijderen."),
                        "invalid_choice": _("Kies anonimiseren of verwijderen.")},
    )


class LegalHoldForm(forms.Form):
    case = forms.CharField(
        label=_("Casusnummer"), max_length=30, help_text=_("Bijvoorbeeld C-000123."),
        error_messages={"required": _("Vul het casusnummer in.")},
    )
    reason = forms.CharField(
        label=_("Reden"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bijvoorbeeld: procedure bij de kantonrechter, verzoek van de politie, klacht in behandeling."),
        error_messages={"required": _("Geef een reden op."),
                        "max_length": _("Houd de reden korter dan 500 tekens.")},
    )

    def clean_case(self) -> int:
        pk = parse_case_reference(self.cleaned_data["case"])
        if pk is None:
            raise forms.ValidationError(_("Vul een casusnummer in zoals C-000123."))
        return pk


class HouseholdSearchForm(forms.Form):
    """Find a household by contract number, or by postcode + house number (letter/addition optional)."""

    contract_number = forms.CharField(label=_("Contractnummer"), max_length=30, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    house_number = forms.IntegerField(
        label=_("Huisnummer"), required=False, min_value=1, max_value=99999,
        error_messages={"invalid": _("Vul een huisnummer in (alleen cijfers)."),
                        "min_value": _("Vul een huisnummer in (alleen cijfers)."),
                        "max_value": _("Vul een huisnummer in (alleen cijfers).")},
    )
    house_letter = forms.CharField(label=_("Huisletter"), max_length=1, required=False,
                                   validators=[validate_house_letter])
    house_number_addition = forms.CharField(label=_("Toevoeging"), max_length=4, required=False,
                                            validators=[validate_addition])

    def clean_contract_number(self) -> str:
        return (self.cleaned_data.get("contract_number") or "").strip()

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode") or ""
        if not value.strip():
            return ""
        validate_postcode(value)
        return normalise_postcode(value)

    def clean(self):
        data = super().clean()
        contract, postcode = data.get("contract_number"), data.get("postcode")
        number = data.get("house_number")
        if contract or self.errors:
            return data
        if not postcode and number is None:
            self.add_error("contract_number", _("Vul een contractnummer in, of een postcode met huisnummer."))
            return data
        if not postcode:
            self.add_error("postcode", _("Vul ook de postcode in."))
        if number is None:
            self.add_error("house_number", _("Vul ook het huisnummer in."))
        return data
