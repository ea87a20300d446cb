"""Recording a person's consent and its withdrawal. Each refuses with every problem at once
and saves nothing when refused; a withdrawal calls the reactions other apps registered
(``consent.reactions``) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.consent import reactions
from continuum.consent.choices import GivenBy, InformationKind, ObtainedHow
from continuum.consent.models import ConsentRecord, ConsentWithdrawal
from continuum.consent.policies import ConsentAction
from continuum.consent.selectors import standing_of
from continuum.errors import InvalidState
from continuum.organisations.models import Organisation
from continuum.people.choices import ChronologyCategory, PersonKind
from continuum.people.models import Person
from continuum.people.services import record_chronology_event
from continuum.ui.dates import govuk_date

TEXT_MAX = 4000


def _kinds_problem(kinds: Sequence[str]) -> str | None:
    unknown = [k for k in kinds if k not in InformationKind.values]
    if unknown:
        return f"Unknown kinds of information: {', '.join(map(str, unknown))}"
    if len(set(kinds)) < len(kinds):
        return "Choose each kind of information once"
    return None


# The youngest a child may be asked to decide for themselves, with the practitioner's
# judgement that they understand (Gillick competence has no fixed age; councils' early help
# consent forms commonly ask young people from 12 or 13).
YOUNGEST_TO_DECIDE = 12


def decides_for_themselves(person: Person) -> bool:
    """May ``person`` be asked for their own consent: an adult, or a child of
    ``YOUNGEST_TO_DECIDE`` or over (or whose age is not known)."""
    if person.kind == PersonKind.UNBORN:
        return False
    age = person.age_on(timezone.localdate())
    return person.kind != PersonKind.CHILD or age is None or age >= YOUNGEST_TO_DECIDE


def _giver_problems(
    *, person: Person, given_by: str, given_by_person: Person | None, competence_judgement: str
) -> dict[str, str]:
    """Who gave consent: the person themselves (a child only when judged competent) or,
    for a child, a parent or carer."""
    is_child = person.kind in (PersonKind.CHILD, PersonKind.UNBORN)
    if given_by not in GivenBy.values:
        return {"given_by": "Select who gave consent"}
    if given_by == GivenBy.SELF:
        if person.kind == PersonKind.UNBORN:
            return {"given_by": "An unborn child's consent is given by a parent"}
        if given_by_person is not None:
            return {"given_by_person": "Name a parent or carer only when they gave consent"}
        if not decides_for_themselves(person):
            return {
                "given_by": (
                    f"A child under {YOUNGEST_TO_DECIDE} does not decide for themselves: "
                    "record the consent of a parent or carer"
                )
            }
        if is_child and not competence_judgement.strip():
            return {
                "competence_judgement": (
                    "Enter why you judge the young person able to decide for themselves"
                )
            }
        return {}
    if not is_child:
        return {"given_by": "An adult gives their own consent"}
    if given_by_person is None:
        return {"given_by_person": "Select the parent or carer who gave consent"}
    if given_by_person.pk == person.pk:
        return {"given_by_person": "Select the parent or carer, not the child"}
    return {}


def _dates_problems(*, obtained_on: date | None, review_on: date | None) -> dict[str, str]:
    if obtained_on is None:
        return {"obtained_on": "Enter the date consent was obtained"}
    if obtained_on > timezone.localdate():
        return {"obtained_on": "The date consent was obtained must be today or in the past"}
    if review_on is not None and review_on <= obtained_on:
        return {"review_on": "The date to check consent again must be after it was obtained"}
    return {}


def _record_problems(
    *,
    person: Person,
    given_by: str,
    given_by_person: Person | None,
    competence_judgement: str,
    agrees_to_early_help: bool,
    shares_with_taf: bool,
    agencies: Sequence[Organisation],
    information_kinds: Sequence[str],
    obtained_how: str,
    obtained_on: date | None,
    review_on: date | None,
    notes: str,
) -> dict[str, str]:
    problems = _giver_problems(
        person=person,
        given_by=given_by,
        given_by_person=given_by_person,
        competence_judgement=competence_judgement,
    )
    if not (agrees_to_early_help or shares_with_taf or agencies):
        problems["agrees_to_early_help"] = (
            "Record what they agreed to: early help, or sharing with the Team Around the "
            "Family or named agencies"
        )
    strangers = [a.name for a in agencies if not a.serves.filter(pk=person.council_id).exists()]
    if strangers:
        problems["agencies"] = (
            f"Select only agencies serving {person.council.name}: {', '.join(sorted(strangers))} "
            "does not"
        )
    if (shares_with_taf or agencies) and not information_kinds:
        problems["information_kinds"] = "Select the kinds of information they agreed to share"
    kinds_problem = _kinds_problem(information_kinds)
    if kinds_problem:
        problems["information_kinds"] = kinds_problem
    if obtained_how not in ObtainedHow.values:
        problems["obtained_how"] = "Select how consent was obtained"
    problems.update(_dates_problems(obtained_on=obtained_on, review_on=review_on))
    for name, text in (("competence_judgement", competence_judgement), ("notes", notes)):
        if len(text) > TEXT_MAX:
            problems[name] = f"Enter {TEXT_MAX} characters or fewer"
    return problems


@transaction.atomic
def record_consent(
    *,
    by: User,
    person: Person,
    given_by: str,
    agrees_to_early_help: bool,
    shares_with_taf: bool,
    obtained_how: str,
    obtained_on: date | None,
    agencies: Iterable[Organisation] = (),
    information_kinds: Sequence[str] = (),
    given_by_person: Person | None = None,
    competence_judgement: str = "",
    review_on: date | None = None,
    notes: str = "",
) -> ConsentRecord:
    """Record what ``person`` (or a parent for them) agreed to. It becomes their current
    consent, replacing any earlier record."""
    policy.require(by, ConsentAction.RECORD, person, "You may not record consent for this person.")
    agencies = list(agencies)
    problems = _record_problems(
        person=person,
        given_by=given_by,
        given_by_person=given_by_person,
        competence_judgement=competence_judgement,
        agrees_to_early_help=agrees_to_early_help,
        shares_with_taf=shares_with_taf,
        agencies=agencies,
        information_kinds=information_kinds,
        obtained_how=obtained_how,
        obtained_on=obtained_on,
        review_on=review_on,
        notes=notes,
    )
    if by.organisation is None:
        problems["given_by"] = "Your account has no organisation: ask an administrator"
    if problems:
        raise ValidationError(problems)
    assert obtained_on is not None and by.organisation is not None
    record = ConsentRecord(
        person=person,
        council=person.council,
        given_by=given_by,
        given_by_person=given_by_person if given_by == GivenBy.PARENT else None,
        competence_judgement=competence_judgement.strip(),
        agrees_to_early_help=agrees_to_early_help,
        shares_with_taf=shares_with_taf,
        information_kinds=list(information_kinds),
        obtained_how=obtained_how,
        obtained_on=obtained_on,
        obtained_by=by,
        obtained_by_organisation=by.organisation,
        review_on=review_on,
        notes=notes.strip(),
        recorded_by=by,
    )
    record._history_user = by  # type: ignore[attr-defined]
    record.save()
    record.agencies.set(agencies)
    record_chronology_event(
        person=person,
        occurred_on=obtained_on,
        category=ChronologyCategory.EARLY_HELP,
        title="Consent recorded",
        detail=f"Agreed to {agreed_to(record)}.",
        source=source_of(record),
        recorded_by=by,
    )
    return record


def source_of(record: ConsentRecord) -> str:
    """The chronology's link to the consent record's page (``people.record_links``)."""
    return f"consent.record:{record.pk}"


def agreed_to(record: ConsentRecord) -> str:
    """What a consent record agrees to, in a sentence's words."""
    parts = []
    if record.agrees_to_early_help:
        parts.append("early help")
    if record.shares_with_taf:
        parts.append("sharing with the Team Around the Family")
    names = sorted(a.name for a in record.agencies.all())
    if names:
        parts.append(f"sharing with {', '.join(names)}")
    return _and_list(parts)


