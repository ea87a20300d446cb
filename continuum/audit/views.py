"""The access log search for system administrators, and the review of emergency access.

There is deliberately no view (and no API, and no admin page) that changes or deletes an
access-log row.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.audit import selectors, services
from continuum.audit.forms import (
    AccessLogSearchForm,
    BreakGlassReviewForm,
    UnusualReadingReviewForm,
)
from continuum.audit.policies import (
    AuditAction,
    break_glass_grants_to_review,
    governed_council,
    unusual_reading_to_review,
)
from continuum.ui.errors import attempt
from continuum.ui.pagination import govuk_pagination

ACCESS_LOG_PAGE_SIZE = 50
# The access log names people by id; the people policy (above this app) says whose record
# the reader may open, asked by the model's label.
PERSON = "people.Person"


@require_GET
@requires(AuditAction.VIEW_ACCESS_LOG)
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if not form.is_bound or form.is_valid():
        filters = form.cleaned_data if form.is_bound else {}
        entries = selectors.search_access_log(
            username=filters.get("username", ""),
            subject_id=filters.get("person_id"),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            break_glass_only=filters.get("break_glass_only", False),
        )
        page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        # Link a record only if this administrator may see it (normally they may not).
        linkable = set(
            policy.visible(request.user, PERSON)
            .filter(pk__in={entry.subject_id for entry in page})
            .values_list("pk", flat=True)
        )
        context.update(
            page=page,
            pagination=govuk_pagination(page),
            linkable=linkable,
            filtered=any(value for value in filters.values()),
        )
    return render(request, "audit/access_log.html", context)


@require_http_methods(["GET", "POST"])
@requires()
def break_glass_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # Anyone who may not review this grant gets 404, as if it did not exist.
    grant = get_object_or_404(
        break_glass_grants_to_review(request.user).select_related(
            "user", "user__organisation", "reviewed_by", "reviewed_by__organisation"
        ),
        pk=pk,
    )
    form = BreakGlassReviewForm(request.POST or None)
    if request.method == "POST" and grant.reviewed_at is None and form.is_valid():
        revoke = form.cleaned_data["outcome"] == BreakGlassReviewForm.REVOKE
        record = services.revoke_break_glass if revoke else services.review_break_glass
        reviewed = attempt(
            form,
            lambda: record(grant=grant, reviewer=request.user, note=form.cleaned_data["note"]),
        )
        if reviewed is not None:
            done = "ended, and your review is recorded" if revoke else "review is recorded"
            messages.success(request, f"Emergency access by {grant.user}: {done}.")
            return redirect("audit:information-governance")
    reads = selectors.access_under_break_glass_by_request(grant=grant)
    context = {
        "grant": grant,
        "form": form,
        "reads_by_request": reads,
        "read_count": sum(row["reads"] for row in reads),
        "person_linkable": policy.visible(request.user, PERSON).filter(pk=grant.person_id).exists(),
    }
    return render(request, "audit/break_glass_review.html", context)


@require_GET
@requires(AuditAction.GOVERN)
def information_governance(request: AuthenticatedRequest) -> HttpResponse:
    """A council's information governance lead's review page: emergency access to the
    council's records (awaiting review first) and users flagged for unusual reading."""
    grants = break_glass_grants_to_review(request.user).select_related(
        "user", "user__organisation", "reviewed_by", "revoked_by"
    )
    flags = unusual_reading_to_review(request.user).select_related(
        "user", "user__organisation", "reviewed_by"
    )
    context = {
        "council": governed_council(request.user),
        "awaiting": grants.filter(reviewed_at__isnull=True).order_by("-granted_at"),
        "reviewed": selectors.recently_reviewed(grants),
        "flags_awaiting": flags.filter(reviewed_at__isnull=True).order_by("-raised_at"),
        "flags_reviewed": selectors.recently_reviewed_flags(flags),
        "reads_threshold": settings.UNUSUAL_READS_PER_HOUR,
        "shown_threshold": settings.UNUSUAL_SHOWN_PER_HOUR,
    }
    return render(request, "audit/information_governance.html", context)


@require_http_methods(["GET", "POST"])
@requires(AuditAction.REVIEW_UNUSUAL_READING)
def unusual_reading_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One unusual-reading flag: who, when, how many, the user's access-log rows in that
    hour (people by id only), and the review."""
    flag = get_object_or_404(
        unusual_reading_to_review(request.user).select_related(
            "user", "user__organisation", "reviewed_by"
        ),
        pk=pk,
    )
    form = UnusualReadingReviewForm(request.POST or None)
    if request.method == "POST" and flag.reviewed_at is None and form.is_valid():
        reviewed = attempt(
            form,
            lambda: services.review_unusual_reading(
                flag=flag, reviewer=request.user, outcome=form.cleaned_data["outcome"]
            ),
        )
        if reviewed is not None:
            messages.success(request, f"Your review of reading by {flag.user} is recorded.")
            return redirect("audit:information-governance")
    entries = selectors.reading_behind(flag=flag)
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"flag": flag, "form": form, "page": page, "pagination": govuk_pagination(page)}
    return render(request, "audit/unusual_reading_review.html", context)
