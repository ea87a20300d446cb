"""The user's notifications (mark one or all read) and the local outbox."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from continuum.access import policy
from continuum.access.requests import AuthenticatedRequest, requires
from continuum.notifications import selectors, services
from continuum.notifications.models import Notification
from continuum.notifications.policies import NotificationsAction
from continuum.ui.pagination import govuk_pagination

PER_PAGE = 50


@requires(NotificationsAction.VIEW)
@require_http_methods(["GET"])
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    notifications = selectors.notifications_for(user=request.user)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "pagination": govuk_pagination(page),
            "unread": selectors.unread_count(user=request.user),
            "may_see_outbox": policy.can(request.user, NotificationsAction.VIEW_OUTBOX),
        },
    )


@requires(NotificationsAction.VIEW)
@require_http_methods(["POST"])
def mark_read(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    """Mark one read; with ``open`` set, go on to its page (the link it names)."""
    notification = policy.get_visible_or_404(request.user, Notification, pk)
    services.mark_read(notification=notification, by=request.user)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=None
    ):
        return redirect(notification.link)
    return redirect("notifications:list")


@requires(NotificationsAction.VIEW)
@require_http_methods(["POST"])
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_all_read(user=request.user)
    return redirect("notifications:list")


@requires(NotificationsAction.VIEW_OUTBOX)
@require_http_methods(["GET"])
def outbox(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.outbox_for(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "notifications/outbox.html", {"page": page, "pagination": govuk_pagination(page)}
    )
