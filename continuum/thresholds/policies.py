"""Who may read the threshold framework. Registered with the one access policy.

The framework holds no personal data: everyone with a role reads it, so every partner
applies the same levels.
"""

from __future__ import annotations

from typing import Any

from continuum.access import policy
from continuum.accounts.models import User


class ThresholdsAction:
    VIEW = "thresholds.view"


def _can_view(user: User, _: Any) -> bool:
    return True


policy.register_rule(ThresholdsAction.VIEW, _can_view)
