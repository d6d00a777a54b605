"""Admin: partner policies, scoped to the corporations the user is a member of (like core's admin)."""

from __future__ import annotations

from django.contrib import admin

from wijkpunt.core.admin import OrganisationScopedAdmin

from .models import PartnerUserPolicy


@admin.register(PartnerUserPolicy)
class PartnerUserPolicyAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    list_display = ["partner", "corporation", "max_users", "valid_until"]
    list_filter = ["corporation"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["allowed_roles"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
