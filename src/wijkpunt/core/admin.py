"""Admin for organisations, people and their roles. Verbose names come from the models."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ClosedDay, Membership, OfficeHours, Organisation, OutboxMessage, Team, User


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Non-superusers see and edit only rows of the organisations they are a member of: Django's
    model permissions (``user.groups``) are global, memberships are per organisation."""

    organisation_field = "organisation"

    @staticmethod
    def member_orgs(request):
        return Membership.objects.filter(user=request.user, organisation__is_active=True).values("organisation_id")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.organisation_field}__in": self.member_orgs(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.organisation_field and not request.user.is_superuser:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=self.member_orgs(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["created_at"]


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoonlijke gegevens"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("Rechten"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Belangrijke data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email", "phone", "password1", "password2"),
            },
        ),
    )
    list_display = ["username", "get_full_name", "email", "phone", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role", "memberships__organisation"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    inlines = [MembershipInline]

    @admin.display(description=_("naam"), ordering="last_name")
    def get_full_name(self, obj: User) -> str:
        return obj.get_full_name()


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0


class ClosedDayInline(admin.TabularInline):
    model = ClosedDay
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "partner_type", "municipality_code", "email", "is_active"]
    list_filter = ["kind", "partner_type", "is_active"]
    search_fields = ["name", "slug", "municipality_code", "email"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline, OfficeHoursInline, ClosedDayInline, OrganisationMembershipInline]


@admin.register(Team)
class TeamAdmin(OrganisationScopedAdmin):
    list_display = ["name", "slug", "organisation"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "slug", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["members"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind", "organisation"]
    list_select_related = ["user", "organisation", "role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(OfficeHours)
class OfficeHoursAdmin(OrganisationScopedAdmin):
    list_display = ["organisation", "weekday", "opens", "closes"]
    list_filter = ["organisation", "weekday"]
    list_select_related = ["organisation"]


@admin.register(ClosedDay)
class ClosedDayAdmin(OrganisationScopedAdmin):
    list_display = ["date", "organisation", "reason"]
    list_filter = ["organisation"]
    list_select_related = ["organisation"]
    date_hierarchy = "date"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by services and delivered by the worker."""

    list_display = ["created_at", "channel", "recipient", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "subject", "idempotency_key"]
    date_hierarchy = "created_at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser  # every corporation's reporters' addresses and texts

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
