"""Admin: cases and notes read-only (they are changed through the pages, with their checks);
the neighbourhood assignments of consultants are kept here."""

from django.contrib import admin

from .models import Case, CaseNote, ConsultantArea


class CaseNoteInline(admin.TabularInline):
    model = CaseNote
    extra = 0
    can_delete = False
    fields = ("created_at", "author", "is_closing", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "assigned_to", "created_at", "closed_on")
    list_filter = ("status", "organisation", "source")
    search_fields = ("title",)
    readonly_fields = ("organisation", "household", "title", "reasons", "source", "status", "closed_on",
                       "assigned_to", "opened_by", "created_at")
    inlines = [CaseNoteInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ConsultantArea)
class ConsultantAreaAdmin(admin.ModelAdmin):
    list_display = ("neighbourhood", "consultant", "organisation")
    list_filter = ("organisation",)
    autocomplete_fields = ("neighbourhood",)
    list_select_related = ("neighbourhood", "consultant", "organisation")
