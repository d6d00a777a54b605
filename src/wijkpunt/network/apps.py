from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "wijkpunt.network"
    verbose_name = _("Netwerkgids")
