"""The ways Continuum refuses a request, raised by services and the policy and translated
once for each interface.

Services raise; they never build responses. Four refusals cover every case:

============================  =========================================  =====  ==============
refusal                       meaning                                    API    pages
============================  =========================================  =====  ==============
Django's ``ValidationError``  the input is wrong; keyed by field name    422    at the fields
``ConcurrentChange``          someone else changed the record first      409    error summary
``InvalidState``              the record is not in a state for this      409    error summary
``NotPermitted``              the policy does not allow it               403    403 page
============================  =========================================  =====  ==============

The API's translation is ``continuum.ui.api.install_error_handlers`` (django-ninja exception
handlers on the one ``NinjaAPI``); the pages' is ``continuum.ui.errors``. Nothing is saved
when any of them is raised inside a service: every service is atomic.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class Refusal(Exception):
    """A request refused because of the record's state, with a message for the user."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


class ConcurrentChange(Refusal):
    """Someone else changed the record after the user read it; nothing was saved.

    Raised by ``continuum.optimistic_locking.claim_version`` when the version the user saw
    is no longer the stored one.
    """


class InvalidState(Refusal):
    """The record is not in a state for this change (already decided, closed, complete...),
    whatever the input; nothing was saved."""


class NotPermitted(PermissionDenied):
    """The access policy does not allow the user to do this. A ``PermissionDenied``, so
    Django answers pages with its 403 page."""

    def __init__(self, message: str = "You may not do this.") -> None:
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
