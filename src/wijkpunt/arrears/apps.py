from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArrearsConfig(AppConfig):
    name = "wijkpunt.arrears"
    verbose_name = _("Huurachterstand")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import MunicipalityAgreement, PaymentArrangement

        # Agreements with municipalities and payment arrangements are audited (old and new values).
        for model in (MunicipalityAgreement, PaymentArrangement):
            auditlog.register(model)
