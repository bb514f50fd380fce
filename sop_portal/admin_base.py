"""Shared admin pieces: a read-only model admin for the objects that change only through their
domain functions (applications, tasks, issued documents, the audit log)."""

from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Lists and shows, never adds, changes or deletes: the object has its own transition
    functions (and their audit), which the admin must not go around."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
