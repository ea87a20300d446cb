"""factory_boy factories for tests. Synthetic people only: identifiers come from the same
functions the demo generator uses (NHS numbers in the NHS test range, valid UPNs).
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, cast

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from continuum.access.models import (
    BreakGlassGrant,
    Involvement,
    InvolvementReason,
    RestrictedAccess,
)
from continuum.accounts.models import Role, User
from continuum.case_audits.choices import CaseKind, SampleMethod, Scale, TemplateKind
from continuum.case_audits.models import (
    AuditCase,
    AuditProgramme,
    AuditTemplate,
    TemplateQuestion,
    TemplateSection,
)
from continuum.consent.choices import GivenBy, ObtainedHow
from continuum.consent.models import ConsentRecord
from continuum.documents.choices import DocumentKind, ScanResult
from continuum.documents.models import Document
from continuum.documents.storage import random_name
from continuum.early_help.choices import EpisodeOrigin, EpisodeStatus
from continuum.early_help.models import Episode
from continuum.front_door.choices import (
    ContactStatus,
    DashRisk,
    FamilyAgreement,
    HowReceived,
    ReferralSource,
    TriageAgency,
)
from continuum.front_door.models import (
    Contact,
    ContactChild,
    DomesticAbuseNotification,
    NotificationChild,
    TriageAttendance,
    TriageMeeting,
)
from continuum.hubs.models import (
    AgreementAgency,
    AgreementCouncil,
    DataSharingAgreement,
    HubPlacement,
)
from continuum.organisations.models import Council, Locality, Organisation, OrganisationKind, Team
from continuum.organisations.reference import ensure_council, tees_councils
from continuum.people.choices import PersonKind, Sex
from continuum.people.identifiers import synthetic_nhs_number, synthetic_upn
from continuum.people.models import Household, HouseholdMember, Person
from continuum.performance.models import AgeBand, ChildPopulation
from continuum.programmes.models import Participation, Programme
from continuum.retention.models import LegalHold
from continuum.spending.choices import FundingSource
from continuum.spending.models import (
    Category,
    CategoryMapping,
    Classification,
    CouncilCategory,
    SpendAmount,
    SpendingReturn,
)
from continuum.statutory.choices import InvolvementKind, RecordSource
from continuum.statutory.models import CensusChild, ProtectionPlanReview, StatutoryInvolvement

_identifier_rng = random.Random(20261128)


def tees_council(name: str = "Stockton-on-Tees") -> Council:
    """One of the four Tees councils, created from the reference data if need be."""
    facts = next(c for c in tees_councils() if c.name == name)
    return ensure_council(facts)


class CouncilFactory(DjangoModelFactory):
    """A council that is not one of the Tees four (for 'another council' cases)."""

    class Meta:
        model = Council
        django_get_or_create = ("dfe_la_code",)

    name = factory.Sequence(lambda n: f"Test Borough {n}")
    dfe_la_code = factory.Sequence(lambda n: f"{900 + n % 99:03d}")
    ons_code = factory.Sequence(lambda n: f"E0690{n % 10000:04d}")
    child_population = 30000
    postcode_districts = "TS99"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)
        # ``serves`` sets a many-to-many relation, which needs no second save.
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = OrganisationKind.SCHOOL
    council = None

    @factory.post_generation
    def serves(self, create: bool, extracted: list[Council] | None, **kwargs: object) -> None:
        if create and extracted:
            self.serves.set(extracted)


def council_services(council: Council) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=f"{council.name} Children's Services",
        defaults={"kind": OrganisationKind.COUNCIL_CHILDRENS_SERVICES, "council": council},
    )
    org.serves.add(council)
    return org


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = Locality

    council = factory.LazyFunction(tees_council)
    name = factory.Sequence(lambda n: f"Locality {n}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.LazyFunction(lambda: council_services(tees_council()))
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.FRONT_DOOR_WORKER
    organisation = factory.LazyFunction(lambda: council_services(tees_council()))
    password = factory.django.Password("a-long-test-password")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    council = factory.LazyFunction(tees_council)
    kind = PersonKind.CHILD
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=1, maximum_age=16)
    sex = Sex.FEMALE
    nhs_number = factory.LazyFunction(lambda: synthetic_nhs_number(_identifier_rng))
    upn = factory.LazyAttribute(
        lambda p: synthetic_upn(_identifier_rng, la_code=p.council.dfe_la_code, year=2020)
    )


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    council = factory.LazyFunction(tees_council)
    name = factory.Faker("last_name", locale="en_GB")


class HouseholdMemberFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)


class InvolvementFactory(DjangoModelFactory):
    class Meta:
        model = Involvement

    user = factory.SubFactory(UserFactory, role=Role.PARTNER_PRACTITIONER)
    person = factory.SubFactory(PersonFactory)
    reason = InvolvementReason.REFERRER
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class RestrictedAccessFactory(DjangoModelFactory):
    class Meta:
        model = RestrictedAccess

    person = factory.SubFactory(PersonFactory, is_restricted=True)
    user = factory.SubFactory(UserFactory)
    reason = "Allocated worker"


class BreakGlassGrantFactory(DjangoModelFactory):
    """Emergency access by a front-door worker to a record from another council."""

    class Meta:
        model = BreakGlassGrant

    user = factory.SubFactory(UserFactory, role=Role.FRONT_DOOR_WORKER)
    person = factory.SubFactory(PersonFactory)
    reason = "Police called out of hours about a child who may be at risk tonight."
    granted_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda g: g.granted_at + timedelta(hours=4))


class ContactFactory(DjangoModelFactory):
    """A contact received two hours ago by phone from a school, with the family's agreement.

    Submitted unless ``status`` says otherwise; names one new child of the council unless
    ``children=[...]`` is given.
    """

    class Meta:
        model = Contact
        skip_postgeneration_save = True

    council = factory.LazyFunction(tees_council)
    status = ContactStatus.SUBMITTED
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    how_received = HowReceived.PHONE
    referral_source = ReferralSource.SCHOOLS
    referrer_name = factory.Faker("name", locale="en_GB")
    referrer_organisation_name = "Test Primary School"
    referrer_role = "Designated safeguarding lead"
    referrer_phone = "01642 000000"
    concerns = "The child has arrived hungry and tired most days this term."
    family_agreement = FamilyAgreement.AGREED
    agreement_obtained_by = factory.SelfAttribute("referrer_name")
    agreement_obtained_on = factory.LazyAttribute(
        lambda c: timezone.localtime(c.received_at).date()
    )
    submitted_at = factory.LazyAttribute(
        lambda c: None if c.status == ContactStatus.DRAFT else c.received_at
    )
    created_by = factory.SubFactory(UserFactory, role=Role.FRONT_DOOR_WORKER)

    @factory.post_generation
    def children(self, create: bool, extracted: list[Person] | None, **kwargs: object) -> None:
        if not create:
            return
        people = (
            extracted
            if extracted is not None
            else [cast(Person, PersonFactory(council=self.council))]
        )
        contact = cast(Contact, self)
        ContactChild.objects.bulk_create(
            [ContactChild(contact=contact, person=person) for person in people]
        )


def police_force(*councils: Council) -> Organisation:
    """Cleveland Police (a test stand-in), serving ``councils`` (Stockton by default)."""
    force, _ = Organisation.objects.get_or_create(
        name="Test Cleveland Police", defaults={"kind": OrganisationKind.POLICE}
    )
    force.serves.add(*(councils or [tees_council()]))
    return force


class NotificationFactory(DjangoModelFactory):
    """A police domestic-abuse notification received an hour ago, awaiting joint triage:
    medium risk, an adult victim and alleged perpetrator of the council, and one child
    present at the incident unless ``children=[...]`` (people) is given.
    """

    class Meta:
        model = DomesticAbuseNotification
        skip_postgeneration_save = True

    council = factory.LazyFunction(tees_council)
    incident_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=10))
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    victim = factory.SubFactory(
        PersonFactory,
        council=factory.SelfAttribute("..council"),
        kind=PersonKind.ADULT,
        date_of_birth=factory.Faker("date_of_birth", minimum_age=20, maximum_age=50),
        upn=None,
    )
    alleged_perpetrator = factory.SubFactory(
        PersonFactory,
        council=factory.SelfAttribute("..council"),
        kind=PersonKind.ADULT,
        sex=Sex.MALE,
        date_of_birth=factory.Faker("date_of_birth", minimum_age=20, maximum_age=50),
        upn=None,
    )
    dash_risk = DashRisk.MEDIUM
    dash_ticks = 9
    repeat_incidents_12_months = 1
    reporting_officer = factory.Faker("name", locale="en_GB")
    reporting_officer_number = factory.Sequence(lambda n: f"{4000 + n}")
    summary = "Neighbours called police after hearing shouting; the children were upstairs."
    created_by = factory.SubFactory(
        UserFactory,
        role=Role.PARTNER_PRACTITIONER,
        organisation=factory.LazyAttribute(lambda u: police_force(u.factory_parent.council)),
    )

    @factory.post_generation
    def children(self, create: bool, extracted: list[Person] | None, **kwargs: object) -> None:
        if not create:
            return
        people = (
            extracted
            if extracted is not None
            else [cast(Person, PersonFactory(council=self.council))]
        )
        NotificationChild.objects.bulk_create(
            [
                NotificationChild(
                    notification=cast(DomesticAbuseNotification, self),
                    person=person,
                    was_present=True,
                )
                for person in people
            ]
        )


class TriageMeetingFactory(DjangoModelFactory):
    """A joint triage meeting held this morning, attended by police and children's services."""

    class Meta:
        model = TriageMeeting
        skip_postgeneration_save = True

    council = factory.LazyFunction(tees_council)
    held_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    chaired_by = factory.SubFactory(
        UserFactory,
        role=Role.FRONT_DOOR_WORKER,
        organisation=factory.LazyAttribute(lambda u: council_services(u.factory_parent.council)),
    )

    @factory.post_generation
    def attendance(
        self, create: bool, extracted: list[dict[str, Any]] | None, **kwargs: object
    ) -> None:
        if not create:
            return
        rows = (
            extracted
            if extracted is not None
            else [
                {"agency": TriageAgency.POLICE, "name": "DS Test Officer"},
                {"agency": TriageAgency.CHILDRENS_SERVICES, "name": "Test Front-door Worker"},
            ]
        )
        TriageAttendance.objects.bulk_create(
            [TriageAttendance(meeting=cast(TriageMeeting, self), **row) for row in rows]
        )


