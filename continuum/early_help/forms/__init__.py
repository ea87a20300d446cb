"""Forms for the early help pages. They parse what was typed and offer only the choices the
user may make; the rules live in ``early_help.services``, whose refusals come back onto the
form with ``add_service_errors``.

One module for each part of an episode, as the services and the pages are split, and
``common`` for what the forms share. Pages import the forms from here.
"""

from continuum.early_help.forms.allocation import (
    AllocateForm,
    HandoverForm,
    LeadProfessionalFilterForm,
    PanelForm,
)
from continuum.early_help.forms.assessment import (
    AssessmentForm,
    ChildVoiceForm,
    CompleteAssessmentForm,
    NeedForm,
    PersonAssessmentForm,
)
from continuum.early_help.forms.closure import ClosureForm, ClosureSignOffForm, SustainedCheckForm
from continuum.early_help.forms.common import SCORE_HELP, EarlyHelpForm, VersionedForm
from continuum.early_help.forms.episodes import (
    FamilyForm,
    OpenFromDecisionForm,
    PartnerStartForm,
    PlaceForm,
    StepDownForm,
    council_teams,
)
from continuum.early_help.forms.plan import (
    ActionForm,
    ActionStatusForm,
    PlanOutcomeForm,
    ReviewForm,
)
from continuum.early_help.forms.step_up import StepUpDecisionForm, StepUpForm
from continuum.early_help.forms.taf import OTHER_ATTENDEE_ROWS, TafMeetingForm, TafMemberForm

__all__ = [
    "OTHER_ATTENDEE_ROWS",
    "SCORE_HELP",
    "ActionForm",
    "ActionStatusForm",
    "AllocateForm",
    "AssessmentForm",
    "ChildVoiceForm",
    "ClosureForm",
    "ClosureSignOffForm",
    "CompleteAssessmentForm",
    "EarlyHelpForm",
    "FamilyForm",
    "HandoverForm",
    "LeadProfessionalFilterForm",
    "NeedForm",
    "OpenFromDecisionForm",
    "PanelForm",
    "PartnerStartForm",
    "PersonAssessmentForm",
    "PlaceForm",
    "PlanOutcomeForm",
    "ReviewForm",
    "StepDownForm",
    "StepUpDecisionForm",
    "StepUpForm",
    "SustainedCheckForm",
    "TafMeetingForm",
    "TafMemberForm",
    "VersionedForm",
    "council_teams",
]
