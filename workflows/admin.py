"""Admin for SOPs, their versions (content editable only while a draft; publishing through
``workflows.versions.publish``) and tasks (read-only: only the engine moves them)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Sop, SopPerformer, SopStep, SopVersion, SopVersionLocked, Task
from .validation import InvalidSop
from .versions import publish

VERSION_STATE_FIELDS = (
    "status",
    "created_at",
    "created_by",
    "published_at",
    "published_by",
    "superseded_at",
)


class _DraftOnlyInline:
    """An inline on a version page: editable while the version is a draft, read-only after."""

    def _editable(self, obj) -> bool:
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


class SopPerformerInline(_DraftOnlyInline, admin.TabularInline):
    model = SopPerformer
    extra = 0
    fields = ["position", "key", "title", "role", "agency", "for_technical"]
    autocomplete_fields = ["agency"]


class SopStepInline(_DraftOnlyInline, admin.StackedInline):
    model = SopStep
    extra = 0
    fields = [
        ("no", "symbol", "action"),
        "activity",
        "performer",
        ("duration_value", "duration_unit"),
        ("next_no", "yes_no", "no_no"),
        "requirements",
        "output",
        "notes",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        performer = formset.form.base_fields.get("performer")
        if performer is not None:
            # A step's performer is one of the columns of the same version.
            performer.queryset = (
                SopPerformer.objects.filter(version=obj) if obj else (SopPerformer.objects.none())
            )
        return formset


class SopVersionInline(admin.TabularInline):
    model = SopVersion
    extra = 0
    fields = ["version", "status", "number", "name", "effective_on", "published_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Sop)
class SopAdmin(admin.ModelAdmin):
    list_display = ["code", "created_at"]
    search_fields = ["code", "versions__name", "versions__number"]
    readonly_fields = ["created_at"]
    inlines = [SopVersionInline]


@admin.register(SopVersion)
class SopVersionAdmin(admin.ModelAdmin):
    list_display = ["sop", "version", "name", "status", "effective_on", "published_at"]
    list_filter = ["status", "effective_on"]
    search_fields = ["sop__code", "name", "number"]
    list_select_related = ["sop"]
    autocomplete_fields = ["sop"]
    inlines = [SopPerformerInline, SopStepInline]
    actions = ["publish_versions"]
    fieldsets = (
        (None, {"fields": ("sop", "version", "status")}),
        (
            _("Identity"),
            {
                "fields": (
                    "number",
                    "name",
                    ("made_on", "revised_on", "effective_on"),
                    ("approved_by_position", "approved_by_name", "approved_by_nip"),
                )
            },
        ),
        (
            _("Identity lists"),
            {
                "fields": (
                    "legal_basis",
                    "related",
                    "warnings",
                    "qualifications",
                    "equipment",
                    "records",
                )
            },
        ),
        (
            _("History"),
            {
                "fields": (
                    "created_at",
                    "created_by",
                    "published_at",
                    "published_by",
                    "superseded_at",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_draft:
            return ("sop", "version", *SopVersion.CONTENT_FIELDS, *VERSION_STATE_FIELDS)
        if obj is not None:
            return ("sop", "version", *VERSION_STATE_FIELDS)
        return VERSION_STATE_FIELDS

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected draft versions"), permissions=["change"])
    def publish_versions(self, request, queryset) -> None:
        published = 0
        for version in queryset.select_related("sop"):
            try:
                publish(version, by=request.user)
            except SopVersionLocked:
                self.message_user(
                    request,
                    _("%(version)s is not a draft; only a draft can be published.")
                    % {"version": version},
                    messages.ERROR,
                )
            except InvalidSop as exc:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(count)d problem(s).")
                    % {"version": version, "count": len(exc.problems)},
                    messages.ERROR,
                )
                for problem in exc.problems:
                    self.message_user(request, str(problem), messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext("%(count)d version published.", "%(count)d versions published.", published)
                % {"count": published},
                messages.SUCCESS,
            )


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    """Read-only: tasks change only through the engine's transition functions."""

    list_display = ["application", "step", "role", "agency", "assignee", "status", "due_at"]
    list_filter = ["status", "role", "agency", "opened_at"]
    search_fields = [
        "application__tracking_number",
        "step__activity",
        "assignee__email",
        "assignee__full_name",
        "agency__code",
    ]
    list_select_related = ["application", "step", "agency", "assignee"]
    date_hierarchy = "opened_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# Decree, document and working-calendar models register their admin in their own modules.
from . import admin_calendar, admin_documents  # noqa: E402, F401
