"""Admin of the working calendar: office hours, per-year switches and dated exceptions. Saves
and deletes go through :mod:`workflows.calendar_changes`, which carries the deadlines of running
steps over to the new calendar and audits the change with the deadlines it moved."""

from django.contrib import admin

from . import calendar_changes
from .models import CalendarException, CalendarYear, OfficeHours


class CalendarAdmin(admin.ModelAdmin):
    """Saves and deletes are calendar changes (audited, running clocks recomputed)."""

    def save_model(self, request, obj, form, change):
        calendar_changes.save_row(obj, by=request.user)

    def delete_model(self, request, obj):
        calendar_changes.delete_rows([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        calendar_changes.delete_rows(queryset, by=request.user)


@admin.register(OfficeHours)
class OfficeHoursAdmin(CalendarAdmin):
    list_display = ["weekday", "is_open", "opens", "break_starts", "break_ends", "closes"]


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdmin):
    list_display = ["year", "cuti_bersama_closes"]


@admin.register(CalendarException)
class CalendarExceptionAdmin(CalendarAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
