"""Default roles. Roles are Django groups (data, editable in the admin); this module only
creates the groups that do not exist yet, with their default permissions. Code never checks a
role's name: it checks permissions (see ``permissions.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STAFF_REPORT_PERMS = [
    "reports.view_org_reports",
    "reports.triage_report",
    "reports.intake_phone",
    "reports.file_volunteer_report",
    "oncall.view_duty",
    "oncall.acknowledge_page",
]

# Financial data of households: need-to-know roles only (docs/arrears.md, "Wie ziet wat").
ARREARS_PERMS = ["arrears.view_financial", "arrears.handle_arrears"]

# slug -> (display name, permissions)
DEFAULT_ROLES: dict[str, tuple[str, list[str]]] = {
    "beheerder": (
        _("Beheerder"),
        [
            *STAFF_REPORT_PERMS,
            "reports.add_category",
            "reports.change_category",
            "reports.view_category",
            "housing.view_unit",
            "housing.add_unit",
            "housing.change_unit",
            "core.view_team",
            "core.add_team",
            "core.change_team",
            "core.view_officehours",
            "core.add_officehours",
            "core.change_officehours",
            "core.delete_officehours",
            "core.view_closedday",
            "core.add_closedday",
            "core.change_closedday",
            "core.delete_closedday",
            "core.view_outboxmessage",
            "reports.view_report",
            "oncall.manage_oncall",
            "arrears.import_ledger",
            "arrears.manage_agreements",
            "arrears.view_figures",
            "cases.work_on_cases",
            "cases.open_case",
        ],
    ),
    "complexbeheerder": (_("Complexbeheerder"), STAFF_REPORT_PERMS),
    "wijkconsulent": (_("Wijkconsulent"), [*STAFF_REPORT_PERMS, "cases.work_on_cases"]),
    "regisseur-sociaal-beheer": (
        _("Regisseur sociaal beheer"),
        [*STAFF_REPORT_PERMS, *ARREARS_PERMS, "arrears.view_figures", "cases.work_on_cases", "cases.open_case"],
    ),
    # Rent collection: sees the financial picture of households (every view logged) and records the
    # legal steps; no report triage.
    "incasso-medewerker": (
        _("Medewerker huurincasso"),
        [*ARREARS_PERMS, "arrears.import_ledger", "cases.open_case"],
    ),
    "management": (_("Management"), ["arrears.view_figures"]),
    "bewonerskracht": (_("Bewonerskracht"), ["reports.file_volunteer_report", "oncall.request_help"]),
    "partner-medewerker": (
        _("Medewerker partnerorganisatie"),
        ["reports.view_forwarded_reports", "reports.handle_forwarded_reports"],
    ),
}


def sync_roles(using: str = "default") -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for slug, (_name, perms) in DEFAULT_ROLES.items():
        group, created = Group.objects.using(using).get_or_create(name=slug)
        if not created:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                group.permissions.add(permission)


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:  # noqa: ARG001
    from django.apps import apps

    if apps.is_installed("wijkpunt.reports"):
        sync_roles(using=using)


def role_label(slug: str) -> str:
    entry = DEFAULT_ROLES.get(slug)
    return str(entry[0]) if entry else slug
