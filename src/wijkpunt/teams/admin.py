"""Admin: teams and job requests, scoped to the user's own corporations (superusers excepted), like
every other organisation-owned model. Job requests are read-only metadata: no requester's name,
phone or e-mail (those are read on the job page, where each read is logged)."""

from django.contrib import admin

from wijkpunt.core.admin import OrganisationScopedAdmin
from wijkpunt.volunteers.models import Programme, Volunteer

from .models import JobRequest, Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0
    raw_id_fields = ["volunteer"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "volunteer" and not request.user.is_superuser:
            kwargs["queryset"] = Volunteer.objects.filter(
                programme__corporation__in=OrganisationScopedAdmin.member_orgs(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    list_display = ["name", "kind", "corporation", "is_active"]
    list_filter = ["kind", "is_active", "corporation"]
    search_fields = ["name"]
    filter_horizontal = ["neighbourhoods"]
    inlines = [TeamMemberInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme" and not request.user.is_superuser:
            kwargs["queryset"] = Programme.objects.filter(corporation__in=self.member_orgs(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(JobRequest)
class JobRequestAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    # No requester's name, phone or e-mail: those are read on the job page (access log).
    list_display = ["reference", "kind", "corporation", "team", "status", "created_at", "done_on"]
    list_filter = ["kind", "status", "corporation"]
    list_select_related = ["corporation", "team"]
    fields = ["corporation", "kind", "team", "unit", "status", "planned_for", "done_on", "hours", "created_at",
              "closed_at", "contact_purged_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # every step goes through services.job_transition (history, mails)
