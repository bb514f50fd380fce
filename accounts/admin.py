"""Admin of the portal's users, with their recorded privacy-notice consents."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import lockout, second_factor
from .models import Consent, User


class ConsentInline(admin.TabularInline):
    """The privacy-notice consents of an account: a record, never edited."""

    model = Consent
    extra = 0
    can_delete = False
    readonly_fields = ["notice_version", "given_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ConsentInline]
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role"]
    search_fields = ["email", "full_name", "nip", "phone"]
    actions = ["unlock_sign_in", "reset_second_factor"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "phone", "nip", "nik", "email_verified")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )

    @admin.action(description=_("Unlock signing in (failed attempts forgotten)"))
    def unlock_sign_in(self, request, queryset) -> None:
        for user in queryset:
            lockout.unlock(email=user.email, actor=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reset the second factor (a lost phone)"))
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            second_factor.reset(
                user, actor=request.user, reason=str(_("Reset by an administrator"))
            )
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d second factor reset: the next sign-in sets it up again.",
                "%(count)d second factors reset: the next sign-in sets them up again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
