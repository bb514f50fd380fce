"""Admin of survey responses and complaints (for administrators; staff work on the portal's
own pages, where every change goes through an audited transition)."""

from django.contrib import admin

from .models import Complaint, ComplaintReply, SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "service", "channel", "answered_on", "u1", "u5", "u9"]
    list_filter = ["channel", "service"]
    date_hierarchy = "answered_on"
    readonly_fields = ["application", "respondent", "entered_by", "created_at"]


class ReplyInline(admin.TabularInline):
    model = ComplaintReply
    extra = 0
    can_delete = False
    fields = ["created_at", "is_public", "author_unit", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: status, assignment and replies change only through ``feedback.complaints``."""

    list_display = ["number", "category", "status", "assigned_agency", "received_at", "due_at"]
    list_filter = ["status", "category", "assigned_agency"]
    search_fields = ["number", "text"]
    inlines = [ReplyInline]
    exclude = ["access_code_hash"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
