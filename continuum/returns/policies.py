"""Who may export a council's statutory returns (Ofsted's Annex A). Registered with the one
access policy; the command (with ``--user``), the page and the API endpoint ask here.

- The council's own team managers, performance analysts and strategic leads
  (``accounts.roles.STATUTORY_RETURN_ROLES``, employed by the council's children's
  services), for that council only.
- Nobody else: partners and practitioners, front-door workers, auditors, the information
  governance lead, system administrators, another council's staff, and accounts with the
  admin site's administrator status (``policy.acts``).

An Annex A build (made in the background) is seen and downloaded by whoever asked for it
and by those who may export its council's returns; nobody else (``builds_visible_to``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from continuum.access import policy
from continuum.accounts.models import User
from continuum.organisations.models import Council
from continuum.returns.models import AnnexABuild
from continuum.statutory.policies import council_of_returns


class ReturnsAction:
    # Asked with a council (or None: may the user export any council's returns?).
    EXPORT_ANNEX_A = "returns.export_annex_a"
    # Asked with an ``AnnexABuild``: may the user see it and download its workbook?
    DOWNLOAD_ANNEX_A = "returns.download_annex_a"


def _can_export_annex_a(user: User, council: Any) -> bool:
    own = council_of_returns(user)
    if own is None:
        return False
    return council is None or (isinstance(council, Council) and council.pk == own.pk)


def builds_visible_to(user: User) -> QuerySet[AnnexABuild]:
    """The Annex A builds ``user`` may follow and download: their own, and every build of
    the council whose returns they may export."""
    own = council_of_returns(user)
    mine = Q(requested_by=user)
    if own is not None:
        return AnnexABuild.objects.filter(Q(council=own) | mine)
    return AnnexABuild.objects.filter(mine)


def _can_download_annex_a(user: User, build: Any) -> bool:
    return isinstance(build, AnnexABuild) and builds_visible_to(user).filter(pk=build.pk).exists()


policy.register_rule(ReturnsAction.EXPORT_ANNEX_A, _can_export_annex_a)
policy.register_rule(ReturnsAction.DOWNLOAD_ANNEX_A, _can_download_annex_a)
policy.register_scope(AnnexABuild, builds_visible_to)
