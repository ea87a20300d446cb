"""The admin site's pages for users: changes to who a user is (role, organisation, teams,
administrator status) are asked for here and applied only when a second administrator
approves them on the list of account changes (``accounts.account_changes``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from continuum.accounts import account_changes
from continuum.accounts.models import AccountChange, AccountChangeStatus, User
from continuum.accounts.sessions import end_every_session
from continuum.errors import InvalidState, NotPermitted


class GovernedUserChangeForm(UserChangeForm):
    """Refuses, at the field, an account that would be both administrator and case worker."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is not None:
            wanted = {
                **account_changes.account_state(self.instance),
                **account_changes.state_from_values(cleaned),
            }
            try:
                account_changes.check_account_state(wanted)
            except ValidationError as error:
                field = "role" if "role" in self.fields else None
                self.add_error(field, error.message_dict["role"])
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = GovernedUserChangeForm
    list_display = ["username", "first_name", "last_name", "organisation", "role", "is_active"]
    list_filter = ["role", "organisation__kind", "is_active"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Continuum", {"fields": ("organisation", "role", "teams", "job_title", "phone")}),
    )
    filter_horizontal = ["teams", "groups", "user_permissions"]

    def save_model(
        self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool
    ) -> None:
        """Save what is not governed; ask for the governed fields' change instead."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        current = User.objects.get(pk=obj.pk)
        for name in account_changes.SINGLE_FIELDS:
            attname = "organisation_id" if name == "organisation" else name
            setattr(obj, attname, getattr(current, attname))
        super().save_model(request, obj, form, change)
        if current.is_active and not obj.is_active:
            # Deactivated: every session ends, and stays ended if the account comes back.
            end_every_session(obj, why=f"account deactivated by {request.user.get_username()}")
        try:
            asked = account_changes.request_account_change(
                user=obj,
                requested_by=cast(User, request.user),
                after=form.cleaned_data,
            )
        except (InvalidState, NotPermitted) as refusal:
            self.message_user(
                request, f"{refusal} Nothing about the account's access changed.", messages.ERROR
            )
        else:
            if asked is not None:
                self.message_user(
                    request,
                    "The change to this account's access waits for a second administrator's "
                    "approval (see Account changes).",
                    messages.WARNING,
                )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            pending = AccountChange.objects.filter(
                user_id=object_id, status=AccountChangeStatus.PENDING
            ).first()
            if pending is not None:
                self.message_user(
                    request,
                    f"A change to this account's access, asked for by {pending.requested_by}, "
                    f"waits for a second administrator: "
                    f"{account_changes.describe(pending.after)}.",
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        if change:
            # Teams, admin groups and permissions change only when the request is approved.
            for name in account_changes.MANY_FIELDS:
                if name in form.cleaned_data:
                    form.cleaned_data[name] = getattr(form.instance, name).all()
        super().save_related(request, form, formsets, change)


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """Every change to an account's access, pending or decided. Approve or refuse with the
    actions; nothing here can be edited or deleted."""

    list_display = [
        "user",
        "requested_by",
        "requested_at",
        "status",
        "was",
        "becomes",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = ["user__username", "requested_by__username"]
    actions = ["approve_changes", "refuse_changes"]
    readonly_fields = fields = (
        "user",
        "requested_by",
        "requested_at",
        "was",
        "becomes",
        "status",
        "decided_by",
        "decided_at",
    )

    @admin.display(description="Before")
    def was(self, change: AccountChange) -> str:
        return account_changes.describe(change.before)

    @admin.display(description="After")
    def becomes(self, change: AccountChange) -> str:
        return account_changes.describe(change.after)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The actions decide; the record itself is never edited.
        return obj is None and account_changes.is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return account_changes.is_administrator(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return account_changes.is_administrator(request.user)

    def _decide(
        self, request: HttpRequest, queryset: QuerySet[AccountChange], approve: bool
    ) -> None:
        done = 0
        decider = cast(User, request.user)
        for change in queryset.filter(status=AccountChangeStatus.PENDING):
            try:
                if approve:
                    account_changes.approve_account_change(change=change, approver=decider)
                else:
                    account_changes.refuse_account_change(change=change, decider=decider)
            except (InvalidState, NotPermitted, ValidationError) as refusal:
                self.message_user(request, f"{change.user}: {refusal}", messages.ERROR)
            else:
                done += 1
        if done:
            verb = "approved" if approve else "refused"
            self.message_user(request, f"{done} change(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Approve the selected changes")
    def approve_changes(self, request: HttpRequest, queryset: QuerySet[AccountChange]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description="Refuse the selected changes")
    def refuse_changes(self, request: HttpRequest, queryset: QuerySet[AccountChange]) -> None:
        self._decide(request, queryset, approve=False)
