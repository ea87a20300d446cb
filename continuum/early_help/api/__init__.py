"""Early help over JSON: episodes and everything done in them.

Mounted under /api/v1/ at ``/episodes`` (the episode, its allocation, assessment, Team
Around the Family, plan, reviews, step-ups, closure and its sign-off, its lead
professionals and handing over) and ``/allocation-panels``.

Every endpoint needs a signed-in user with a role (401 otherwise) and asks the access
policy: an episode the user may not see answers 404 and is never listed or counted (a
Team Around the Family member sees it while a member, and not after); something the user
sees but may not do answers 403 (only the lead professional or the council's early help
staff work on an open episode; only a team manager allocates or decides a step-up).

Lists answer ``{"items": [...], "count": n}``: episodes and allocation panels a page at a
time (``limit``, 100 unless asked and at most 500, from ``offset``), an episode's TAF
members, meetings, reviews and step-ups whole.

Bad input answers 422 with django-ninja's ``detail`` list, each entry naming the field in
``loc``; nothing is saved. A save made against a stale ``version`` (the episode's, the
assessment's or the plan's), or a change the record's state no longer allows (a closed
episode, a completed assessment, a step-up already decided), answers 409 with a message;
nothing is saved. Request schemas list their fields: anything else posted (``council``,
``status``, ``opened_by``, ...) is ignored.
"""

from continuum.early_help.api import (
    assessment,
    closure,
    consent,
    episodes,
    handover,
    plan,
    taf,
)

# The episodes' own router (list and open at /episodes) carries the sub-resources.
router = episodes.router
router.add_router("", assessment.router)
router.add_router("", taf.router)
router.add_router("", plan.router)
router.add_router("", closure.router)
router.add_router("", handover.router)
router.add_router("", consent.router)

panels_router = episodes.panels_router

__all__ = ["panels_router", "router"]
