"""The decision page (issue 12, rough edge 5): the referrer's concerns beside the decision;
the suggested level worked out as indicators are ticked, by a static script applying the
same rules (checked here against ``suggest_level`` by running it under Node); and a level
that differs from the suggestion without a reason flagged on the first submission."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from continuum.accounts.models import User
from continuum.front_door import selectors
from continuum.front_door.choices import Outcome
from continuum.front_door.models import Contact, ContactDecision
from continuum.front_door.tests.contacts_support import form_errors, indicator, signed_in
from continuum.thresholds.models import Indicator

pytestmark = pytest.mark.django_db

SCRIPT = Path(settings.BASE_DIR) / "continuum/front_door/static/front_door/suggested-level.mjs"


def _decision(contact: Contact, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": contact.version,
        "level": 2,
        "indicators": [indicator(2).code],
        "outcome": Outcome.EARLY_HELP_SINGLE,
        "rationale": "Single-agency support from school is enough.",
        "difference_reason": "",
        "action": "decide",
    }
    data.update(overrides)
    return data


def test_the_referrers_concerns_are_beside_the_decision(worker: User, screening: Contact) -> None:
    page = signed_in(worker).get(reverse("front_door:contact-decide", args=[screening.pk]))
    text = page.content.decode()
    aside = text.split('data-testid="referrer-concerns"', 1)[1].split("</aside>", 1)[0]
    assert screening.concerns in aside
    assert indicator(2).code in aside and indicator(2).title in aside
    assert "Level 2: Early help, single agency" in aside  # the referrer's view of the level


@pytest.mark.parametrize(
    "posted",
    [
        {"rationale": ""},  # another problem on the form: still flagged at once
        {},
    ],
)
def test_a_level_below_the_suggestion_without_a_reason_is_flagged_on_the_first_submission(
    worker: User, screening: Contact, posted: dict[str, str]
) -> None:
    response = signed_in(worker).post(
        reverse("front_door:contact-decide", args=[screening.pk]),
        _decision(
            screening,
            level=1,
            indicators=[indicator(2).code],
            outcome=Outcome.INFORMATION_AND_ADVICE,
            **posted,
        ),
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert "The framework suggests level 2" in " ".join(errors["difference_reason"])
    if posted:
        assert "rationale" in errors
    assert not ContactDecision.objects.filter(contact=screening).exists()


def test_no_level_chosen_is_not_called_a_difference(worker: User, screening: Contact) -> None:
    data = _decision(screening, rationale="")
    del data["level"]
    response = signed_in(worker).post(
        reverse("front_door:contact-decide", args=[screening.pk]), data
    )
    errors = form_errors(response)
    assert "level" in errors and "rationale" in errors
    assert "difference_reason" not in errors


def test_the_page_carries_the_rules_as_data_and_a_static_script_only(
    worker: User, screening: Contact
) -> None:
    text = (
        signed_in(worker)
        .get(reverse("front_door:contact-decide", args=[screening.pk]))
        .content.decode()
    )
    scripts = re.findall(r"<script([^>]*)>", text)
    # Under the Content Security Policy: scripts come from files; the rules are a data block.
    assert all(
        "src=" in attributes or 'type="application/json"' in attributes for attributes in scripts
    )
    assert any("front_door/suggested-level.mjs" in attributes for attributes in scripts)
    data = re.search(r'<script id="threshold-rules" type="application/json">(.*?)</script>', text)
    assert data is not None
    rules = json.loads(data[1])
    assert rules["indicators"][indicator(3).code][0] == 3
    assert rules["levelNames"]["2"] == "Level 2: Early help, single agency"
    # The no-script round trip still works: "Update the suggestion" is on the page.
    assert 'value="suggest"' in text


def test_without_javascript_the_round_trip_updates_the_suggestion(
    worker: User, screening: Contact
) -> None:
    response = signed_in(worker).post(
        reverse("front_door:contact-decide", args=[screening.pk]),
        {"version": screening.version, "indicators": [indicator(4).code], "action": "suggest"},
    )
    assert response.context["suggestion"].level == 4
    assert not form_errors(response)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed")
def test_the_script_suggests_what_the_rules_suggest() -> None:
    """Many ticked sets, chosen at random (by seed) from the current framework: the page's
    script and ``suggest_level`` agree on every one."""
    rules = selectors.suggestion_rules()
    codes = sorted(rules["indicators"])  # type: ignore[call-overload]
    chance = random.Random(12)
    cases = [[]] + [chance.sample(codes, chance.randint(1, min(8, len(codes)))) for _ in range(300)]
    # The shapes that matter most, by hand: three level 2 needs across two domains.
    by_level = {
        level: list(Indicator.objects.filter(version__is_current=True, level=level))
        for level in (1, 2, 3, 4)
    }
    level_2 = by_level[2]
    spread = [i for i in level_2 if i.domain_id != level_2[0].domain_id][:1]
    cases.append([level_2[0].code, level_2[1].code, *[i.code for i in spread]])
    cases.append([i.code for i in level_2 if i.domain_id == level_2[0].domain_id][:3])
    program = (
        f"import {{ suggestLevel }} from {json.dumps(SCRIPT.as_uri())};\n"
        "import { readFileSync } from 'node:fs';\n"
        "const { rules, cases } = JSON.parse(readFileSync(0, 'utf8'));\n"
        "console.log(JSON.stringify(cases.map((c) => suggestLevel(c, rules))));\n"
    )
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(  # noqa: S603 - our own script, run by node
        [node, "--input-type=module", "-e", program],
        input=json.dumps({"rules": rules, "cases": cases}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    from_script = json.loads(result.stdout)
    from_rules = [
        (suggestion.level if (suggestion := selectors.suggestion_for(case)) else None)
        for case in cases
    ]
    assert from_script == from_rules
    assert {3, 4} <= set(from_rules)  # the cases reach the rules that raise the level
