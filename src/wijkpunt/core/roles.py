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

# Special-category details in cases (care/health, debts): need-to-know roles only.
CASE_SENSITIVE_PERMS = ["cases.view_care", "cases.view_debt"]

PARTNER_PERMS = ["reports.view_forwarded_reports", "reports.handle_forwarded_reports", "network.view_directory"]

# The network directory (docs/network.md): every staff and partner role reads it, a few maintain it.
DIRECTORY_VIEW = "network.view_directory"
DIRECTORY_PERMS = [DIRECTORY_VIEW, "network.manage_directory"]

# Activating residents (issue 6, docs/volunteers.md, docs/consultation.md): staff who run the volunteer
# programme, see the rounds, handle odd-job requests and run door-to-door consultations.
RESIDENT_ACTIVATION_PERMS = [
    "volunteers.manage_programme",
    "rounds.view_rounds",
    "teams.manage_jobs",
    "consultation.run_consultation",
    "consultation.visit_doors",
    "consultation.view_results",
]
# What a Bewonerskracht does beyond reporting: walk rounds, work in a team, see the contacts staff shared.
VOLUNTEER_PERMS = ["rounds.walk_round", "teams.work_in_team", "network.view_shared_contacts"]

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
            "cases.manage_retention",
            *DIRECTORY_PERMS,
            "accounts.manage_partner_policies",
            *RESIDENT_ACTIVATION_PERMS,
        ],
    ),
    "complexbeheerder": (_("Complexbeheerder"), [*STAFF_REPORT_PERMS, DIRECTORY_VIEW, *RESIDENT_ACTIVATION_PERMS]),
    "wijkconsulent": (_("Wijkconsulent"), [*STAFF_REPORT_PERMS, "cases.work_on_cases", *CASE_SENSITIVE_PERMS,
                                                *DIRECTORY_PERMS, *RESIDENT_ACTIVATION_PERMS]),
    "regisseur-sociaal-beheer": (
        _("Regisseur sociaal beheer"),
        [*STAFF_REPORT_PERMS, *ARREARS_PERMS, "arrears.view_figures", "cases.work_on_cases", "cases.open_case",
         *CASE_SENSITIVE_PERMS, "cases.emergency_share", *DIRECTORY_PERMS, *RESIDENT_ACTIVATION_PERMS],
    ),
    # Rent collection: sees the financial picture of households (every view logged) and records the
    # legal steps; no report triage.
    "incasso-medewerker": (
        _("Medewerker huurincasso"),
        [*ARREARS_PERMS, "arrears.import_ledger", "cases.open_case", DIRECTORY_VIEW],
    ),
    "management": (_("Management"), ["arrears.view_figures", DIRECTORY_VIEW, "consultation.view_results"]),
    "bewonerskracht": (_("Bewonerskracht"), ["reports.file_volunteer_report", "oncall.request_help", *VOLUNTEER_PERMS]),
    "partner-medewerker": (
        _("Medewerker partnerorganisatie"),
        [*PARTNER_PERMS, "cases.take_part"],
    ),
    # A partner's own administrator: adds and deactivates the partner's accounts within the limits the
    # corporation set (accounts.PartnerUserPolicy, docs/accounts.md).
    "partner-beheerder": (
        _("Beheerder partnerorganisatie"),
        [*PARTNER_PERMS, "cases.take_part", "accounts.manage_own_users"],
    ),
    # Partner professionals in a case: they see special-category details only where their role needs
    # it *and* the resident's consent (or a reasoned emergency disclosure) covers it (docs/privacy.md).
    "zorgprofessional": (_("Zorgprofessional"), [*PARTNER_PERMS, "cases.take_part", "cases.view_care"]),
    "schuldhulpverlener": (_("Schuldhulpverlener"), [*PARTNER_PERMS, "cases.take_part", "cases.view_debt"]),
    "wijkteam-medewerker": (_("Medewerker wijkteam"), [*PARTNER_PERMS, "cases.take_part", *CASE_SENSITIVE_PERMS]),
    # The corporation's data protection officer: access requests, retention rules and legal holds.
    "privacy-officer": (
        _("Privacy officer / FG"), ["cases.answer_access_request", "cases.manage_retention"]
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


def roles_in(user, organisation_id: int) -> str:
    """The person's role(s) in an organisation, readable — written to the access log as the 'why'."""
    from .models import Membership

    names = sorted(Membership.objects.filter(user=user, organisation_id=organisation_id)
                   .values_list("role__name", flat=True))
    return ", ".join(role_label(n) for n in names)
