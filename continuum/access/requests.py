"""What a request must be to reach a page or an API endpoint: signed in, with a role, and
allowed by the policy. Pages use ``requires``; the API authenticates with
``RoleSessionAuth`` and finds its user with ``user_of``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja.security import SessionAuth

from continuum.access import policy
from continuum.accounts import second_factor
from continuum.accounts.models import User
from continuum.errors import NotPermitted

# A page: an HTML response, or a download streamed (a census return).
View = Callable[..., HttpResponseBase]


class AuthenticatedRequest(HttpRequest):
    """The request a view wrapped in ``requires`` receives: its user is signed in and has
    a role. Annotate such views' ``request`` with it instead of ``HttpRequest``."""

    user: User


def requires(action: str | None = None) -> Callable[[View], View]:
    """Refuse anonymous users (sign-in), users without a role (403), and users the policy
    does not allow ``action`` (403). Object-level checks use ``policy.get_visible_or_404``
    and ``policy.require``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not second_factor.is_done(request):
                return redirect_to_login(request.get_full_path(), reverse("accounts:second-factor"))
            if not policy.has_role(request.user):
                raise NotPermitted("Your account does not have a role yet.")
            if action is not None:
                policy.require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleSessionAuth(SessionAuth):
    """API authentication: a Django session whose user has a role (CSRF checked); anyone
    else gets 401."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not policy.has_role(user):
            return None
        # A session that has not passed its second factor is not signed in yet.
        return user if second_factor.is_done(request) else None


def user_of(request: HttpRequest) -> User:
    """The signed-in user with a role of an API request (``RoleSessionAuth`` let nobody
    else in) or of a page wrapped in ``requires``."""
    return cast(User, getattr(request, "auth", None) or request.user)
