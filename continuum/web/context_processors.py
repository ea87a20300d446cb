from django.conf import settings
from django.http import HttpRequest

from continuum.accounts import second_factor
from continuum.web.navigation import navigation_for


def service(request: HttpRequest) -> dict[str, object]:
    # No user on a request refused before authentication (e.g. a bad Host header: 400); no
    # navigation either for a session that has passed only the password: its links would
    # all lead back to the second factor.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if signed_in and not second_factor.is_done(request):
        user = None
    return {
        "demo_mode": settings.CONTINUUM_DEMO,
        "navigation": navigation_for(user, request.path),
    }
