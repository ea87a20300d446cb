"""Referrers: who tells the front door, from which organisation and in what role, how the
contact arrives, and the consent the referrer records."""

from __future__ import annotations

from datetime import timedelta

from continuum.demo.generator.places import POST_TOWNS
from continuum.demo.generator.steps.front_door.figures import TRUSTS
from continuum.demo.generator.steps.front_door.records import (
    Planned,
    Referrer,
    email_for,
    first_names,
    phone_number,
)
from continuum.demo.generator.steps.front_door.words import INVENTED_COUNCILS
from continuum.demo.generator.world import World
from continuum.front_door.choices import (
    FamilyAgreement,
    HowReceived,
    LawfulBasis,
    NotSoughtReason,
    Outcome,
)
from continuum.front_door.models import (
    Contact,
)
from continuum.organisations.models import Organisation

_PHONE, _EMAIL, _ONLINE = HowReceived.PHONE, HowReceived.EMAIL, HowReceived.ONLINE
HOW_RECEIVED: dict[str, tuple[str, ...]] = {
    "6": (_EMAIL, _EMAIL, HowReceived.API, _PHONE),
    "2A": (_ONLINE, _ONLINE, _PHONE, _EMAIL),
    "2B": (_EMAIL,),
    "3A": (_ONLINE, _PHONE),
    "3B": (_ONLINE, _PHONE),
    "3C": (_ONLINE, _PHONE),
    "3E": (_PHONE,),
    "4": (_EMAIL,),
    "7": (_EMAIL, _EMAIL, _EMAIL, HowReceived.LETTER),
    "8": (_ONLINE, _PHONE),
    **{code: (_PHONE, _PHONE, _PHONE, HowReceived.IN_PERSON) for code in ("1A", "1B", "1C", "1D")},
}
REFERRER_ROLES: dict[str, tuple[str, ...]] = {
    "1A": ("Grandparent", "Aunt", "Uncle"),
    "1B": ("Neighbour",),
    "1C": ("The young person themselves",),
    "1D": ("Member of the public",),
    "2A": ("Designated safeguarding lead", "Deputy safeguarding lead", "Head of year"),
    "2B": ("Education welfare officer",),
    "3A": ("GP",),
    "3B": ("Health visitor",),
    "3C": ("School nurse",),
    "3D": ("Community paediatric nurse",),
    "3E": ("Paediatric liaison nurse, emergency department",),
    "3F": ("Community midwife", "Children and young people's mental health practitioner"),
    "4": ("Tenancy support officer",),
    "5A": ("Social worker (adults)",),
    "5B": ("Housing options officer",),
    "5C": ("Social worker",),
    "5D": ("Family support worker",),
    "6": ("Police constable",),
    "7": ("Case manager",),
    "8": ("Family worker",),
}


