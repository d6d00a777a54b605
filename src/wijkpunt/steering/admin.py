from django.contrib import admin

from .models import AgendaItem, Meeting, SteeringGroup


@admin.register(SteeringGroup)
class SteeringGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "is_active"]
    list_filter = ["is_active", "organisation"]
    search_fields = ["name"]
    filter_horizontal = ["neighbourhoods", "member_organisations"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    # No case titles, questions or decisions here: those are read on the meeting page (access log).
    fields = ["order", "reference", "decided_at", "decided_by"]
    readonly_fields = ["reference", "decided_at", "decided_by"]
    can_delete = False

    @admin.display(description="casus")
    def reference(self, obj):
        return f"C-{obj.case_id:06d}"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "date", "location", "status", "minutes_published_at"]
    list_filter = ["status", "group"]
    date_hierarchy = "date"
    exclude = ["minutes"]
    readonly_fields = ["minutes_published_at", "minutes_published_by", "created_by", "created_at"]
    inlines = [AgendaItemInline]
