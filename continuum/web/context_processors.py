from django.conf import settings
from django.http import HttpRequest

from continuum.web.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "demo_mode": settings.CONTINUUM_DEMO,
        # No user on a request refused before authentication (e.g. a bad Host header: 400).
        "navigation": navigation_for(getattr(request, "user", None), request.path),
    }
