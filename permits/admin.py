"""Admin for the service catalogue and applications, with the SOP JSON import page and the
per-version JSON download (both through ``permits.interchange``)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

import workflows.admin  # noqa: F401  (registers SopVersionAdmin before we extend it below)
from sop_portal.admin_base import ReadOnlyModelAdmin
from workflows.admin import SopVersionAdmin
from workflows.models import SopVersion

from . import application_data
from .interchange import InvalidDocument, export_document, import_document, load_document
from .models import (
    Application,
    DocumentAccess,
    IssuedDocument,
    PaymentChannel,
    Requirement,
    Service,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class ImportSopForm(forms.Form):
    file = forms.FileField(
        label=_("SOP document (JSON, format sop-portal/1)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    publish = forms.BooleanField(
        label=_("Publish the imported version (it replaces the published one)"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        return upload


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["position", "code", "name", "mandatory", "formats"]


class ServiceForm(forms.ModelForm):
    """The service's edit form: its declared application fields are checked by the same rule
    as the importer's (``permits.application_data.declaration_problems``)."""

    class Meta:
        model = Service
        fields = ["application_fields"]  # the admin adds its fieldsets' fields

    def clean_application_fields(self):
        declared = self.cleaned_data.get("application_fields") or []
        problems = application_data.declaration_problems(declared)
        if problems:
            raise forms.ValidationError(
                [f"application_fields{path}: {message}" for path, message in problems]
            )
        return application_data.normal_declaration(declared)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    form = ServiceForm
    list_display = ["code", "name", "kind", "sector", "is_active"]
    list_filter = ["kind", "sector", "technical_agencies", "is_active"]
    search_fields = ["code", "name", "sector"]
    filter_horizontal = ["technical_agencies"]
    autocomplete_fields = ["sop"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [RequirementInline]
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "sector", "description", "is_active", "sop")}),
        (_("Technical agencies"), {"fields": ("technical_agencies",)}),
        (_("Application form"), {"fields": ("application_fields",)}),
        (
            _("Service standard"),
            {
                "fields": (
                    ("service_time_value", "service_time_unit"),
                    ("fee_amount", "fee_currency"),
                    "fee_basis",
                    "product",
                    "legal_basis",
                    "standard_procedure",
                    "standard_complaints",
                    "standard_facilities",
                    "standard_competence",
                    "standard_supervision",
                    "standard_staffing",
                    "standard_guarantee",
                    "standard_security",
                    "standard_evaluation",
                )
            },
        ),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    # A service with applications is part of their record (``Application.service`` protects
    # it): it is deactivated, never deleted, and the admin says so instead of failing.
    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.applications.exists():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                ServiceAdmin.delete_unused,
                "delete_selected",
                actions["delete_selected"][2],
            )
        return actions

    def delete_unused(self, request, queryset):
        """The bulk delete, refused whole when any selected service has applications."""
        used = list(queryset.filter(applications__isnull=False).distinct())
        if used:
            self.message_user(
                request,
                _(
                    "Nothing was deleted: %(services)s still have applications. Deactivate a "
                    "service instead of deleting it."
                )
                % {"services": ", ".join(s.code for s in used)},
                messages.ERROR,
            )
            return None
        return delete_selected(self, request, queryset)

    def delete_view(self, request, object_id, extra_context=None):
        service = self.get_object(request, object_id)
        if service is not None and service.applications.exists():
            self.message_user(
                request,
                _("%(service)s has applications and cannot be deleted; deactivate it instead.")
                % {"service": service.code},
                messages.ERROR,
            )
            return redirect("admin:permits_service_change", service.pk)
        return super().delete_view(request, object_id, extra_context)

    def get_urls(self):
        urls = [
            path(
                "import-sop/",
                self.admin_site.admin_view(self.import_sop_view),
                name="permits_service_import_sop",
            )
        ]
        return urls + super().get_urls()

    def can_import(self, request: HttpRequest) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import_sop": self.can_import(request)}
        return super().changelist_view(request, extra_context)

    def import_sop_view(self, request: HttpRequest) -> HttpResponse:
        """Upload one document; on success a message and back to the list, on failure every
        problem on the page and nothing written."""
        if not self.can_import(request):
            raise PermissionDenied
        problems = []
        posted = request.method == "POST"
        form = ImportSopForm(request.POST, request.FILES) if posted else ImportSopForm()
        if posted and form.is_valid():
            try:
                version = import_document(
                    load_document(form.cleaned_data["file"].read()),
                    actor=request.user,
                    publish=form.cleaned_data["publish"],
                )
            except InvalidDocument as exc:
                problems = exc.problems
            else:
                self.message_user(
                    request,
                    _("Imported %(code)s: SOP version %(version)d (%(status)s).")
                    % {
                        "code": version.sop.code,
                        "version": version.version,
                        "status": version.get_status_display(),
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:permits_service_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import SOP (JSON)"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/permits/service/import_sop.html", context)


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["service", "position", "code", "name", "mandatory"]
    list_filter = ["mandatory", "service__sector", "service"]
    search_fields = ["code", "name", "service__code", "service__name"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyModelAdmin):
    """Read-only: applications move only through the engine's transition functions."""

    list_display = ["__str__", "service", "applicant", "status", "submitted_at", "created_at"]
    list_filter = ["status", "service"]
    search_fields = ["tracking_number", "applicant__email", "applicant__full_name"]
    list_select_related = ["service", "applicant"]
    date_hierarchy = "created_at"


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyModelAdmin):
    """Read-only: a permit or letter is issued, suspended and revoked only by permits actions."""

    list_display = ["number", "kind", "holder_name", "service_name", "issued_at", "status"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "holder_name", "application__tracking_number"]
    list_select_related = ["application"]
    # The signed file is served through its access-checked download, never by a storage URL.
    exclude = ["verification_token", "file"]


