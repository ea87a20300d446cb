"""Demo sign-ins: the shared demo password works for demo accounts in demo mode only, and
never for an administrator (staff, superuser or system administrator)."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from continuum.accounts.models import Role, User


class DemoPasswordBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not settings.CONTINUUM_DEMO or not username or not password:
            return None
        if not hmac.compare_digest(password.encode(), settings.DEMO_PASSWORD.encode()):
            return None
        try:
            user = User.objects.get(username=username, is_demo_account=True)
        except User.DoesNotExist:
            return None
        if is_administrator(user):
            # The demo password is published: never for an administrator (finding 16).
            return None
        return user if self.user_can_authenticate(user) else None


def is_administrator(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser or user.role == Role.SYSTEM_ADMINISTRATOR)