def withdrawn_what(withdrawal: ConsentWithdrawal) -> str:
    """What a withdrawal took back, in a sentence's words."""
    parts = []
    if withdrawal.early_help:
        parts.append("early help")
    if withdrawal.taf_sharing:
        parts.append("sharing with the Team Around the Family")
    names = sorted(a.name for a in withdrawal.agencies.all())
    if names:
        parts.append(f"sharing with {', '.join(names)}")
    kinds = [InformationKind(k).label.lower() for k in withdrawal.information_kinds]
    if kinds:
        parts.append(f"sharing {'; '.join(kinds)}")
    return _and_list(parts)


def _and_list(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _withdrawal_problems(
    *,
    consent: ConsentRecord,
    withdrawn_on: date | None,
    early_help: bool,
    taf_sharing: bool,
    agencies: Sequence[Organisation],
    information_kinds: Sequence[str],
    told_how: str,
    note: str,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not (early_help or taf_sharing or agencies or information_kinds):
        problems["early_help"] = "Select what they withdrew"
    if withdrawn_on is None:
        problems["withdrawn_on"] = "Enter the date consent was withdrawn"
    elif withdrawn_on > timezone.localdate():
        problems["withdrawn_on"] = "The date consent was withdrawn must be today or in the past"
    elif withdrawn_on < consent.obtained_on:
        problems["withdrawn_on"] = (
            f"The date consent was withdrawn must be on or after it was obtained "
            f"({govuk_date(consent.obtained_on)})"
        )
    if early_help and not consent.agrees_to_early_help:
        problems["early_help"] = "They did not agree to early help on this record"
    if taf_sharing and not consent.shares_with_taf:
        problems["taf_sharing"] = (
            "They did not agree to share with the whole Team Around the Family"
        )
    agreed = {a.pk for a in consent.agencies.all()}
    if any(a.pk not in agreed for a in agencies) and not consent.shares_with_taf:
        problems["agencies"] = "Select only agencies they agreed to share with"
    kinds_problem = _kinds_problem(information_kinds)
    if kinds_problem:
        problems["information_kinds"] = kinds_problem
    elif any(k not in consent.information_kinds for k in information_kinds):
        problems["information_kinds"] = "Select only kinds of information they agreed to share"
    if told_how not in ObtainedHow.values:
        problems["told_how"] = "Select how they told you"
    if len(note) > TEXT_MAX:
        problems["note"] = f"Enter {TEXT_MAX} characters or fewer"
    return problems


def _already_withdrawn(
    consent: ConsentRecord,
    *,
    early_help: bool,
    taf_sharing: bool,
    agencies: Sequence[Organisation],
    information_kinds: Sequence[str],
) -> str | None:
    """Why this withdrawal repeats one already recorded, if it does."""
    for earlier in consent.withdrawals.all():
        when = govuk_date(earlier.withdrawn_on)
        if early_help and earlier.early_help:
            return f"Consent to early help was already withdrawn on {when}."
        if taf_sharing and earlier.taf_sharing:
            return f"Sharing with the Team Around the Family was already withdrawn on {when}."
        repeated = {a.pk for a in earlier.agencies.all()} & {a.pk for a in agencies}
        if repeated:
            names = ", ".join(sorted(a.name for a in agencies if a.pk in repeated))
            return f"Sharing with {names} was already withdrawn on {when}."
        kinds = set(earlier.information_kinds) & set(information_kinds)
        if kinds:
            return f"Sharing that information was already withdrawn on {when}."
    return None


@transaction.atomic
def withdraw_consent(
    *,
    by: User,
    consent: ConsentRecord,
    withdrawn_on: date | None,
    told_how: str,
    early_help: bool = False,
    taf_sharing: bool = False,
    agencies: Iterable[Organisation] = (),
    information_kinds: Sequence[str] = (),
    note: str = "",
) -> ConsentWithdrawal:
    """Record that the person withdrew part or all of ``consent``. Refused when it repeats
    a withdrawal already recorded. Apps above react in the same transaction (partners
    whose access rested on it lose it; the lead professional and manager are told)."""
    policy.require(by, ConsentAction.WITHDRAW, consent, "You may not record a withdrawal here.")
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if is_withdrawn_entirely(consent):
        raise InvalidState("Everything on this consent record has already been withdrawn.")
    agencies = list(agencies)
    problems = _withdrawal_problems(
        consent=consent,
        withdrawn_on=withdrawn_on,
        early_help=early_help,
        taf_sharing=taf_sharing,
        agencies=agencies,
        information_kinds=information_kinds,
        told_how=told_how,
        note=note,
    )
    if problems:
        raise ValidationError(problems)
    repeated = _already_withdrawn(
        consent,
        early_help=early_help,
        taf_sharing=taf_sharing,
        agencies=agencies,
        information_kinds=information_kinds,
    )
    if repeated:
        raise InvalidState(repeated)
    assert withdrawn_on is not None
    withdrawal = ConsentWithdrawal(
        consent=consent,
        withdrawn_on=withdrawn_on,
        early_help=early_help,
        taf_sharing=taf_sharing,
        information_kinds=list(information_kinds),
        told_how=told_how,
        note=note.strip(),
        recorded_by=by,
    )
    withdrawal._history_user = by  # type: ignore[attr-defined]
    withdrawal.save()
    withdrawal.agencies.set(agencies)
    record_chronology_event(
        person=consent.person,
        occurred_on=withdrawn_on,
        category=ChronologyCategory.EARLY_HELP,
        title="Consent withdrawn",
        detail=f"Withdrew {withdrawn_what(withdrawal)}.",
        source=source_of(consent),
        recorded_by=by,
    )
    reactions.withdrawn(withdrawal, by)
    return withdrawal


def is_withdrawn_entirely(consent: ConsentRecord) -> bool:
    """Has everything on ``consent`` been withdrawn?"""
    standing = standing_of(consent)
    return not (standing.early_help or standing.taf or standing.agencies)
