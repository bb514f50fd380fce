from django.contrib import admin

from .models import AuditEntry, WorkerHeartbeat


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "object_type", "object_repr", "actor"]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["action", "object_repr", "object_id", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    search_fields = ["hostname"]
    list_filter = ["seen_at"]
