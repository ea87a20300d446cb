"""Exporting Ofsted's Annex A in one go, as the command line does.

``find_council`` reads the council asked for (its DfE LA code); ``export_annex_a`` asks the
policy, builds the lists and writes one access-log row naming the council, the period, the
lists and their row counts (``terms_of``), with the children it lists as the row's records
shown (an Annex A lists children's records one by one, so it is a read, logged like a
search). The page and the API make it in the background instead (``builds.py``), and log
each download with the same terms.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.services import log_export
from continuum.organisations.models import Council
from continuum.returns.annex_a import AnnexA, AnnexList, build_annex_a, check_period
from continuum.returns.policies import ReturnsAction

security_log = logging.getLogger("continuum.security")


def find_council(code: str | None, *, field: str = "council") -> Council:
    """The council with DfE LA code ``code``, or ``ValidationError`` keyed by ``field``."""
    code = (code or "").strip()
    if not code:
        raise ValidationError({field: "Enter the council's DfE LA code, like 808"})
    council = Council.objects.filter(dfe_la_code=code).first()
    if council is None:
        raise ValidationError({field: f"No council has the DfE LA code {code[:10]!r}"})
    return council


def export_terms(annex: AnnexA) -> dict[str, object]:
    """What the access log keeps of an export: the return, council, period, lists, rows."""
    return terms_of(annex.council, annex.first, annex.last, annex.row_counts)


def terms_of(
    council: Council, first: date, last: date, row_counts: Mapping[int, int]
) -> dict[str, object]:
    counts = ",".join(f"{number}:{rows}" for number, rows in row_counts.items())
    return {
        "return": "annex_a",
        "council": council.dfe_la_code,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "lists": "1-7",
        "rows": counts,
    }


def export_annex_a(
    *,
    user: User | None,
    council: Council,
    first: date | None,
    last: date | None,
    request: HttpRequest | None = None,
    progress: Callable[[AnnexList], None] | None = None,
    operator: str = "",
) -> AnnexA:
    """Annex A for ``council`` from ``first`` to ``last``, exported by ``user``.

    Refuses with ``NotPermitted`` a user the policy does not allow to export the council's
    returns, and with ``ValidationError`` (keyed ``first``/``last``) a period that is not
    one; then nothing is logged. ``user`` is None only on the command line without
    ``--user``: then the security log names the export and the server's ``operator`` (the
    operating-system account that ran it) instead, since no Continuum account made it.
    """
    if user is not None:
        policy.require(
            user,
            ReturnsAction.EXPORT_ANNEX_A,
            council,
            message="You may not export this council's Annex A.",
        )
    first, last = check_period(first=first, last=last)
    annex = build_annex_a(council=council, first=first, last=last, progress=progress)
    terms = export_terms(annex)
    rows = sum(annex.row_counts.values())
    if user is not None:
        log_export(
            request=request,
            user=user,
            terms=terms,
            row_count=rows,
            subject_ids=[uuid.UUID(str(pk)) for pk in annex.person_ids],
        )
    else:
        security_log.info(
            "Annex A exported on the command line by the server's operator %r: %s; %s rows",
            operator,
            "; ".join(f"{k}={v}" for k, v in terms.items()),
            rows,
        )
    return annex
