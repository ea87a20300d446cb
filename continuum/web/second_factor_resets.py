"""Resetting someone's second factor: one system administrator asks (saying why), another
approves; the person then sets up a new one at their next sign-in."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from continuum.access.requests import AuthenticatedRequest, requires
from continuum.accounts import second_factor
from continuum.accounts.models import SecondFactorReset, User
from continuum.errors import InvalidState
from continuum.ui.errors import attempt
from continuum.ui.forms import GovukFormMixin
from continuum.web.policies import SecondFactorAction


class ResetRequestForm(GovukFormMixin, forms.Form):
    username = forms.CharField(
        label="Username of the person",
        max_length=150,
        error_messages={"required": "Enter the username of the person"},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    reason = forms.CharField(
        label="Why their second factor needs resetting",
        max_length=1000,
        error_messages={"required": "Say why their second factor needs resetting"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError("Enter the username of an active account")
        return user


@requires(SecondFactorAction.RESET)
@require_http_methods(["GET", "POST"])
def second_factor_resets(request: AuthenticatedRequest) -> HttpResponse:
    """The resets waiting for a second administrator, and the form to ask for one."""
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            form,
            lambda: second_factor.request_reset(
                requested_by=request.user,
                user=form.cleaned_data["username"],
                reason=form.cleaned_data["reason"],
            ),
            field_names={"user": "username"},
        )
        if done is not None:
            return redirect("web:second-factor-resets")
    waiting = SecondFactorReset.objects.filter(decided_at__isnull=True).select_related(
        "user", "requested_by"
    )
    decided = SecondFactorReset.objects.filter(decided_at__isnull=False).select_related(
        "user", "requested_by", "decided_by"
    )[:20]
    return render(
        request,
        "web/second_factor_resets.html",
        {"form": form, "waiting": waiting, "decided": decided},
    )


@requires(SecondFactorAction.RESET)
@require_POST
def decide_second_factor_reset(request: AuthenticatedRequest, reset_id: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        reset = second_factor.decide_reset(
            reset_id=reset_id, decided_by=request.user, approve=approve
        )
    except InvalidState as refused:
        messages.error(request, refused.message)
        return redirect("web:second-factor-resets")
    messages.success(
        request,
        f"Reset for {reset.user.get_username()} {'approved' if approve else 'refused'}.",
    )
    return redirect("web:second-factor-resets")
