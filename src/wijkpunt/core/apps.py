from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkpunt.core"
    label = "core"
    verbose_name = _("Basis: organisaties en rollen")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from . import roles
        from .models import ClosedDay, Membership, OfficeHours, Organisation, Team, User

        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
        # Changes to who may do what are audited (django-auditlog): actor, time, old and new values.
        auditlog.register(Organisation)
        auditlog.register(Team)
        auditlog.register(Membership)
        auditlog.register(OfficeHours)
        auditlog.register(ClosedDay)
        auditlog.register(User, include_fields=["username", "email", "is_active", "is_staff", "is_superuser"])
