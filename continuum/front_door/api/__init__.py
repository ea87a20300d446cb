"""The front door over JSON: contacts and their threshold decisions, police domestic-abuse
notifications and their joint triage.

Mounted under /api/v1/ at ``/contacts``, ``/domestic-abuse-notifications`` and
``/triage-meetings``. Every endpoint needs a signed-in user with a role (401 otherwise)
and asks the access policy: a record the user may not see answers 404 and is never listed
or counted; an action the user may not take answers 403. A list answers one page,
``{"items": [...], "count": n}``, chosen with ``limit`` and ``offset``.

Bad input answers 422 with django-ninja's ``detail`` list, each entry naming the field in
``loc``; nothing is saved. A change refused because someone else changed the record first
(or decided or triaged it already) answers 409 with a message saying so. Request schemas
list their fields: anything else posted (``created_by``, ``status`` on create, ...) is
ignored.
"""

from continuum.front_door.api.contacts import router as contacts_router
from continuum.front_door.api.notifications import meetings_router, notifications_router

__all__ = ["contacts_router", "meetings_router", "notifications_router"]
