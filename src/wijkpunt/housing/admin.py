"""Admin for the register of homes and tenants. Verbose names come from the models."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkpunt.core.admin import OrganisationScopedAdmin
from wijkpunt.core.validators import POSTCODE_RE, format_postcode, normalise_postcode

from .models import Complex, Household, Municipality, Neighbourhood, Tenancy, Unit


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "district_name", "district_code", "municipality"]
    list_filter = ["municipality"]
    list_select_related = ["municipality"]
    search_fields = ["name", "code", "district_name", "district_code"]
    autocomplete_fields = ["municipality"]


@admin.register(Complex)
class ComplexAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    list_display = ["code", "name", "neighbourhood", "corporation", "unit_count"]
    list_filter = ["corporation", "neighbourhood__municipality"]
    list_select_related = ["neighbourhood__municipality", "corporation"]
    search_fields = ["code", "name", "neighbourhood__name"]
    autocomplete_fields = ["corporation", "neighbourhood"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_unit_count=Count("units"))

    @admin.display(description=_("eenheden"), ordering="_unit_count")
    def unit_count(self, obj: Complex) -> int:
        return obj._unit_count


class TenancyInline(admin.TabularInline):
    model = Tenancy
    extra = 0
    fields = ["contract_number", "household", "unit", "start_date", "end_date", "monthly_rent"]
    autocomplete_fields = ["household", "unit"]
    show_change_link = True
    ordering = ["-start_date"]


class OccupancyFilter(admin.SimpleListFilter):
    title = _("bewoning")
    parameter_name = "bewoning"

    def lookups(self, request, model_admin):
        return [("bewoond", _("bewoond")), ("leeg", _("leegstaand"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        current = Q(tenancies__start_date__lte=today) & (
            Q(tenancies__end_date__isnull=True) | Q(tenancies__end_date__gte=today)
        )
        occupied = Unit.objects.filter(current).values("pk")
        if self.value() == "bewoond":
            return queryset.filter(pk__in=occupied)
        if self.value() == "leeg":
            return queryset.exclude(pk__in=occupied)
        return queryset


@admin.register(Unit)
class UnitAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    list_display = ["code", "street", "house_number_display", "postcode_display", "city", "kind", "complex",
                    "neighbourhood", "bag_id"]
    list_filter = ["kind", OccupancyFilter, "corporation", "neighbourhood__municipality", "city"]
    list_select_related = ["complex", "neighbourhood"]
    search_fields = ["code", "street", "postcode", "bag_id", "complex__name", "complex__code"]
    autocomplete_fields = ["corporation", "complex", "neighbourhood"]
    inlines = [TenancyInline]
    fieldsets = (
        (None, {"fields": ("corporation", "code", "kind", "complex", "neighbourhood")}),
        (_("adres"), {"fields": ("street", "house_number", "house_letter", "house_number_addition", "postcode",
                                 "city", "bag_id", "latitude", "longitude")}),
    )

    @admin.display(description=_("huisnummer"), ordering="house_number")
    def house_number_display(self, obj: Unit) -> str:
        return obj.house_number_full

    @admin.display(description=_("postcode"), ordering="postcode")
    def postcode_display(self, obj: Unit) -> str:
        return format_postcode(obj.postcode)

    def get_search_results(self, request, queryset, search_term):
        # "3701 SR" is stored as "3701SR": search for the normalised postcode as well
        candidate = normalise_postcode(search_term)
        if POSTCODE_RE.match(candidate):
            return queryset.filter(postcode=candidate), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Household)
class HouseholdAdmin(OrganisationScopedAdmin):
    organisation_field = "corporation"
    list_display = ["name", "composition", "size", "contact_phone", "contact_email", "corporation"]
    list_filter = ["composition", "size", "corporation"]
    list_select_related = ["corporation"]
    search_fields = ["name", "contact_email", "contact_phone", "tenancies__contract_number"]
    autocomplete_fields = ["corporation"]
    inlines = [TenancyInline]


class CurrentTenancyFilter(admin.SimpleListFilter):
    title = _("looptijd")
    parameter_name = "looptijd"

    def lookups(self, request, model_admin):
        return [("lopend", _("lopend")), ("beeindigd", _("beëindigd"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        running = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        if self.value() == "lopend":
            return queryset.filter(running)
        if self.value() == "beeindigd":
            return queryset.filter(end_date__lt=today)
        return queryset


@admin.register(Tenancy)
class TenancyAdmin(OrganisationScopedAdmin):
    organisation_field = "unit__corporation"
    list_display = ["contract_number", "household", "unit", "start_date", "end_date", "monthly_rent"]
    list_filter = [CurrentTenancyFilter, "unit__kind", "household__composition", "unit__corporation"]
    list_select_related = ["household", "unit"]
    search_fields = ["contract_number", "household__name", "unit__code", "unit__street", "unit__postcode"]
    autocomplete_fields = ["unit", "household"]
    date_hierarchy = "start_date"
