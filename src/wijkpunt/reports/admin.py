from django.contrib import admin

from wijkpunt.core.admin import OrganisationScopedAdmin

from .models import Category, Report, ReportEvent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "default_urgency", "handling_days", "default_team",
                    "default_partner", "vera_code", "is_active"]
    list_filter = ["parent", "default_urgency", "is_active"]
    search_fields = ["name", "slug"]
    list_editable = ["default_urgency", "handling_days", "is_active"]
    ordering = ["parent__position", "position"]


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor_label", "from_status", "to_status", "text", "is_public", "created_at"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(OrganisationScopedAdmin):
    """Read-only: every change goes through the work queue's locked write path."""

    list_display = ["reference", "organisation", "category", "urgency", "status", "created_at", "deadline"]
    list_filter = ["status", "urgency", "main_category", "channel"]
    search_fields = ["reference"]
    inlines = [ReportEventInline]
    exclude = ["reporter_name", "reporter_phone", "reporter_email", "tracking_token"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
