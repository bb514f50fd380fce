"""Admin for printed documents: the document settings singleton, decrees with their annexes and
rendered files (read-only). Imported from ``workflows.admin``."""

from django.contrib import admin

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
    raw_id_fields = ("version",)


@admin.register(Decree)
class DecreeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "status", "updated_at")
    list_filter = ("status", "year")
    inlines = [DecreeAnnexInline]
    readonly_fields = ("created_at", "updated_at", "created_by", "updated_by")


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "done", "total", "pages", "created_at", "finished_at")
    list_filter = ("status",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
