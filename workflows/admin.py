"""Admin for SOPs, their versions and tasks. A version's content is editable only while a
draft (through :func:`workflows.editor.update_identity`, and audited step and performer edits);
published and superseded versions are read-only; review goes through
:mod:`workflows.versions` (submit, then approve and publish: never a publish without review).
Tasks are read-only: only the engine moves them."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sop_portal import audit
from sop_portal.admin_base import ReadOnlyModelAdmin

from . import editor, versions
from .models import Sop, SopPerformer, SopStep, SopVersion, Task
from .validation import InvalidSop

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
    actions = ["submit_versions", "approve_versions"]
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

    def has_add_permission(self, request) -> bool:
        # A version starts as a copy of the newest one (the editor's "new draft", which keeps
        # one open draft per SOP) or from an import; never as a free-form admin row.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        changes = {
            f: form.cleaned_data[f] for f in form.changed_data if f in SopVersion.CONTENT_FIELDS
        }
        if changes:
            editor.update_identity(obj, changes, by=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        """Performer and step edits of a draft: saved, then recorded in one audit entry."""
        super().save_formset(request, form, formset, change)
        parts = {
            "added": [str(o) for o in formset.new_objects],
            "changed": [str(o) for o, _fields in formset.changed_objects],
            "deleted": [str(o) for o in formset.deleted_objects],
        }
        if any(parts.values()):
            audit.record(
                f"workflows.sop_version.{formset.model._meta.model_name}s_edited",
                form.instance,
                actor=request.user,
                after=parts,
            )

    def delete_model(self, request, obj) -> None:
        versions.delete_draft(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for version in queryset.select_related("sop"):
            try:
                versions.delete_draft(version, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)

    def _each(self, request, queryset, transition, done_message) -> None:
        done = 0
        for version in queryset.select_related("sop"):
            try:
                transition(version)
            except InvalidSop as exc:
                self.message_user(
                    request,
                    _("%(version)s was not changed: %(count)d problem(s).")
                    % {"version": version, "count": len(exc.problems)},
                    messages.ERROR,
                )
                for problem in exc.problems:
                    self.message_user(request, str(problem), messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Submit the selected drafts for review"), permissions=["change"])
    def submit_versions(self, request, queryset) -> None:
        self._each(
            request,
            queryset,
            lambda v: versions.submit_for_review(v, by=request.user),
            lambda n: (
                ngettext(
                    "%(count)d version submitted for review.",
                    "%(count)d versions submitted for review.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Approve and publish the selected versions in review (from their date)"),
        permissions=["change"],
    )
    def approve_versions(self, request, queryset) -> None:
        """The reviewer's approval, for versions in review that carry their effective date; a
        version without one is approved on its review page, where the date is given."""

        def approve(version):
            if version.effective_on is None:
                raise ValidationError(
                    _("give the effective date on its review page to approve it.")
                )
            versions.approve_and_publish(
                version, by=request.user, effective_on=version.effective_on
            )

        self._each(
            request,
            queryset,
            approve,
            lambda n: (
                ngettext("%(count)d version published.", "%(count)d versions published.", n)
                % {"count": n}
            ),
        )


@admin.register(Task)
class TaskAdmin(ReadOnlyModelAdmin):
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


# Decree, document and working-calendar models register their admin in their own modules.
from . import admin_calendar, admin_documents  # noqa: E402, F401