class EpisodeFactory(DjangoModelFactory):
    """An early help episode stepped down from social care, waiting for allocation, for a
    household of its council with one child (a member of the household) unless
    ``children=[...]`` is given. Locality and team are new ones of the council."""

    class Meta:
        model = Episode
        skip_postgeneration_save = True

    council = factory.LazyFunction(tees_council)
    locality = factory.SubFactory(LocalityFactory, council=factory.SelfAttribute("..council"))
    team = factory.SubFactory(
        TeamFactory,
        organisation=factory.LazyAttribute(lambda t: council_services(t.factory_parent.council)),
        locality=factory.SelfAttribute("..locality"),
    )
    household = factory.SubFactory(HouseholdFactory, council=factory.SelfAttribute("..council"))
    level = 2
    status = EpisodeStatus.AWAITING_ALLOCATION
    origin = EpisodeOrigin.STEP_DOWN
    social_care_history = "Child in need plan for eight months; closed with support in place."
    reason_for_request = "Support with routines and school attendance after social care."
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    opened_by = factory.SubFactory(
        UserFactory,
        role=Role.TEAM_MANAGER,
        organisation=factory.LazyAttribute(lambda u: council_services(u.factory_parent.council)),
    )

    @factory.post_generation
    def children(self, create: bool, extracted: list[Person] | None, **kwargs: object) -> None:
        if not create:
            return
        episode = cast(Episode, self)
        people = extracted
        if people is None:
            people = [
                cast(
                    Person,
                    PersonFactory(council=episode.council, family_name=episode.household.name),
                )
            ]
            for person in people:
                HouseholdMember.objects.create(household=episode.household, person=person)
        episode.children.set(people)


