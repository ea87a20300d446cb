"""System checks run by ``manage.py check --deploy``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def secret_key_is_set(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """Production must set its own SECRET_KEY: the built-in one is public."""
    insecure = getattr(settings, "INSECURE_SECRET_KEY", None)
    if insecure != settings.SECRET_KEY or settings.DEBUG or settings.CONTINUUM_DEMO:
        return []
    return [
        Error(
            "SECRET_KEY is the insecure default that ships with Continuum.",
            hint=(
                "Set the SECRET_KEY environment variable to a long random value, for example "
                "from: python -c 'import secrets; print(secrets.token_urlsafe(64))'. The "
                "default is allowed only with DEBUG or CONTINUUM_DEMO on."
            ),
            id="continuum.E001",
        )
    ]


@register(Tags.security)
def demo_mode_is_announced(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[CheckMessage]:
    """Said loudly at every start (runserver, migrate, check): demo mode is on."""
    if not settings.CONTINUUM_DEMO:
        return []
    return [
        Warning(
            "DEMO MODE IS ON: synthetic data only; demo sign-ins use published passwords and "
            "second factors; Secure cookies and HSTS are off.",
            hint="Never enter a real person's details. Production runs with CONTINUUM_DEMO off.",
            id="continuum.W001",
        )
    ]


# Caches that each process keeps to itself (or none): the API's rate limits would count
# each process's requests alone.
UNSHARED_CACHES = ("LocMemCache", "DummyCache")


@register(Tags.security, deploy=True)
def cache_is_shared(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """The API's rate limits count requests in the cache: in production every process must
    share it (Redis), or each process allows the whole rate (decision 0011)."""
    backend = str(settings.CACHES["default"]["BACKEND"])
    if settings.DEBUG or settings.CONTINUUM_DEMO or not backend.endswith(UNSHARED_CACHES):
        return []
    return [
        Warning(
            "The cache is not shared between processes, so the API's rate limits are not either.",
            hint="Set CACHE_URL to a shared cache, for example redis://127.0.0.1:6379/0.",
            id="continuum.W011",
        )
    ]
