"""Forms: the login form (allauth's, in Dutch), partner policies and partner user administration."""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.models import Organisation, User
from wijkpunt.core.roles import role_label

from .models import PartnerUserPolicy


class LoginForm(AllauthLoginForm):
    """allauth's login form with the field names and labels the login page always had: ``username``
    (django-axes reads it; password managers remember it) and ``password``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.pop("login")
        field.label = _("Gebruikersnaam")
        field.widget.attrs.pop("placeholder", None)
        field.widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        password = self.fields.pop("password")
        password.label = _("Wachtwoord")
        password.help_text = ""
        password.widget.attrs.pop("placeholder", None)
        self.fields = {"username": field, "password": password, **self.fields}

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean(self):
        if "username" in self.cleaned_data:
            self.cleaned_data["login"] = self.cleaned_data["username"]
        return super().clean()


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return role_label(obj.name)


class RoleMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return role_label(obj.name)


class PartnerUserPolicyForm(forms.ModelForm):
    allowed_roles = RoleMultipleChoiceField(
        queryset=Group.objects.order_by("name"), widget=forms.CheckboxSelectMultiple,
        label=_("Rollen die de partner zelf mag toekennen"), required=True,
        error_messages={"required": _("Kies ten minste één rol.")},
    )

    class Meta:
        model = PartnerUserPolicy
        fields = ["partner", "max_users", "allowed_roles", "valid_until"]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "max_users": _("Actieve accounts van de partner, de beheerder van de partner meegeteld."),
            "valid_until": _("Leeg laten: geldig tot u het wijzigt. Na deze datum kan de partner niets meer wijzigen."),
        }

    def __init__(self, *args, corporation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.corporation = corporation
        self.fields["partner"].queryset = Organisation.objects.filter(is_active=True).exclude(
            kind=Organisation.Kind.CORPORATION
        )
        self.fields["partner"].label = _("Partnerorganisatie")
        # Only partner roles: a corporation cannot let a partner hand out its own staff roles.
        self.fields["allowed_roles"].queryset = Group.objects.filter(
            name__in=settings.WIJKPUNT_PARTNER_ROLES).order_by("name")
        if self.instance.pk:
            self.fields["partner"].disabled = True

    def clean_partner(self):
        from .selectors import works_with

        partner = self.cleaned_data["partner"]
        if not self.instance.pk and PartnerUserPolicy.objects.filter(
            corporation=self.corporation, partner=partner
        ).exists():
            raise forms.ValidationError(_("Met deze partner zijn al afspraken vastgelegd; wijzig die."))
        if not self.instance.pk and not works_with(self.corporation, partner):
            # Roles hold in every corporation's cases: only a corporation that actually works with the
            # partner may open its self-administration.
            raise forms.ValidationError(_(
                "Uw corporatie werkt nog niet met deze partner samen: neem de partner eerst op in de netwerkgids "
                "(gekoppeld aan de organisatie), stuur een melding door of nodig de partner uit in een casus."))
        return partner

    def clean_valid_until(self):
        value = self.cleaned_data.get("valid_until")
        if value and not self.instance.pk and value < timezone.localdate():
            raise forms.ValidationError(_("Een datum in het verleden kan niet bij nieuwe afspraken."))
        return value


class PartnerUserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"), max_length=150,
        help_text=_("Letters, cijfers en @ . + - _; hiermee logt de collega in."),
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(
        label=_("E-mailadres"), help_text=_("Hierheen sturen we de uitnodiging om een wachtwoord in te stellen."),
    )
    role = RoleChoiceField(queryset=Group.objects.none(), label=_("Rol"), empty_label=None)

    def __init__(self, *args, allowed_roles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = allowed_roles
        self.fields["role"].error_messages["invalid_choice"] = _("Deze rol mag uw organisatie niet toekennen.")
        self.fields["username"].validators.append(User.username_validator)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Deze gebruikersnaam bestaat al. Kies een andere."))
        return username

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PartnerUserRoleForm(forms.Form):
    role = RoleChoiceField(queryset=Group.objects.none(), label=_("Nieuwe rol"), empty_label=None)

    def __init__(self, *args, allowed_roles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = allowed_roles
        self.fields["role"].error_messages["invalid_choice"] = _("Deze rol mag uw organisatie niet toekennen.")


# -- two-factor authentication: allauth's forms with Dutch labels (settings.MFA_FORMS) ---------------
def _code_field(form, label) -> None:
    field = form.fields["code"]
    field.label = label
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"})


class MFAAuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, _("Code uit de app of herstelcode"))


class MFAReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, _("Code uit de app of herstelcode"))


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _code_field(self, _("Code uit de app"))
