"""The pages for running a programme: who may see and use each, the forms' errors at the
field and in the summary with nothing saved, and the journey from setting one up to
closing it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseStatus, ProgrammeStatus
from continuum.case_audits.models import AuditCase, AuditProgramme
from continuum.case_audits.services.programmes import (
    assign,
    close_programme,
    draw_sample,
    open_programme,
)
from continuum.early_help.models import Episode
from continuum.organisations.models import Council, OrganisationKind
from continuum.testing import factories

pytestmark = pytest.mark.django_db

PROGRAMME_PAGES = [
    "programme-edit",
    "programme-sample",
    "case-add",
    "programme-assign",
    "programme-open",
    "programme-close",
]


def _date(prefix: str, day: Any) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


@pytest.fixture
def drawn(
    programme: AuditProgramme, partnership_lead: User, stockton: Council, hartlepool: Council
) -> AuditProgramme:
    for council in (stockton, hartlepool):
        for _ in range(2):
            factories.EpisodeFactory(council=council)
    programme.per_council = 1
    programme.save()
    return draw_sample(programme=programme, by=partnership_lead)


def test_the_lead_sets_up_a_programme_in_the_browser(
    client: Client, partnership_lead: User, stockton: Council, hartlepool: Council
) -> None:
    template = factories.audit_template()
    client.force_login(partnership_lead)
    page = client.get(reverse("case_audits:new-programme"))
    assert page.status_code == 200
    today = timezone.localdate()
    answer = client.post(
        reverse("case_audits:new-programme"),
        {
            "title": "Early help peer audit 2026",
            "theme": "Assessments and plans",
            "template": template.pk,
            "case_kind": "episode",
            **_date("period_start", today - timedelta(days=365)),
            **_date("period_end", today - timedelta(days=1)),
            "councils": [stockton.pk, hartlepool.pk],
            "sample_method": "random",
            "per_council": "10",
            "seed": "",
            "exclude_audited_within_days": "",
            "regrade_per_council": "0",
        },
    )
    assert answer.status_code == 302, re.findall(
        r"govuk-error-message.*?</p>", answer.content.decode()
    )
    made = AuditProgramme.objects.get()
    assert answer["Location"] == reverse("case_audits:programme", args=[made.pk])
    assert made.seed is not None
    shown = client.get(answer["Location"]).content.decode()
    assert str(made.seed) in shown
    assert "Early help peer audit 2026" in shown


def test_bad_input_is_shown_at_the_field_and_in_the_summary_and_nothing_is_saved(
    client: Client, partnership_lead: User, stockton: Council
) -> None:
    template = factories.audit_template()
    client.force_login(partnership_lead)
    today = timezone.localdate()
    answer = client.post(
        reverse("case_audits:new-programme"),
        {
            "title": "Audit",
            "theme": "Plans",
            "template": template.pk,
            "case_kind": "episode",
            **_date("period_start", today - timedelta(days=30)),
            **_date("period_end", today + timedelta(days=3)),
            "councils": [stockton.pk],
            "sample_method": "random",
            "per_council": "10",
            "regrade_per_council": "0",
        },
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    message = "The period must have ended: enter today or an earlier day."
    assert html.count(message) == 2  # at the field and in the error summary
    assert "govuk-error-summary" in html
    assert AuditProgramme.objects.count() == 0


def test_a_sample_too_large_is_refused_on_the_page_with_the_numbers(
    client: Client, programme: AuditProgramme, partnership_lead: User, stockton: Council
) -> None:
    for _ in range(3):
        factories.EpisodeFactory(council=stockton)
    client.force_login(partnership_lead)
    answer = client.post(reverse("case_audits:programme-sample", args=[programme.pk]))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Stockton-on-Tees has 3 early help episodes open in the period after exclusions" in html
    assert AuditCase.objects.count() == 0


def test_adding_a_case_without_a_reason_is_refused_and_saves_nothing(
    client: Client, programme: AuditProgramme, partnership_lead: User, stockton: Council
) -> None:
    episode = cast(Episode, factories.EpisodeFactory(council=stockton))
    client.force_login(partnership_lead)
    url = reverse("case_audits:case-add", args=[programme.pk])
    answer = client.post(url, {"record_id": str(episode.pk), "reason": ""})
    assert answer.status_code == 200
    assert "Enter why this case was chosen." in answer.content.decode()
    assert AuditCase.objects.count() == 0
    answer = client.post(url, {"record_id": str(episode.pk), "reason": "A complaint"})
    assert answer.status_code == 302
    assert AuditCase.objects.get().reason == "A complaint"


def test_the_lead_gives_cases_to_auditors_and_opens_and_closes_the_programme(
    client: Client,
    drawn: AuditProgramme,
    partnership_lead: User,
    redcar_auditor: User,
    stockton_auditor: User,
) -> None:
    client.force_login(partnership_lead)
    url = reverse("case_audits:programme-assign", args=[drawn.pk])
    assert client.get(url).status_code == 200
    answer = client.post(
        url,
        {
            "automatic": "1",
            "auto-auditors": [stockton_auditor.pk],
            "auto-moderators": [redcar_auditor.pk],
        },
    )
    assert answer.status_code == 200
    assert "have no auditor from another council" in answer.content.decode()
    assert not drawn.cases.filter(auditor__isnull=False).exists()
    answer = client.post(
        url,
        {
            "automatic": "1",
            "auto-auditors": [stockton_auditor.pk, redcar_auditor.pk],
            "auto-moderators": [redcar_auditor.pk],
        },
    )
    assert answer.status_code == 302
    assert not drawn.cases.filter(auditor__isnull=True).exists()

    assert client.get(reverse("case_audits:programme-open", args=[drawn.pk])).status_code == 200
    answer = client.post(reverse("case_audits:programme-open", args=[drawn.pk]))
    assert answer.status_code == 302
    drawn.refresh_from_db()
    assert drawn.status == ProgrammeStatus.OPEN

    answer = client.post(reverse("case_audits:programme-close", args=[drawn.pk]))
    assert answer.status_code == 200
    assert "2 cases are not yet moderated" in answer.content.decode()
    drawn.cases.update(status=CaseStatus.MODERATED)
    answer = client.post(reverse("case_audits:programme-close", args=[drawn.pk]))
    assert answer.status_code == 302
    drawn.refresh_from_db()
    assert drawn.status == ProgrammeStatus.CLOSED


def test_withdrawing_a_case_on_its_page_needs_a_reason(
    client: Client, drawn: AuditProgramme, partnership_lead: User
) -> None:
    case = drawn.cases.first()
    assert case is not None
    client.force_login(partnership_lead)
    url = reverse("case_audits:case-withdraw", args=[case.pk])
    assert client.post(url, {"reason": " "}).status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED
    assert client.post(url, {"reason": "Family moved"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


# --- who may see and do what -------------------------------------------------------------------


def _open(drawn: AuditProgramme, lead: User, auditor: User, moderator: User) -> None:
    assign(
        programme=drawn,
        by=lead,
        assignments={c.pk: auditor for c in drawn.cases.all()},
        moderators=[moderator],
    )
    open_programme(programme=drawn, by=lead)


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_only_the_lead_uses_the_running_pages(
    client: Client,
    drawn: AuditProgramme,
    name: str,
    partnership_lead: User,
    redcar_auditor: User,
    manager: User,
    analyst: User,
    teacher: User,
    make_user: Callable[..., User],
) -> None:
    url = reverse(f"case_audits:{name}", args=[drawn.pk])
    client.force_login(partnership_lead)
    assert client.get(url).status_code == 200
    for user in (redcar_auditor, manager, analyst, teacher):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user.role
        assert client.post(url, {}).status_code in (403, 404), user.role
    # A lead of another partnership does not see it at all.
    other = factories.OrganisationFactory(
        name="Another partnership",
        kind=OrganisationKind.SAFEGUARDING_PARTNERSHIP,
        serves=[factories.CouncilFactory()],
    )
    client.force_login(make_user(Role.SAFEGUARDING_PARTNERSHIP_LEAD, organisation=other))
    assert client.get(url).status_code == 404


def test_who_sees_the_programme_and_its_cases(
    client: Client,
    drawn: AuditProgramme,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
    manager: User,
    analyst: User,
    teacher: User,
) -> None:
    page = reverse("case_audits:programme", args=[drawn.pk])
    listing = reverse("case_audits:programmes")
    client.force_login(redcar_auditor)
    assert client.get(page).status_code == 404  # not open yet
    assert drawn.title not in client.get(listing).content.decode()
    client.force_login(manager)
    assert client.get(page).status_code == 404  # planning: not the council's yet
    _open(drawn, partnership_lead, redcar_auditor, partnership_lead)
    client.force_login(redcar_auditor)
    html = client.get(page).content.decode()
    for case in drawn.cases.all():
        assert reverse("case_audits:programme-sample", args=[drawn.pk]) not in html
        assert str(case.pk)[:8] in html
    assert drawn.title in client.get(listing).content.decode()
    client.force_login(middlesbrough_auditor)  # not in this programme
    assert client.get(page).status_code == 404
    client.force_login(manager)  # Stockton's manager, once open
    assert client.get(page).status_code == 200
    assert drawn.title in client.get(listing).content.decode()
    for user in (analyst, teacher):
        client.force_login(user)
        assert client.get(page).status_code in (403, 404)
        assert client.get(listing).status_code == 403
    drawn.cases.update(status=CaseStatus.MODERATED)
    close_programme(programme=drawn, by=partnership_lead)
    client.force_login(redcar_auditor)
    assert client.get(page).status_code == 404


def test_an_auditor_sees_only_their_own_cases_on_the_programme_page(
    client: Client,
    drawn: AuditProgramme,
    partnership_lead: User,
    redcar_auditor: User,
    middlesbrough_auditor: User,
) -> None:
    cases = list(drawn.cases.order_by("pk"))
    assign(
        programme=drawn,
        by=partnership_lead,
        assignments={cases[0].pk: redcar_auditor, cases[1].pk: middlesbrough_auditor},
        moderators=[partnership_lead],
    )
    open_programme(programme=drawn, by=partnership_lead)
    client.force_login(redcar_auditor)
    html = client.get(reverse("case_audits:programme", args=[drawn.pk])).content.decode()
    assert str(cases[0].pk)[:8] in html
    assert str(cases[1].pk)[:8] not in html
