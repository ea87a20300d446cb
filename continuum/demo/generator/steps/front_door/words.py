"""What people wrote: the concerns, rationales, notes and sharing decisions on contacts."""

from __future__ import annotations

import random
from collections.abc import Sequence

from continuum.demo.generator.fitting import is_worry
from continuum.demo.generator.steps.front_door.figures import SOURCE_GROUPS
from continuum.demo.generator.steps.front_door.records import Planned, first_names, local
from continuum.front_door.choices import (
    DashRisk,
    Outcome,
)
from continuum.thresholds.models import Indicator
from continuum.ui.dates import govuk_datetime

AWAITING_NOTES = (
    "Waiting for the school to confirm attendance this term and any recent concerns.",
    "Asked the GP practice to share its recent contact with the family.",
    "Asked the police for previous call-outs to the address.",
    "Waiting for the health visitor's notes from the last home visit.",
    "Waiting for the referrer to confirm the family's current address.",
)
CONTEXT_SENTENCES: dict[str, tuple[str, ...]] = {
    "schools": (
        "Staff have noticed a change over the last half term.",
        "The family has been offered support by the school's pastoral team before.",
        "Mum told the class teacher that things have been difficult at home.",
    ),
    "health": (
        "Seen at a routine appointment; the parent was open about how they are coping.",
        "The family missed the last two appointments.",
        "The parent asked for help and agreed to this referral.",
    ),
    "police": (
        "Officers attended the address after a call from a neighbour.",
        "Police were called to the home late at night.",
        "The child was found by officers away from home in the early hours.",
    ),
    "individuals": (
        "The caller is worried and says the family needs more help than they are getting.",
        "The caller says the parents are struggling since a recent separation.",
    ),
    "other": (
        "The worker knows the family well and is worried things are getting worse.",
        "The family has asked for help with money and housing.",
    ),
}
SHARED_WITH = (
    ("the family's GP practice", "Recent health contacts", "To check the children's health needs"),
    ("the school nurse", "The concerns in this referral", "So school nursing can offer support"),
    ("the health visitor", "The outcome of screening", "So the health visitor can follow up"),
)
NOT_SHARED = (
    (
        "The mother's own health history",
        "the school",
        "To explain the family's circumstances",
        "Not needed for the school's part: the relevant concern is already known and the "
        "mother asked that her health is not shared.",
    ),
    (
        "The address the family moved to",
        "the children's father",
        "Contact arrangements",
        "Sharing could put the mother and children at risk; the father is the alleged "
        "perpetrator of domestic abuse.",
    ),
)
# What a referrer writes when the front door will find the needs met by universal services:
# a worry, for a child of any age, that no threshold indicator names.
MILD_WORRIES = (
    "the family has asked for advice after a difficult few weeks",
    "a parent says they are finding things harder than usual and would like some advice",
    "the family has had a bereavement and the parent asked what support there is",
    "the family has just moved to the area and does not know what help is on offer",
)
INVENTED_COUNCILS = ("Northshire County Council", "Westdale Borough Council")


def concerns(rng: random.Random, p: Planned, indicators: Sequence[Indicator]) -> str:
    n = p.notification
    if n is not None:  # as front_door.services.triage's _contact_from_notification words it
        incident = local(n.incident_at)
        return (
            f"Domestic-abuse incident on {govuk_datetime(incident)}. DASH risk "
            f"{DashRisk(n.risk).label.lower()} ({n.ticks} ticks); {n.repeats} "
            f"repeat incidents in the last 12 months.\n{n.summary}"
        ).strip()
    if p.step_up is not None:
        return f"Step-up from early help agreed by {p.step_up.manager}.\n{p.step_up.reason}"
    group = SOURCE_GROUPS.get(p.source, "other")
    context = rng.choice(CONTEXT_SENTENCES.get(group, CONTEXT_SENTENCES["other"]))
    # Worries only: a level 1 indicator describes what is going well.
    worries = "; ".join(i.title[0].lower() + i.title[1:] for i in indicators if is_worry(i.level))
    if not worries:
        worries = rng.choice(MILD_WORRIES)
    return f"Worried about {first_names(p.children)}: {worries}. {context}"


def difference_reason(rng: random.Random, level: int, suggested: int | None) -> str:
    if suggested is not None and level < suggested:
        return rng.choice(
            (
                "The family already has support from an agency it trusts, which is "
                "enough for now; the indicators on their own overstate the need.",
                "New information from the school and GP shows the concern is resolving; "
                "a lower level is proportionate.",
            )
        )
    return rng.choice(
        (
            "Several agencies have raised concerns in a short time; taken together, the "
            "need is higher than any one indicator suggests.",
            "The child's age and the history of earlier contacts mean the need is higher "
            "than the indicators alone suggest.",
        )
    )


def rationale(p: Planned, indicators: Sequence[Indicator]) -> str:
    names = first_names(p.children)
    top = max(indicators, key=lambda i: (i.level, i.code))
    main = top.title[0].lower() + top.title[1:]
    # A level 1 indicator is what is going well, not what the advice is about.
    about = f"about {main}" if is_worry(top.level) else f"({names}: {main})"
    about_main = main if is_worry(top.level) else f"going well: {main}"
    texts = {
        Outcome.NO_FURTHER_ACTION: (
            f"Checks with the school and GP show {names}'s needs are being met by "
            f"universal services ({main}). No further action by children's services; "
            "the referrer has been told."
        ),
        Outcome.INFORMATION_AND_ADVICE: (
            f"Advice given to the referrer and the family {about}. The family knows "
            "how to come back to the front door if things change."
        ),
        Outcome.SIGNPOSTING: (
            f"The family has been signposted to the family hub and local parenting "
            f"support ({about_main})."
        ),
        Outcome.EARLY_HELP_SINGLE: (
            f"Level 2: {main}. One agency that knows {names} can meet the needs with "
            "early help support; an early help assessment will be offered."
        ),
        Outcome.EARLY_HELP_MULTI: (
            f"Level 3: {'; '.join(i.title.lower() for i in indicators)}. The needs call "
            "for a coordinated response: an early help assessment, a lead professional "
            "and a Team Around the Family."
        ),
        Outcome.SOCIAL_CARE_ASSESSMENT: (
            f"Level 4: {main}. {names} may be in need: a social care assessment "
            "(section 17) is opened and allocated to the assessment team."
        ),
        Outcome.STRATEGY_DISCUSSION: (
            f"Level 4: {main}. There is reasonable cause to suspect significant harm: a "
            "strategy discussion with police and health has been arranged (section 47)."
        ),
    }
    return texts[Outcome(p.outcome)]
