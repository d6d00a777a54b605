from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkpunt.core"
    label = "core"
    verbose_name = _("Basis: organisaties en rollen")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import roles

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
