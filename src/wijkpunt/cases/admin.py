"""Admin: cases are shown as metadata only (reference, type, status, dates, lead), never their
content — no household, description, care or debt details, notes or documents. Those are read
through the case pages, where the policy applies and every read is logged. Scoped to the user's
own organisations (superusers excepted). The neighbourhood assignments of consultants are kept
here; retention rules on the privacy pages (/werk/privacy/), which check their range."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.admin import OrganisationScopedAdmin

from .models import Case, ConsultantArea

METADATA = ("reference", "organisation", "case_type", "status", "source", "created_at", "closed_on",
            "assigned_to", "legal_hold", "anonymised_at")


@admin.register(Case)
class CaseAdmin(OrganisationScopedAdmin):
    list_display = ("reference", "organisation", "case_type", "status", "assigned_to", "created_at", "closed_on")
    list_filter = ("status", "case_type", "organisation", "source", "legal_hold")
    search_fields = ("id",)
    fields = METADATA
    readonly_fields = METADATA
    list_select_related = ("organisation", "assigned_to")

    @admin.display(description=_("casus"))
    def reference(self, obj: Case) -> str:
        return obj.reference

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsultantArea)
class ConsultantAreaAdmin(OrganisationScopedAdmin):
    list_display = ("neighbourhood", "consultant", "organisation")
    list_filter = ("organisation",)
    autocomplete_fields = ("neighbourhood",)
    list_select_related = ("neighbourhood", "consultant", "organisation")
