from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OncallConfig(AppConfig):
    name = "wijkpunt.oncall"
    verbose_name = _("Achtervang")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import receivers  # noqa: F401 - connects to the report signals
        from .models import Absence, EscalationPolicy, EscalationStep, Roster, RosterMember, RosterOverride

        # Who is on call and how urgent reports escalate are audited: actor, time, old and new values.
        for model in (Roster, RosterMember, RosterOverride, Absence, EscalationPolicy, EscalationStep):
            auditlog.register(model)