class StatutoryInvolvementFactory(DjangoModelFactory):
    """A referral to children's social care (a child in need episode) for a new child of
    its council, open since a week ago; pass ``kind`` and ``referral`` for its parts."""

    class Meta:
        model = StatutoryInvolvement

    council = factory.LazyFunction(tees_council)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    kind = InvolvementKind.REFERRAL
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    source = RecordSource.CENSUS


class CensusChildFactory(DjangoModelFactory):
    """A child as their council's census return knows them: an LA child ID of the
    council's own (unique within it)."""

    class Meta:
        model = CensusChild

    council = factory.LazyFunction(tees_council)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    la_child_id = factory.Sequence(lambda n: f"{1_000_000 + n}")


class ProtectionPlanReviewFactory(DjangoModelFactory):
    """A review of a child protection plan (pass ``plan``)."""

    class Meta:
        model = ProtectionPlanReview


class ChildPopulationFactory(DjangoModelFactory):
    class Meta:
        model = ChildPopulation

    council = factory.LazyFunction(tees_council)
    mid_year = 2025
    age_band = AgeBand.UNDER_5
    children = 5000
    source = "Synthetic test figure"


class DocumentFactory(DjangoModelFactory):
    """A document's row on a person (pass ``person``, ``contact`` or ``episode``) with no
    file stored: for pages that refuse before reading it. Real files are uploaded through
    ``documents.services.upload_document``."""

    class Meta:
        model = Document

    kind = DocumentKind.REPORT
    title = "School report"
    original_filename = "report.pdf"
    content_type = "application/pdf"
    size = 1024
    sha256 = "0" * 64
    stored_name = factory.LazyFunction(random_name)
    scan_result = ScanResult.NOT_SCANNED
    uploaded_by = factory.SubFactory(UserFactory, role=Role.FRONT_DOOR_WORKER)


