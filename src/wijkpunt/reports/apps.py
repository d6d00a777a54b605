from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wijkpunt.reports"
    label = "reports"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Category

        # The taxonomy is data that administrators edit: keep a trail of every change.
        auditlog.register(Category)
