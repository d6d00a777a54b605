from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "wijkpunt.cases"
    verbose_name = _("Casussen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Case, ConsultantArea

        # Who a case is assigned to, its status, and who covers which neighbourhood are audited.
        auditlog.register(Case, include_fields=["status", "closed_on", "assigned_to"])
        auditlog.register(ConsultantArea)
