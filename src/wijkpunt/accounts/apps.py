from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wijkpunt.accounts"
    label = "accounts"
    verbose_name = _("Accounts: inloggen, tweestapsverificatie en partneraccounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import PartnerUserPolicy

        # Who may hand out which roles to how many partner users is audited like memberships.
        auditlog.register(PartnerUserPolicy, m2m_fields={"allowed_roles"})
