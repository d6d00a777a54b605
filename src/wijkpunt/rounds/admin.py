from django.contrib import admin

from .models import Round, RoundCheck, RoundReport


class RoundCheckInline(admin.TabularInline):
    model = RoundCheck
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["planned_for", "route", "volunteer", "partner", "status"]
    list_filter = ["status", "programme"]
    raw_id_fields = ["volunteer", "partner", "programme"]
    filter_horizontal = ["complexes"]
    inlines = [RoundCheckInline]


@admin.register(RoundReport)
class RoundReportAdmin(admin.ModelAdmin):
    list_display = ["report", "round", "created_at"]
    raw_id_fields = ["report", "round"]
