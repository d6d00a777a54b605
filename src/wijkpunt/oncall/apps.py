from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OncallConfig(AppConfig):
    name = "wijkpunt.oncall"
    verbose_name = _("Achtervang")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects to the report signals
