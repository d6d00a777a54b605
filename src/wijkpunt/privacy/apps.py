from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Pages for the data protection officer: access requests (AVG art. 15), retention rules of
    cases and legal holds. No models of its own: it reads and writes through the other apps."""

    name = "wijkpunt.privacy"
    verbose_name = _("Privacy")
