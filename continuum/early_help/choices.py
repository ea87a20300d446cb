from django.db import models


class EpisodeStatus(models.TextChoices):
    AWAITING_ALLOCATION = "awaiting_allocation", "Awaiting allocation"
    ALLOCATED = "allocated", "Allocated"
    ASSESSMENT = "assessment", "Assessment"
    PLAN = "plan", "Plan"
    REVIEW = "review", "Review"
    CLOSED = "closed", "Closed"


OPEN_EPISODE_STATUSES = tuple(s for s in EpisodeStatus.values if s != EpisodeStatus.CLOSED)

# The moves an episode makes along its workflow (``services.move_episode`` makes them).
# It opens awaiting allocation, or already allocated when a partner opens it to lead it
# themselves; allocation, starting the assessment, writing the plan and each review move
# it on (every review after the first keeps it in review); it may close from any open
# status, and a closed episode moves no more.
EPISODE_TRANSITIONS: dict[str, frozenset[str]] = {
    EpisodeStatus.AWAITING_ALLOCATION: frozenset({EpisodeStatus.ALLOCATED, EpisodeStatus.CLOSED}),
    EpisodeStatus.ALLOCATED: frozenset({EpisodeStatus.ASSESSMENT, EpisodeStatus.CLOSED}),
    EpisodeStatus.ASSESSMENT: frozenset({EpisodeStatus.PLAN, EpisodeStatus.CLOSED}),
    EpisodeStatus.PLAN: frozenset({EpisodeStatus.REVIEW, EpisodeStatus.CLOSED}),
    EpisodeStatus.REVIEW: frozenset({EpisodeStatus.REVIEW, EpisodeStatus.CLOSED}),
    EpisodeStatus.CLOSED: frozenset(),
}


class EpisodeOrigin(models.TextChoices):
    FRONT_DOOR = "front_door", "Front-door decision"
    PARTNER = "partner", "Opened by a partner agency"
    STEP_DOWN = "step_down", "Step-down from social care"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"
    CARRIED_FORWARD = "carried_forward", "Carried forward to another service"


class ScoreStage(models.TextChoices):
    ASSESSMENT = "assessment", "At assessment"
    REVIEW = "review", "At review"
    CLOSURE = "closure", "At closure"


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    STEPPED_UP = "stepped_up", "Stepped up to social care"
    STEPPED_DOWN = "stepped_down", "Stepped down to universal services"
    DECLINED = "declined", "Family declined or disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    OTHER = "other", "Other"


class ClosureSignOff(models.TextChoices):
    PENDING = "pending", "Waiting for a manager's sign-off"
    AGREED = "agreed", "Agreed"
    NOT_AGREED = "not_agreed", "Not agreed"


class NeedOutcome(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    PARTLY = "partly", "Partly achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class SustainedResult(models.TextChoices):
    SUSTAINED = "sustained", "Sustained"
    NOT_SUSTAINED = "not_sustained", "Not sustained"
    UNKNOWN = "unknown", "Could not be established"


class StepUpDecision(models.TextChoices):
    PENDING = "pending", "Awaiting manager's decision"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"


class AgencyKind(models.TextChoices):
    """The agency a TAF attendee or action owner comes from (for partner engagement)."""

    COUNCIL = "council", "Council"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    VOLUNTARY = "voluntary", "Voluntary or community"
    HOUSING = "housing", "Housing"
    FAMILY = "family", "Family member"
    OTHER = "other", "Other"


class ConsentGround(models.TextChoices):
    """What early help goes ahead on: the family's agreement, or a lawful basis without it."""

    AGREEMENT = "agreement", "The family's agreement to early help"
    # From a front-door decision: the agreement the referrer obtained for the referral.
    REFERRAL_AGREEMENT = (
        "referral",
        "The family's agreement to the referral, obtained by the referrer",
    )
    LAWFUL_BASIS = "lawful_basis", "A lawful basis, without the family's agreement"


class ConsentReviewDecision(models.TextChoices):
    """A manager's review of an episode whose family withdrew their agreement to early help."""

    PENDING = "pending", "Waiting for a manager's review"
    CONTINUE = "continue", "Continue on a lawful basis"
    CLOSE = "close", "Close the episode"
