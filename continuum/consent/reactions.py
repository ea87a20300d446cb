"""What happens elsewhere when consent is withdrawn. Apps above (early help: its Team
Around the Family, lead professional and manager) register a reaction from their
``AppConfig.ready``; ``services.withdraw_consent`` calls each one inside its transaction,
so a withdrawal and what follows from it are saved together or not at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from continuum.accounts.models import User
    from continuum.consent.models import ConsentWithdrawal

Reaction = Callable[["ConsentWithdrawal", "User"], None]

_reactions: dict[str, Reaction] = {}


def register(name: str, reaction: Reaction) -> None:
    """Call ``reaction(withdrawal, by)`` after each withdrawal is saved. Registering the
    same name again replaces it (``ready`` may run more than once in tests)."""
    _reactions[name] = reaction


def withdrawn(withdrawal: ConsentWithdrawal, by: User) -> None:
    for reaction in list(_reactions.values()):
        reaction(withdrawal, by)
