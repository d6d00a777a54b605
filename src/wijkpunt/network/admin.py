from django.contrib import admin

from wijkpunt.core.admin import OrganisationScopedAdmin

from .models import ContactPoint


@admin.register(ContactPoint)
class ContactPointAdmin(OrganisationScopedAdmin):
    organisation_field = "owner"
    list_display = ["name", "kind", "owner", "organisation", "phone_office_hours", "phone_out_of_hours", "is_active"]
    list_filter = ["kind", "is_active", "shared_with_volunteers"]
    search_fields = ["name", "handles"]
    filter_horizontal = ["neighbourhoods"]