# --- consent (issue 13) --------------------------------------------------------------------


class ConsentRecordFactory(DjangoModelFactory):
    """An adult's own consent to early help, obtained in person today, with no sharing
    agreed (pass ``shares_with_taf``, ``information_kinds`` and then set ``agencies``).
    Pages and rules are tested through ``consent.services.record_consent``."""

    class Meta:
        model = ConsentRecord

    person = factory.SubFactory(PersonFactory, kind=PersonKind.ADULT)
    council = factory.SelfAttribute("person.council")
    given_by = GivenBy.SELF
    agrees_to_early_help = True
    shares_with_taf = False
    information_kinds = factory.LazyFunction(list)
    obtained_how = ObtainedHow.IN_PERSON
    obtained_on = factory.LazyFunction(timezone.localdate)
    obtained_by = factory.SubFactory(UserFactory, role=Role.EARLY_HELP_PRACTITIONER)
    obtained_by_organisation = factory.SelfAttribute("obtained_by.organisation")
    recorded_by = factory.SelfAttribute("obtained_by")


# --- rights (issue 13) ---------------------------------------------------------------------


def _month_after(day: Any) -> Any:
    from continuum.timescales.months import add_months

    return add_months(day, 1)


class RightsRequestFactory(DjangoModelFactory):
    """A subject access request received a week ago from the person themselves about
    ``person`` (a child of the council unless given), logged and handled by ``logged_by``
    (pass the council's information governance lead)."""

    class Meta:
        model = "rights.RightsRequest"

    council = factory.LazyFunction(tees_council)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    kind = "subject_access"
    requester_name = factory.LazyAttribute(lambda r: r.person.full_name)
    requester_kind = "self"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=7))
    due_on = factory.LazyAttribute(lambda r: _month_after(r.received_on))
    logged_by = factory.SubFactory(UserFactory, role=Role.INFORMATION_GOVERNANCE_LEAD)
    handled_by = factory.SelfAttribute("logged_by")


# --- retention ---------------------------------------------------------------------------------


class LegalHoldFactory(DjangoModelFactory):
    """A legal hold on a person of the council (pass ``person``, or ``record_kind`` and
    ``record_id`` with ``person=None``) placed by its information governance lead."""

    class Meta:
        model = LegalHold

    council = factory.LazyFunction(tees_council)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..council"))
    reason = "A claim against the council: the solicitors' letter of 3 March."
    placed_by = factory.SubFactory(UserFactory, role=Role.INFORMATION_GOVERNANCE_LEAD)


# --- case audits and local programmes (issue 14) ------------------------------------------------


