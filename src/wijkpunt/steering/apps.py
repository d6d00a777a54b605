from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "wijkpunt.steering"
    verbose_name = _("Regiegroep")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Meeting, SteeringGroup

        auditlog.register(SteeringGroup, m2m_fields={"neighbourhoods", "member_organisations"})
        auditlog.register(Meeting, include_fields=["date", "location", "status", "minutes_published_at"])
