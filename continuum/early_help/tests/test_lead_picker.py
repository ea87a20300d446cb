"""The lead-professional picker (issue 12, rough edge 7): only people eligible for the
episode's council unless the panel asks for others; search by name; filter by locality (in
a team of it) and agency; each person's caseload against the council's norm, computed in
one query; the filters are a GET form, so the page works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from continuum.accounts.models import Role, User
from continuum.audit.models import AccessLogEntry
from continuum.early_help.lead_professionals import (
    CandidateFilters,
    lead_professional_candidates,
)
from continuum.early_help.models import EarlyHelpSettings, Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import Api, named_fields, ok
from continuum.early_help.tests.api_support import url as api_url
from continuum.early_help.tests.builders import Family, Place, make_episode, make_family
from continuum.early_help.tests.views_support import url
from continuum.organisations.models import Council, Organisation, OrganisationKind
from continuum.testing import factories


def _names(episode: Episode, **filters: object) -> list[str]:
    found = lead_professional_candidates(episode=episode, filters=CandidateFilters(**filters))  # type: ignore[arg-type]
    return [c.user.last_name for c in found.people]


def test_only_people_eligible_for_the_council_unless_asked(
    episode: Episode,
    vcs_worker: User,
    eh_worker: User,
    hartlepool: Council,
    make_user: Callable[..., User],
    analyst: User,
) -> None:
    elsewhere = cast(
        Organisation,
        factories.OrganisationFactory(
            name="Hartlepool Young Carers", kind=OrganisationKind.VOLUNTARY, serves=[hartlepool]
        ),
    )
    make_user(Role.PARTNER_PRACTITIONER, organisation=elsewhere, last_name="Outwith")
    make_user(Role.TEAM_MANAGER, council=hartlepool, last_name="Otherton")
    names = _names(episode)
    assert "Sayer" in names and eh_worker.last_name in names
    assert "Outwith" not in names and "Otherton" not in names
    assert analyst.last_name not in names  # analysts do not lead
    wider = lead_professional_candidates(
        episode=episode, filters=CandidateFilters(outside_area=True)
    )
    outwith = next(c for c in wider.people if c.user.last_name == "Outwith")
    assert not outwith.serves_council
    # Serving people come first.
    assert wider.people[0].serves_council


def test_search_by_name_locality_and_agency(
    episode: Episode, vcs_worker: User, eh_worker: User, stockton_place: Place
) -> None:
    assert _names(episode, name="sayer") == ["Sayer"]
    assert _names(episode, name="vic SAY") == ["Sayer"]
    assert _names(episode, name="nobody-at-all") == []
    assert _names(episode, agency="voluntary") == ["Sayer"]
    council_people = _names(episode, agency="council")
    assert eh_worker.last_name in council_people and "Sayer" not in council_people
    # eh_worker is in Stockton North's team (the early help conftest); Vic is in none.
    local = _names(episode, locality_id=stockton_place.locality.pk)
    assert eh_worker.last_name in local and "Sayer" not in local


def test_caseloads_against_the_norm_in_one_query(
    episode: Episode, stockton: Council, stockton_place: Place, manager: User, vcs_worker: User
) -> None:
    EarlyHelpSettings.objects.update_or_create(council=stockton, defaults={"caseload_norm": 2})
    for name in ("Abbott", "Bell", "Carr"):
        family = make_family(stockton, name)
        other = make_episode(
            council=stockton,
            locality=stockton_place.locality,
            team=stockton_place.team,
            household=family.household,
            opened_by=manager,
            children=[family.child],
        )
        support.allocated(other, lead=vcs_worker, manager=manager)
    with CaptureQueriesContext(connection) as queries:
        found = lead_professional_candidates(episode=episode)
    people = [q["sql"] for q in queries.captured_queries if "accounts_user" in q["sql"]]
    assert len(people) == 1  # the people and their caseloads together
    vic = next(c for c in found.people if c.user == vcs_worker)
    assert (vic.caseload, vic.norm, vic.over_norm) == (3, 2, True)
    assert found.norm == 2


def test_the_allocation_page_filters_without_javascript(
    client: Client,
    episode: Episode,
    family: Family,
    manager: User,
    vcs_worker: User,
    eh_worker: User,
) -> None:
    from continuum.early_help import services

    panel = services.hold_panel(
        council=episode.council,
        locality=episode.locality,
        held_on=episode.start_date,
        agencies_present=[vcs_worker.organisation] if vcs_worker.organisation else [],
        chaired_by=manager,
    )
    client.force_login(manager)
    before = AccessLogEntry.objects.count()
    page = client.get(url("allocate", panel.pk, episode.pk) + "?name=sayer&agency=voluntary")
    assert AccessLogEntry.objects.count() == before + 1  # the family's one child
    text = page.content.decode()
    assert page.status_code == 200
    assert '<form method="get"' in text and "Clear the filters" in text
    assert "Vic Sayer" in text and str(eh_worker) not in text
    assert "1 person matches" in text and "Caseload: 0 of 15" in text
    # A filter that is not a locality of the council is ignored, not an error.
    assert client.get(url("allocate", panel.pk, episode.pk) + "?locality=x").status_code == 200
    # Choosing someone outside the list is refused with a clear message; nothing changes.
    refused = client.post(
        url("allocate", panel.pk, episode.pk) + "?name=sayer",
        {
            "lead_professional": eh_worker.pk,
            "allocation_reason": "Knows the family.",
            "version": episode.version,
        },
    )
    assert refused.status_code == 200
    assert "Select the lead professional from the list." in refused.content.decode()
    episode.refresh_from_db()
    assert episode.lead_professional is None


def test_the_api_lists_candidates_for_a_team_manager_only(
    episode: Episode, manager: User, vcs_worker: User, eh_worker: User, stockton: Council
) -> None:
    path = api_url(episode, "/lead-professional-choices")
    listed = ok(Api(manager).get(path + "?name=sayer"))
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["professional"]["id"] == vcs_worker.pk
    assert (item["caseload"], item["caseload_norm"], item["serves_council"]) == (0, 15, True)
    assert named_fields(Api(manager).get(path + "?agency=pirates")) == {"agency"}
    assert named_fields(Api(manager).get(path + "?locality=999999")) == {"locality"}
    assert Api(eh_worker).get(path).status_code == 403
