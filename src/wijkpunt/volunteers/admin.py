"""Admin of the volunteer programme. Non-superusers see only rows of the corporations they are a
member of (``core.admin.OrganisationScopedAdmin``): candidates' and volunteers' contact details and
meeting notes of another corporation stay out of sight, also in the programme drop-downs."""

from django.contrib import admin

from wijkpunt.core.admin import OrganisationScopedAdmin

from .models import (
    Candidate,
    MonthlyMeeting,
    Programme,
    Thanks,
    TrainingTrack,
    Volunteer,
    VolunteerChange,
    Workshop,
)


class ProgrammeScopedAdmin(OrganisationScopedAdmin):
    """Rows reached through their programme; the programme, candidate and volunteer choices are
    scoped too (also when typed as a raw id)."""

    organisation_field = "programme__corporation"
    programme_field = "programme"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            orgs = self.member_orgs(request)
            if db_field.name == self.programme_field:
                kwargs["queryset"] = Programme.objects.filter(corporation__in=orgs)
            elif db_field.name == "candidate":
                kwargs["queryset"] = Candidate.objects.filter(programme__corporation__in=orgs)
            elif db_field.name == "volunteer":
                kwargs["queryset"] = Volunteer.objects.filter(programme__corporation__in=orgs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Programme)
class ProgrammeAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    list_display = ["name", "corporation", "neighbourhood", "target_size", "is_active"]
    list_filter = ["is_active", "corporation"]
    search_fields = ["name", "neighbourhood__name"]
    raw_id_fields = ["coordinator"]


@admin.register(Candidate)
class CandidateAdmin(ProgrammeScopedAdmin):
    list_display = ["__str__", "programme", "how_found", "status", "nominated_at"]
    list_filter = ["status", "how_found"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["nominated_by", "decided_by"]
    readonly_fields = ["purged_at"]  # set by the retention purge (retention.py)


class VolunteerChangeInline(admin.TabularInline):
    """The history of ending and restarting (written by the volunteer's page, ``ending.py``)."""

    model = VolunteerChange
    extra = 0
    can_delete = False
    fields = ["kind", "on", "reason", "by", "at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Volunteer)
class VolunteerAdmin(ProgrammeScopedAdmin):
    list_display = ["__str__", "programme", "started_on", "ended_on"]
    raw_id_fields = ["user", "candidate"]
    # Ending also removes the role, teams and planned rounds: only on the volunteer's page ("Stoppen").
    readonly_fields = ["ended_on", "end_reason"]
    inlines = [VolunteerChangeInline]


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 0


@admin.register(TrainingTrack)
class TrainingTrackAdmin(ProgrammeScopedAdmin):
    list_display = ["name", "programme"]
    inlines = [WorkshopInline]


@admin.register(MonthlyMeeting)
class MonthlyMeetingAdmin(ProgrammeScopedAdmin):
    list_display = ["programme", "month", "starts_at", "status"]
    list_filter = ["status"]
    # The agenda (reports) is read on the meeting page, not here.
    exclude = ["attendees"]


@admin.register(Thanks)
class ThanksAdmin(ProgrammeScopedAdmin):
    organisation_field = "volunteer__programme__corporation"
    list_display = ["volunteer", "sent_at", "sent_by"]
    raw_id_fields = ["volunteer", "sent_by"]
