"""Admin for printed documents: the document settings singleton, decrees (saved through
:mod:`workflows.decrees`, so every change is audited; annexes read-only here, chosen on the
decree's page) and rendered files (read-only). Imported from ``workflows.admin``."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from . import decrees
from .models import Decree, DecreeAnnex, DocumentSettings, RenderedDocument

LOGO_FORMATS = ("png", "jpg")  # SVG can carry scripts: refused like at every other door


class DocumentSettingsForm(forms.ModelForm):
    """The logo goes through the portal's one upload check (``permits.uploads``)."""

    class Meta:
        model = DocumentSettings
        fields = ["logo", "government", "unit_name", "rows_per_page", "orientation"]
        help_texts = {
            "logo": _("Printed on SOP identity pages and the decree letterhead; PNG or JPEG.")
        }

    def clean_logo(self):
        from permits.uploads import validate_upload  # workflows does not import permits at load

        logo = self.cleaned_data.get("logo")
        if isinstance(logo, UploadedFile):  # a new file, not the one already kept
            validate_upload(logo, formats=LOGO_FORMATS)
        return logo


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    form = DocumentSettingsForm
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
