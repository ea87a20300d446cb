"""The API for running a programme: the lead sets one up, draws, adds by hand, assigns,
opens and closes; refusals are 422 by field, 409 by state and 403/404 by the policy, and
bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.utils import timezone

from continuum.accounts.models import User
from continuum.case_audits.choices import CaseStatus
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.early_help.models import Episode
from continuum.organisations.models import Council
from continuum.testing import factories

pytestmark = pytest.mark.django_db
BASE = "/api/v1/audit-programmes"


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, body or {}, content_type="application/json")


def _body(template_id: int, councils: list[int], **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body: dict[str, Any] = {
        "title": "Peer audit",
        "theme": "Plans",
        "template": template_id,
        "case_kind": "episode",
        "period_start": str(today - timedelta(days=200)),
        "period_end": str(today - timedelta(days=1)),
        "councils": councils,
        "sample_method": "random",
        "per_council": 1,
    }
    body.update(changes)
    return body


def test_the_lead_runs_a_programme_through_the_api(
    client: Client,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
    stockton: Council,
) -> None:
    factories.EpisodeFactory(council=stockton)
    extra = cast(Episode, factories.EpisodeFactory(council=stockton))
    template = factories.audit_template()
    client.force_login(partnership_lead)
    made = _post(client, BASE, _body(template.pk, [stockton.pk]))
    assert made.status_code == 201, made.json()
    programme = made.json()
    assert programme["seed"] is not None
    url = f"{BASE}/{programme['id']}"
    drawn = _post(client, f"{url}/sample")
    assert drawn.status_code == 200
    cases = client.get(f"{url}/cases").json()
    assert cases["count"] == 1
    record = cases["items"][0]["record_id"]
    other = str(extra.pk) if record != str(extra.pk) else None
    if other:
        added = _post(client, f"{url}/cases", {"record_id": other, "reason": "A complaint"})
        assert added.status_code == 201
    assert _post(client, f"{url}/open").status_code == 409
    assigned = _post(
        client,
        f"{url}/assignments",
        {"automatic": [redcar_auditor.pk], "moderators": [middlesbrough_auditor.pk]},
    )
    assert assigned.status_code == 200, assigned.json()
    assert _post(client, f"{url}/open").json()["opened_at"] is not None
    refused = _post(client, f"{url}/close")
    assert refused.status_code == 409
    assert "not yet moderated" in refused.json()["detail"]
    AuditCase.objects.update(status=CaseStatus.MODERATED)
    assert _post(client, f"{url}/close").json()["closed_at"] is not None


def test_bad_input_is_422_by_field_and_changes_nothing(
    client: Client, partnership_lead: User, stockton: Council
) -> None:
    template = factories.audit_template()
    client.force_login(partnership_lead)
    for changes, field in (
        ({"per_council": 0}, "per_council"),
        ({"period_end": str(timezone.localdate() + timedelta(days=2))}, "period_end"),
        ({"councils": []}, "councils"),
    ):
        answer = _post(client, BASE, {**_body(template.pk, [stockton.pk]), **changes})
        assert answer.status_code == 422
        assert field in str(answer.json())
    assert AuditProgramme.objects.count() == 0


def test_a_sample_larger_than_the_population_is_422_with_the_numbers(
    client: Client, programme: AuditProgramme, partnership_lead: User
) -> None:
    client.force_login(partnership_lead)
    answer = _post(client, f"{BASE}/{programme.pk}/sample")
    assert answer.status_code == 422
    assert "Hartlepool has 0 early help episodes open" in str(answer.json())
    assert AuditCase.objects.count() == 0


def test_others_are_refused_or_do_not_see_it(
    client: Client,
    programme: AuditProgramme,
    redcar_auditor: User,
    manager: User,
    analyst: User,
    teacher: User,
    stockton: Council,
) -> None:
    template = programme.template
    url = f"{BASE}/{programme.pk}"
    for user in (redcar_auditor, manager, analyst, teacher):
        client.force_login(user)
        assert _post(client, BASE, _body(template.pk, [stockton.pk])).status_code == 403
        assert client.get(url).status_code == 404
        for action in ("sample", "open", "close", "cases", "assignments"):
            assert _post(client, f"{url}/{action}").status_code in (403, 404, 422)
    assert AuditProgramme.objects.count() == 1
    assert AuditCase.objects.count() == 0
    client.logout()
    assert client.get(BASE).status_code == 401
