"""Who may ask for and approve a reset of someone's second factor: system administrators,
registered with the one access policy. That nobody approves their own request, nor a reset
of themselves, is the service's rule (``accounts.second_factor.decide_reset``)."""

from __future__ import annotations

from typing import Any

from continuum.access import policy
from continuum.accounts import second_factor


class SecondFactorAction:
    RESET = "accounts.reset_second_factor"


def _can_reset(user: Any, _: Any) -> bool:
    return second_factor.is_reset_administrator(user)


policy.register_rule(SecondFactorAction.RESET, _can_reset)