class Referrers:
    """Who referred each contact, how it came in, and the consent they recorded."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.faker = world.faker

    def referrer(self, p: Planned) -> tuple[Referrer, str]:
        """Who referred, and how the contact came in."""
        rng = self.rng
        if p.partner is not None:
            user = p.partner
            assert user.organisation is not None
            referrer = Referrer(
                name=user.get_full_name(),
                role=user.job_title,
                organisation=user.organisation,
                organisation_name=user.organisation.name,
                phone=phone_number(rng),
                email=user.email,
            )
            return referrer, HowReceived.API if rng.random() < 0.2 else HowReceived.ONLINE
        if p.notification is not None:  # as front_door.services.triage's _contact_from_notification
            n, police = p.notification, self.world.organisations["police"]
            referrer = Referrer(
                name=f"{n.officer} ({n.collar})",
                role="Reporting officer",
                organisation=police,
                organisation_name=police.name,
            )
            return referrer, HowReceived.DOMESTIC_ABUSE_NOTIFICATION
        if p.step_up is not None:  # as early_help.services.decide_step_up
            requester = p.step_up.requester
            organisation = requester.organisation
            referrer = Referrer(
                name=requester.get_full_name() or requester.username,
                role="Lead professional (early help step-up)",
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                email=requester.email,
            )
            return referrer, HowReceived.ONLINE
        if p.source == "9":
            return Referrer(name="Anonymous caller"), HowReceived.PHONE
        how = rng.choice(HOW_RECEIVED.get(p.source, (HowReceived.PHONE, HowReceived.EMAIL)))
        if p.source.startswith("1"):
            return self.individual(p), how
        return self.professional(p), how

    def professional(self, p: Planned) -> Referrer:
        """A referrer at work: their organisation (a record, or just its name) and role."""
        world, rng, faker, key, source = self.world, self.rng, self.faker, p.key, p.source
        council, places_of, child = world.councils[key].name, world.local[key], p.children[0]
        trust = world.organisations[TRUSTS[key.split("-", 1)[0]]]
        organisations: dict[str, Organisation | None] = {
            "6": world.organisations["police"],
            "2A": child.school or rng.choice(places_of["primary"] + places_of["secondary"]),
            "3A": child.gp_practice or rng.choice(places_of["gp_practice"]),
            "3B": world.organisations["health-visiting"],
            "3C": world.organisations["health-visiting"],
            "3D": trust,
            "3E": trust,
            "3F": trust,
            "4": places_of["housing"][0],
            "5D": world.organisations[f"council:{key}"],
            "8": rng.choice(places_of["voluntary"] + places_of["early_years"]),
        }
        organisation = organisations.get(source)
        named = {
            "2B": f"{council} Education Welfare Service",
            "5A": f"{council} Adult Social Care",
            "5B": f"{council} Housing Options",
            "5C": f"Children's services, {rng.choice(INVENTED_COUNCILS)}",
            "7": rng.choice(("Probation Service", f"{council} Youth Justice Service")),
        }
        organisation_name = organisation.name if organisation else named[source]
        role = rng.choice(REFERRER_ROLES[source])
        if source == "8" and organisation is not None and organisation.kind != "voluntary":
            role = "Nursery manager"
        name = f"{faker.first_name()} {faker.last_name()}"
        name = {"6": f"PC {name}", "3A": f"Dr {faker.last_name()}"}.get(source, name)
        return Referrer(
            name=name,
            role=role,
            organisation=organisation,
            organisation_name=organisation_name,
            phone=phone_number(rng),
            email=email_for(name, organisation_name),
        )

    def individual(self, p: Planned) -> Referrer:
        """A member of the family, a neighbour, the young person: a letter tells them."""
        rng, source, child = self.rng, p.source, p.children[0]
        name = f"{self.faker.first_name()} {self.faker.last_name()}"
        role = rng.choice(REFERRER_ROLES[source])
        if source == "1A" and rng.random() < 0.6:
            name, role = rng.choice(p.family.adults).person.full_name, "Parent"
        if source == "1C":
            name = child.person.full_name
        district = child.postcode.split()[0]
        street = f"{rng.randint(1, 120)} {self.faker.street_name()}"
        return Referrer(
            name=name,
            role=role,
            phone=phone_number(rng),
            address=f"{street}\n{POST_TOWNS.get(district, '')}".strip(),
        )

    def consent(self, p: Planned, referrer: Referrer, contact: Contact) -> None:
        """The referrer's record of consent: agreed (who, when), or the lawful basis for
        sharing without it, the reason and why it is justified."""
        if p.notification is not None:  # as front_door.services.triage's _contact_from_notification
            contact.family_agreement = FamilyAgreement.NOT_SOUGHT
            contact.lawful_basis = LawfulBasis.PUBLIC_TASK
            contact.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
            contact.sharing_justification = (
                "Police notification of domestic abuse with children in the household, shared "
                "for joint triage to safeguard the children."
            )
            return
        if p.step_up is not None:  # the consent the lead professional recorded
            up = p.step_up
            contact.family_agreement = up.family_agreement
            contact.sharing_justification = up.sharing_justification
            if up.family_agreement == FamilyAgreement.AGREED:
                contact.agreement_obtained_by = str(up.requester)
                contact.agreement_obtained_on = up.requested_on
            else:
                contact.lawful_basis = LawfulBasis.PUBLIC_TASK
                contact.not_agreed_reason = NotSoughtReason.SIGNIFICANT_HARM
            return
        if p.draft:  # the referrer has not finished: consent is what stops it going in
            if self.rng.random() < 0.5:
                contact.family_agreement = FamilyAgreement.AGREED
            return
        contact.family_agreement = self.agreement(p)
        if contact.family_agreement == FamilyAgreement.AGREED:
            contact.agreement_obtained_by = referrer.name
            contact.agreement_obtained_on = p.received_on - timedelta(
                days=self.rng.choice((0, 0, 1, 2))
            )
        else:
            self.without_agreement(p, contact)

    def agreement(self, p: Planned) -> str:
        roll = self.rng.random()
        if p.source in ("1B", "1D", "9"):
            return FamilyAgreement.NOT_SOUGHT
        if p.source in ("1A", "1C"):
            return FamilyAgreement.AGREED
        if p.outcome == Outcome.STRATEGY_DISCUSSION or p.source == "6":
            return FamilyAgreement.NOT_SOUGHT if roll < 0.6 else FamilyAgreement.AGREED
        if roll < 0.86:
            return FamilyAgreement.AGREED
        return FamilyAgreement.DECLINED if roll < 0.94 else FamilyAgreement.NOT_SOUGHT

    def without_agreement(self, p: Planned, contact: Contact) -> None:
        names = first_names(p.children)
        contact.lawful_basis = LawfulBasis.PUBLIC_TASK
        reason, justification = (
            NotSoughtReason.SIGNIFICANT_HARM,
            (f"Asking the parents first could place {names} at risk of significant harm."),
        )
        if contact.family_agreement == FamilyAgreement.DECLINED:
            justification = (
                f"The parents declined a referral. The concerns about {names} are serious "
                "enough that the front door needs to know; the parents were told it would be "
                "made and why."
            )
        elif p.source in ("1B", "1D", "9"):
            reason = NotSoughtReason.OTHER
            justification = (
                "The caller is not part of the family and could not be asked to seek its "
                "agreement; the front door will speak to the parents."
            )
        elif p.source == "6":
            if self.rng.random() < 0.3:
                contact.lawful_basis = LawfulBasis.LEGAL_OBLIGATION
            reason = self.rng.choice((NotSoughtReason.CRIME, NotSoughtReason.SIGNIFICANT_HARM))
            justification = (
                "Seeking the family's agreement first could prejudice the police "
                f"investigation or put {names} at risk."
            )
        contact.not_agreed_reason = reason
        contact.sharing_justification = justification
