"""The decorator every page view uses: signed in, with a role, and allowed by the policy."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from continuum.access import policy
from continuum.accounts.models import User

View = Callable[..., HttpResponse]


class AuthenticatedRequest(HttpRequest):
    """The request a view wrapped in ``requires`` receives: its user is signed in and has
    a role. Annotate such views' ``request`` with it instead of ``HttpRequest``."""

    user: User


def requires(action: str | None = None) -> Callable[[View], View]:
    """Refuse anonymous users (sign-in), users without a role (403), and users the policy
    does not allow ``action`` (403). Object-level checks use ``policy.get_visible_or_404``.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not policy.has_role(request.user):
                raise PermissionDenied("Your account does not have a role yet.")
            if action is not None and not policy.can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
