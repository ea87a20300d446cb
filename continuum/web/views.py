from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from continuum.access import policy
from continuum.accounts.models import Role
from continuum.web import selectors
from continuum.web.decorators import requires

HOME_TEMPLATES = {
    Role.FRONT_DOOR_WORKER: "web/home_front_door.html",
    Role.EARLY_HELP_PRACTITIONER: "web/home_practitioner.html",
    Role.TEAM_MANAGER: "web/home_manager.html",
    Role.PARTNER_PRACTITIONER: "web/home_partner.html",
    Role.AUDITOR: "web/home_auditor.html",
    Role.PERFORMANCE_ANALYST: "web/home_analyst.html",
    Role.STRATEGIC_LEAD: "web/home_analyst.html",
    Role.SYSTEM_ADMINISTRATOR: "web/home_admin.html",
}


@requires()
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {"role_name": user.get_role_display()}
    if policy.can(user, policy.Action.SEARCH_PEOPLE):
        context["involvements"] = selectors.involvements_for(user=user)
    if policy.can(user, policy.Action.REVIEW_BREAK_GLASS):
        context["break_glass"] = selectors.break_glass_awaiting_review(user=user)
    if policy.can(user, policy.Action.VIEW_AGGREGATES) and user.role != Role.TEAM_MANAGER:
        context["people_by_council"] = selectors.people_by_council()
    if policy.council_of(user) is not None:
        context["council"] = policy.council_of(user)
    return render(request, HOME_TEMPLATES[Role(user.role)], context)


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the app is up and its database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