def audit_template(
    *, key: str = "early-help-case-audit", kind: str = TemplateKind.CASE_AUDIT, version: int = 1
) -> AuditTemplate:
    """A current audit template of two sections: "Assessment" (A1 graded, A2 yes/partly/no
    with a comment required) and "Plan and review" (B1 graded with a comment required, B2 a
    comment only)."""
    template = AuditTemplate.objects.create(
        key=key,
        version=version,
        kind=kind,
        title="Early help case audit" if kind == TemplateKind.CASE_AUDIT else "Front door",
        published_on=timezone.localdate() - timedelta(days=400),
        is_current=True,
    )
    questions = {
        "Assessment": [
            (
                "A1",
                "How well does the assessment understand the child's lived experience?",
                Scale.GRADES,
                False,
            ),
            ("A2", "Was the child seen and their voice recorded?", Scale.YES_PARTLY_NO, True),
        ],
        "Plan and review": [
            ("B1", "Is the plan SMART and reviewed on time?", Scale.GRADES, True),
            ("B2", "Anything else the auditor noticed", Scale.COMMENT_ONLY, False),
        ],
    }
    for order, (title, items) in enumerate(questions.items(), start=1):
        section = TemplateSection.objects.create(template=template, order=order, title=title)
        for number, (code, text, scale, comment_required) in enumerate(items, start=1):
            TemplateQuestion.objects.create(
                section=section,
                order=number,
                code=code,
                text=text,
                guidance=f"Guidance for {code}.",
                scale=scale,
                comment_required=comment_required,
            )
    return template


def safeguarding_partnership() -> Organisation:
    """The Tees safeguarding children partnership, serving the four Tees councils."""
    org, _ = Organisation.objects.get_or_create(
        name="Tees safeguarding children partnership",
        defaults={"kind": OrganisationKind.SAFEGUARDING_PARTNERSHIP},
    )
    org.serves.add(*(ensure_council(facts) for facts in tees_councils()))
    return org


class AuditProgrammeFactory(DjangoModelFactory):
    """A programme auditing early help episodes of the past year in the councils given
    (``councils=[...]``; Stockton-on-Tees and Hartlepool unless given), ten a council at
    random from seed 1, still being planned, run by a safeguarding partnership lead."""

    class Meta:
        model = AuditProgramme
        skip_postgeneration_save = True

    title = "Early help peer audit"
    theme = "The quality of early help assessments and plans"
    template = factory.LazyFunction(
        lambda: (
            AuditTemplate.objects.filter(key="early-help-case-audit", is_current=True).first()
            or audit_template()
        )
    )
    case_kind = CaseKind.EPISODE
    period_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    period_end = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    sample_method = SampleMethod.RANDOM
    per_council = 10
    seed = 1
    created_by = factory.SubFactory(
        UserFactory,
        role=Role.SAFEGUARDING_PARTNERSHIP_LEAD,
        organisation=factory.LazyFunction(lambda: safeguarding_partnership()),
    )

    @factory.post_generation
    def councils(self, create: bool, extracted: list[Council] | None, **kwargs: object) -> None:
        if not create:
            return
        chosen = extracted or [tees_council(), tees_council("Hartlepool")]
        self.councils.set(chosen)


class AuditCaseFactory(DjangoModelFactory):
    """An episode of the programme's first council sampled into ``programme`` (a new
    planning programme unless given), not yet given to an auditor."""

    class Meta:
        model = AuditCase

    programme = factory.SubFactory(AuditProgrammeFactory)
    council = factory.LazyAttribute(lambda c: c.programme.councils.order_by("name").first())
    episode = factory.SubFactory(EpisodeFactory, council=factory.SelfAttribute("..council"))
    contact = None
    level = factory.LazyAttribute(lambda c: c.episode.level if c.episode else None)


class ProgrammeFactory(DjangoModelFactory):
    """A local programme of Stockton-on-Tees (``councils=[...]`` for others), running since
    three years ago."""

    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Local programme {n}")
    offers = "Key work and a parenting group for families with children under five."
    for_whom = "Families with a child under five at early help levels 2 and 3."
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3 * 365))

    @factory.post_generation
    def councils(self, create: bool, extracted: list[Council] | None, **kwargs: object) -> None:
        if not create:
            return
        self.councils.set(extracted or [tees_council()])


class ParticipationFactory(DjangoModelFactory):
    """An episode of the programme's council taking part in ``programme``."""

    class Meta:
        model = Participation

    programme = factory.SubFactory(ProgrammeFactory)
    episode = factory.SubFactory(
        EpisodeFactory,
        council=factory.LazyAttribute(
            lambda e: e.factory_parent.programme.councils.order_by("name").first()
        ),
    )
    joined_on = factory.LazyAttribute(lambda p: p.episode.start_date)


# --- joint front doors (issue 15) -------------------------------------------------------------


def hub_organisation(
    name: str = "Hartlepool and Stockton MACH", *councils: Council
) -> Organisation:
    """A hub (a multi-agency front door) serving ``councils`` (Stockton and Hartlepool)."""
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": OrganisationKind.HUB})
    org.serves.add(*(councils or (tees_council(), tees_council("Hartlepool"))))
    return org


