"""Admin for printed documents: the document settings singleton, decrees (saved through
:mod:`workflows.decrees`, so every change is audited; annexes read-only here, chosen on the
decree's page) and rendered files (read-only). Imported from ``workflows.admin``."""

from django.contrib import admin

from . import decrees
from .models import Decree, DecreeAnnex, DocumentSettings, RenderedDocument


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "unit_name", "rows_per_page", "orientation", "updated_at")

    def has_add_permission(self, request) -> bool:
        return not DocumentSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DecreeAnnexInline(admin.TabularInline):
    model = DecreeAnnex
    extra = 0
    can_delete = False
    fields = readonly_fields = ("position", "version")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decree)
class DecreeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "status", "updated_at")
    list_filter = ("status", "year")
    inlines = [DecreeAnnexInline]
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            decrees.update_decree(obj, {f: data[f] for f in form.changed_data}, by=request.user)
        else:
            fields = {f: data[f] for f in (*decrees.EDITABLE_FIELDS, "status") if f in data}
            saved = decrees.new_decree(by=request.user, **fields)
            obj.pk = saved.pk
            obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a decree is a legal record: reopen it as a draft instead


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "done", "total", "pages", "created_at", "finished_at")
    list_filter = ("status",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
