from django.contrib import admin

from accounts.admin import UserAdmin
from accounts.models import User

from .models import Agency, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "city", "is_active"]
    list_filter = ["kind", "is_active", "city"]
    search_fields = ["code", "name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "position", "is_active"]
    list_filter = ["role", "is_active", "agency"]
    search_fields = ["user__email", "user__full_name", "agency__code", "agency__name", "position"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]


# The user page shows the person's memberships; registered here so accounts never imports
# agencies (imports run one way).
admin.site.unregister(User)


@admin.register(User)
class UserWithMembershipsAdmin(UserAdmin):
    inlines = [MembershipInline]
