"""Ending every session of a user at once: after a reset of their second factor and when
their account is deactivated.

Each Django session keeps a hash of the user's password (``HASH_SESSION_KEY``) that Django
compares on every request; ``User._get_session_auth_hash`` puts the user's
``session_generation`` in it. Raising the generation therefore makes every existing session
of that user fail the comparison on its next request, wherever it is: Django flushes it and
the person is signed out. Nothing has to find the sessions (database sessions are not
indexed by user), and a session that comes back later (an account made active again) still
fails.
"""

from __future__ import annotations

import logging

from django.db.models import F

from continuum.accounts.models import User

security_log = logging.getLogger("continuum.security")


def end_every_session(user: User, *, why: str) -> None:
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    security_log.warning("Every session of %r ended: %s", user.get_username(), why)
