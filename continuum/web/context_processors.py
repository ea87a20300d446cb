from django.conf import settings
from django.http import HttpRequest

from continuum.web.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "demo_mode": settings.CONTINUUM_DEMO,
        "navigation": navigation_for(request.user, request.path),
    }
