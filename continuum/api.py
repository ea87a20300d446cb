"""The JSON API under /api/v1/, with its OpenAPI document at /api/v1/openapi.json.

Session authentication with CSRF for browser use. Every endpoint requires a signed-in
user with a role (``RoleSessionAuth``), then asks the access policy.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import SessionAuth

from continuum.access import policy
from continuum.early_help.api import panels_router as allocation_panels_router
from continuum.early_help.api import router as episodes_router
from continuum.front_door.api import contacts_router, meetings_router, notifications_router
from continuum.people.api import router as people_router
from continuum.performance.api import router as indicators_router
from continuum.thresholds.api import router as thresholds_router


class RoleSessionAuth(SessionAuth):
    """A Django session whose user has a role; anyone else gets 401."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and policy.has_role(user) else None


api = NinjaAPI(
    title="Continuum API",
    version="1",
    description=(
        "The shared early help record for councils and their partners. Every endpoint "
        "answers only what the signed-in user may see; a record they may not see is 404."
    ),
    auth=RoleSessionAuth(),
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/people", people_router)
api.add_router("/thresholds", thresholds_router)
api.add_router("/contacts", contacts_router)
api.add_router("/domestic-abuse-notifications", notifications_router)
api.add_router("/triage-meetings", meetings_router)
api.add_router("/episodes", episodes_router)
api.add_router("/allocation-panels", allocation_panels_router)
api.add_router("/indicators", indicators_router)