def hub_agreement(
    *councils: Council,
    hub: Organisation | None = None,
    agencies: dict[Organisation, dict[str, bool]] | None = None,
    starts_on: Any = None,
    ends_on: Any = None,
    signed: bool = True,
    reference: str | None = None,
) -> DataSharingAgreement:
    """A data-sharing agreement for ``hub`` (the Hartlepool and Stockton MACH unless given)
    over ``councils`` (Stockton-on-Tees and Hartlepool unless given), in force from a year
    ago with no end and signed off by every council (``signed=False``: none has). Each of
    the councils' children's services sees and decides contacts; ``agencies`` adds others
    (an organisation and its flags, e.g. ``{force: {"sees_notifications": True}}``)."""
    councils = councils or (tees_council(), tees_council("Hartlepool"))
    hub = hub or hub_organisation("Hartlepool and Stockton MACH", *councils)
    start = starts_on or timezone.localdate() - timedelta(days=365)
    agreement = DataSharingAgreement.objects.create(
        hub=hub,
        reference=reference or f"DSA-{DataSharingAgreement.objects.count() + 1:03d}",
        title=f"{hub.name} information sharing",
        purpose="Deciding contacts about children in the councils' areas (UK GDPR 6(1)(e)).",
        starts_on=start,
        ends_on=ends_on,
    )
    for council in councils:
        AgreementCouncil.objects.create(
            agreement=agreement,
            council=council,
            signed_off_by_name=f"Director of Children's Services, {council.name}" if signed else "",
            signed_off_by_role="Director of Children's Services" if signed else "",
            signed_off_on=start if signed else None,
        )
        AgreementAgency.objects.create(
            agreement=agreement,
            organisation=council_services(council),
            sees_contacts=True,
            sees_notifications=True,
            sees_triage=True,
            sees_childrens_records=True,
            decides_contacts=True,
        )
    for organisation, flags in (agencies or {}).items():
        AgreementAgency.objects.create(agreement=agreement, organisation=organisation, **flags)
    return agreement


class HubPlacementFactory(DjangoModelFactory):
    """``user`` placed in ``hub`` since a year ago, with no end."""

    class Meta:
        model = HubPlacement

    hub = factory.LazyFunction(lambda: hub_organisation())
    user = factory.SubFactory(UserFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))


# --- early help spending (issue 15) -----------------------------------------------------------


def spending_classification() -> Classification:
    """The current classification (version 1, made here if the migration's data is absent)."""
    current = Classification.objects.filter(is_current=True).first()
    if current is not None:
        return current
    return Classification.objects.create(
        version=1, published_on=timezone.localdate(), is_current=True
    )


def spending_category(code: str = "family_support", name: str | None = None) -> Category:
    """The current classification's category ``code`` (made if absent)."""
    category, _ = Category.objects.get_or_create(
        classification=spending_classification(),
        code=code,
        defaults={"name": name or code.replace("_", " ").capitalize()},
    )
    return category


def council_category(
    council: Council | None = None,
    code: str = "FS01",
    name: str = "Family support",
    maps_to: str | None = "family_support",
) -> CouncilCategory:
    """A council's own heading (Stockton's unless given), mapped wholly onto the current
    classification's category ``maps_to`` (None: outside early help)."""
    heading, _ = CouncilCategory.objects.get_or_create(
        council=council or tees_council(), code=code, defaults={"name": name}
    )
    classification = spending_classification()
    if not heading.mappings.filter(classification=classification).exists():
        CategoryMapping.objects.create(
            classification=classification,
            council_category=heading,
            category=spending_category(maps_to) if maps_to else None,
        )
    return heading


class SpendingReturnFactory(DjangoModelFactory):
    """A draft return of Stockton-on-Tees for the financial year two years back."""

    class Meta:
        model = SpendingReturn

    council = factory.LazyFunction(tees_council)
    financial_year = factory.LazyFunction(lambda: timezone.localdate().year - 2)


class SpendAmountFactory(DjangoModelFactory):
    class Meta:
        model = SpendAmount

    spending_return = factory.SubFactory(SpendingReturnFactory)
    council_category = factory.LazyAttribute(lambda a: council_category(a.spending_return.council))
    funding_source = FundingSource.COUNCIL
    amount = 100000
