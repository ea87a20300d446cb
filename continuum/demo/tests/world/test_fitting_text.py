"""Generated text fits the child (issue 12): every indicator on a contact fits one of its
children at their age, no strength (a level 1 indicator) is listed as a worry or ticked as
one, and what an assessment says of a child suits their age."""

from __future__ import annotations

from django.utils import timezone

from continuum.demo.generator import World
from continuum.demo.generator.fitting import (
    INDICATOR_AGES,
    STRENGTH_LEVEL,
    fits_age,
    fits_someone,
    for_age,
)
from continuum.demo.generator.steps.early_help.words import (
    CHILD_NEEDS,
    CHILD_STRENGTHS,
    HOW_GATHERED,
    NEEDS,
    SAID,
)
from continuum.early_help.models import ChildVoice, Need, PersonAssessment
from continuum.front_door.models import Contact
from continuum.people.choices import PersonKind
from continuum.thresholds.models import Indicator


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def test_the_bands_keep_offending_from_toddlers_and_attendance_from_babies() -> None:
    assert not fits_age("DEV-3-04", 2)  # early signs of offending
    assert fits_age("DEV-3-04", 14)
    assert not fits_age("DEV-2-01", 1)  # attendance
    assert not fits_age("PAR-4-04", 3)  # an unborn baby at risk
    assert fits_age("PAR-4-04", None)
    assert fits_age("FAM-2-01", 0)  # money worries: any child
    assert fits_someone("DEV-3-04", [2, 13])
    assert set(INDICATOR_AGES) >= {"DEV-1-02", "DEV-3-04", "DEV-4-03"}


def test_every_contacts_indicators_and_concerns_fit_its_children(demo_world: World) -> None:
    titles = {lower_first(i.title): i for i in Indicator.objects.all()}
    contacts = Contact.objects.prefetch_related(
        "child_links__person", "presenting_indicators", "decision__indicators"
    ).select_related("decision")
    wrong: list[str] = []
    checked = 0
    for contact in contacts:
        day = timezone.localtime(contact.received_at).date()
        ages = [link.person.age_on(day) for link in contact.child_links.all()]
        if not ages:
            continue
        checked += 1
        decision = getattr(contact, "decision", None)
        decided = list(decision.indicators.all()) if decision is not None else []
        for indicator in [*contact.presenting_indicators.all(), *decided]:
            if not fits_someone(indicator.code, ages):
                wrong.append(f"{contact.pk}: {indicator.code} for children aged {ages}")
        for indicator in contact.presenting_indicators.all():
            if indicator.level == STRENGTH_LEVEL:
                wrong.append(f"{contact.pk}: a strength ticked as a worry: {indicator.code}")
        for title, indicator in titles.items():
            if title not in contact.concerns:
                continue
            if indicator.level == STRENGTH_LEVEL:
                wrong.append(f"{contact.pk}: a strength listed as a worry: {title}")
            elif not fits_someone(indicator.code, ages):
                wrong.append(f"{contact.pk}: {title!r} for children aged {ages}")
    assert checked > 500
    assert wrong == []


def test_what_an_assessment_says_of_a_child_suits_their_age(demo_world: World) -> None:
    wrong: list[str] = []
    voices = ChildVoice.objects.select_related("child", "assessment")
    said = {text for text, _, _ in SAID}
    gathered = {text for text, _, _ in HOW_GATHERED}
    for voice in voices:
        age = voice.child.age_on(voice.assessment.started_on)
        if voice.what_the_child_said in said and voice.what_the_child_said not in for_age(
            SAID, age
        ):
            wrong.append(f"aged {age} said {voice.what_the_child_said!r}")
        if voice.how_gathered in gathered and voice.how_gathered not in for_age(HOW_GATHERED, age):
            wrong.append(f"aged {age} heard {voice.how_gathered!r}")
    strengths = {text for text, _, _ in CHILD_STRENGTHS}
    child_needs = {text for text, _, _ in CHILD_NEEDS}
    entries = PersonAssessment.objects.filter(person__kind=PersonKind.CHILD).select_related(
        "person", "assessment"
    )
    for entry in entries:
        age = entry.person.age_on(entry.assessment.started_on)
        if entry.strengths in strengths and entry.strengths not in for_age(CHILD_STRENGTHS, age):
            wrong.append(f"aged {age}: strength {entry.strengths!r}")
        if entry.needs in child_needs and entry.needs not in for_age(CHILD_NEEDS, age):
            wrong.append(f"aged {age}: needs {entry.needs!r}")
    kinds = [kind for kind in NEEDS.values() if kind.about == "child"]
    needs = Need.objects.filter(person__kind=PersonKind.CHILD).select_related(
        "person", "episode__assessment"
    )
    for need in needs:
        name = need.person.given_name if need.person else ""
        kind = next((k for k in kinds if k.description.format(name=name) == need.description), None)
        if kind is None:
            continue  # the history's placeholder needs
        age = need.person.age_on(need.episode.assessment.started_on) if need.person else None
        if age is None or not kind.min_age <= age <= kind.max_age:
            wrong.append(f"aged {age}: need {need.description!r}")
    assert voices.exists() and entries.exists()
    assert wrong == []
