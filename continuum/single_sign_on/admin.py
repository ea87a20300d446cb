from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.text import format_lazy

from continuum.single_sign_on.models import IdentityProvider, LinkedIdentity


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "issuer", "require_multi_factor", "enabled"]
    list_filter = ["enabled", "require_multi_factor"]
    search_fields = ["name", "organisation__name", "issuer"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (
            None,
            {
                "description": format_lazy(
                    "Register this site's {} as the redirect URI with the provider, and put "
                    "the client secret it gives you in the environment variable named below "
                    "(never here). Staff sign in with it once it is enabled.",
                    reverse_lazy("single_sign_on:callback"),
                ),
                "fields": [
                    "organisation",
                    "name",
                    "issuer",
                    "client_id",
                    "client_secret_variable",
                    "require_multi_factor",
                    "multi_factor_acr_values",
                    "enabled",
                ],
            },
        )
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(LinkedIdentity)
class LinkedIdentityAdmin(admin.ModelAdmin):
    """Links are made by signing in; an administrator may only look, or remove one (the
    person then links again, by verified email, next time)."""

    list_display = ["user", "provider", "subject", "linked_at", "last_signed_in_at"]
    list_filter = ["provider"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["provider", "subject", "user", "linked_at", "last_signed_in_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
