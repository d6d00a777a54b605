"""Data migrations that give the default roles of an *existing* installation new permissions.

New databases get every permission when ``core.roles.sync_roles`` creates the groups after
``migrate``; an existing database already has the groups, so each app that adds permissions ships
a migration that grants them to the groups of those names. Groups an administrator renamed or
removed are left alone; the grant runs once. Used from migrations: keep the signature stable."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence


def grant_to_default_groups(app_label: str, grants: Mapping[str, Sequence[str]]) -> Callable:
    """A ``RunPython`` function granting ``app_label``'s ``grants`` (``{group name: [codename]}``)."""

    def grant(apps, schema_editor) -> None:
        from django.apps import apps as global_apps
        from django.contrib.auth.management import create_permissions

        alias = schema_editor.connection.alias
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        if not Group.objects.using(alias).filter(name__in=list(grants)).exists():
            return  # a new database: sync_roles creates the groups with these permissions after migrate
        create_permissions(global_apps.get_app_config(app_label), verbosity=0, using=alias)
        for group in Group.objects.using(alias).filter(name__in=list(grants)):
            perms = Permission.objects.using(alias).filter(
                content_type__app_label=app_label, codename__in=list(grants[group.name])
            )
            group.permissions.add(*perms)

    return grant
