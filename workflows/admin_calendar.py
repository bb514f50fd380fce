"""Admin of the working calendar: office hours, per-year switches and dated exceptions. A change
carries the deadlines of running steps over to the new calendar."""

from django.contrib import admin

from . import calendar, clocks
from .models import CalendarException, CalendarYear, OfficeHours


class CalendarAdmin(admin.ModelAdmin):
    """Saves and deletes recompute the running clocks from now on."""

    def _recomputing(self, change):
        old = calendar.build()
        change()
        calendar.invalidate()
        clocks.recompute_running(old, calendar.current())

    def save_model(self, request, obj, form, change):
        self._recomputing(lambda: super(CalendarAdmin, self).save_model(request, obj, form, change))

    def delete_model(self, request, obj):
        self._recomputing(lambda: super(CalendarAdmin, self).delete_model(request, obj))

    def delete_queryset(self, request, queryset):
        self._recomputing(lambda: super(CalendarAdmin, self).delete_queryset(request, queryset))


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
