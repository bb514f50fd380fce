from django.contrib import admin

from .admin_base import ReadOnlyModelAdmin
from .models import AuditEntry, WorkerHeartbeat


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["created_at", "action", "object_type", "object_repr", "actor"]
    list_filter = ["action", "object_type", "created_at"]
    search_fields = ["action", "object_repr", "object_id", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    search_fields = ["hostname"]
    list_filter = ["seen_at"]