@admin.register(DocumentAccess)
class DocumentAccessAdmin(ReadOnlyModelAdmin):
    """Read-only: who opened which application file (``permits.access_log``), with the name
    the applicant's page leaves out."""

    list_display = ["at", "application", "viewer_name", "viewer_role", "file_kind", "file_name"]
    list_filter = ["file_kind", "door", "viewer_role"]
    search_fields = ["application__tracking_number", "viewer_name", "file_name"]
    list_select_related = ["application"]
    date_hierarchy = "at"


# The version admin gains a "Download JSON" link here, where the whole document (service +
# SOP) is known; registered here so that workflows never imports permits (imports run one way).
admin.site.unregister(SopVersion)


@admin.register(SopVersion)
class SopVersionWithDownloadAdmin(SopVersionAdmin):
    list_display = [*SopVersionAdmin.list_display, "download_link"]
    list_select_related = ["sop", "sop__service"]

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="workflows_sopversion_download",
            )
        ]
        return urls + super().get_urls()

    @admin.display(description=_("JSON"))
    def download_link(self, obj: SopVersion) -> str:
        if not hasattr(obj.sop, "service"):
            return "-"
        url = reverse("admin:workflows_sopversion_download", args=[obj.pk])
        return format_html('<a href="{}" download>{}</a>', url, _("Download JSON"))

    def download_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        version = get_object_or_404(SopVersion.objects.select_related("sop"), pk=object_id)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        try:
            document = export_document(version)
        except Service.DoesNotExist as exc:
            raise Http404(_("This SOP belongs to no service.")) from exc
        response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
        filename = f"{version.sop.code}-v{version.version}.json"
        response["Content-Disposition"] = f"attachment; filename={filename}"
        return response


@admin.register(PaymentChannel)
class PaymentChannelAdmin(admin.ModelAdmin):
    """The channels and instructions printed on every bill."""

    list_display = ["name", "account", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name", "account"]
