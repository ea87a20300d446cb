from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from continuum.accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Continuum", {"fields": ("organisation", "role", "teams", "job_title", "phone")}),
    )
    filter_horizontal = ["teams", "groups", "user_permissions"]
