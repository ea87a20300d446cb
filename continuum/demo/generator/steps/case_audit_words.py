"""What the demo's peer auditors write: comments by question and how well it went, for
synthetic families (no names: "the child", "the younger child", "mum"), the overall
strengths and areas for improvement, conversations, moderation notes and actions."""

from __future__ import annotations

# By question code: (went well, partly, went badly).
COMMENTS: dict[str, tuple[str, str, str]] = {
    "A1": (
        "A reader could describe the child's day: nursery mornings, tea at nan's, worries "
        "about bedtime when dad is not there.",
        "The older child's day is described well; the younger child appears mostly as a "
        "name in the assessment.",
        "The record is about the adults' difficulties; little about what life is like for "
        "the children.",
    ),
    "A2": (
        "Each child was seen at every visit and the older child seen alone twice at school.",
        "Both children seen at home; the older child was not seen alone and no reason is recorded.",
        "The youngest child was not seen for eight weeks during the episode.",
    ),
    "A3": (
        "The child's own words ('I want mum to stop shouting') are recorded and led to the "
        "calm-evenings action.",
        "Wishes and feelings sheet completed but not linked to the plan.",
        "Only mum's account of the children's views is recorded.",
    ),
    "B1": (
        "The assessment covers every adult in the household, including dad who lives "
        "elsewhere and sees the children at weekends.",
        "Mum's needs are well understood; dad's part in family life is mentioned only briefly.",
        "The mother's partner lives in the household but is not mentioned in the assessment.",
    ),
    "B2": (
        "Clear analysis of why early help, weighing the grandparents' support against the "
        "worries about school attendance.",
        "The analysis lists strengths and worries but does not say why early help rather "
        "than universal services.",
        "No analysis: the assessment repeats the referral.",
    ),
    "B3": (
        "Earlier contacts and the last episode's outcome are summarised and used.",
        "Previous contacts are listed but not analysed.",
        "Two earlier contacts for similar worries are not mentioned.",
    ),
    "B4": (
        "Completed in 28 days.",
        "Completed a week late; reason recorded.",
        "Completed late with no reason recorded.",
    ),
    "C1": (
        "Outcomes are specific and measurable, with owners and dates, and follow the assessment.",
        "Most actions are clear; 'support mum' has no measure or date.",
        "The plan lists services rather than outcomes; the attendance worry has no action.",
    ),
    "C2": (
        "School, health visitor and the housing officer attend reviews and report progress.",
        "School attends; health is invited but has not taken part.",
        "No other agency is involved despite the child's health needs.",
    ),
    "C3": (
        "Reviews every six weeks with need scores that show progress.",
        "Reviews held but one was ten weeks late.",
        "No review in the four months since the plan was agreed.",
    ),
    "D1": (
        "The manager's oversight at allocation and each review sets clear direction.",
        "Oversight recorded at allocation only.",
        "No management oversight recorded after allocation.",
    ),
    "D2": (
        "Supervision notes challenge drift and set actions that are followed up.",
        "Supervision is recorded but describes rather than reflects.",
        "No supervision recorded for this family.",
    ),
    "E1": (
        "Attendance improved from 78% to 95% and mum reports calmer evenings.",
        "Some improvement in routines; the housing worry continues.",
        "Little change for the children; the same worries were referred again.",
    ),
    "E2": (
        "Step-down from social care was planned jointly with a handover visit.",
        "Step-up was right but took three weeks to be agreed.",
        "Escalating worries were not stepped up when they should have been.",
    ),
    "E3": (
        "Good practice to share: the family's plan written with the children.",
        "Learning: partners need the review dates earlier.",
        "Learning for the partnership: drift when the lead professional changed.",
    ),
    "O1": (
        "Every contact observed was screened within a working day.",
        "Most contacts screened in time; two waited over the weekend.",
        "A backlog of unscreened contacts was building during the observation.",
    ),
    "O2": (
        "Consent was sought and recorded on every call observed.",
        "Consent recorded, but not always whether the family understood what would be shared.",
        "Information was shared without consent and without a recorded reason.",
    ),
    "O3": (
        "Decisions matched the threshold document and the reasons were recorded.",
        "Most decisions consistent; one level 2 contact looked like level 3.",
        "Several decisions did not follow the threshold document.",
    ),
    "O4": (
        "The manager reviewed each decision the same day.",
        "Oversight visible but late.",
        "No manager oversight of decisions observed.",
    ),
    "O5": (
        "Police and school responded to checks within hours.",
        "Health checks took two days.",
        "Partners did not contribute to screening during the observation.",
    ),
    "O6": (
        "Clear, plain recording the family could read.",
        "Recording clear but uses jargon ('LAC', 'TAF').",
        "Recording was long, copied from the referral and hard to follow.",
    ),
}

STRENGTHS = (
    "A warm, persistent relationship with the family; the children's voice is clear.",
    "Good partnership working with the school, which shows in the children's attendance.",
    "The plan was written with the family and they understand it.",
    "Timely assessment and a clear analysis of why early help was the right response.",
)

AREAS = (
    "Record each child seen alone and what they said; link their words to the plan.",
    "Make the plan's outcomes measurable and review them on time.",
    "Management oversight should be recorded at each review, not only at allocation.",
    "Involve health in the Team Around the Family and record their contribution.",
    "Consider the family's history of earlier contacts in the analysis.",
)

CONVERSATIONS = (
    "Talked through the findings with the lead professional and their manager; they "
    "agreed the children's voice could be clearer and described direct work not yet "
    "recorded.",
    "The practitioner explained the late review (staff sickness); the manager agreed to "
    "check review dates in supervision.",
    "Discussed the plan's outcomes; the practitioner will rewrite them with the family at "
    "the next review.",
)

MODERATION_NOTES = (
    "Changed: the findings show little impact on the children, which does not support the "
    "auditor's grade.",
    "Changed: the strengths in the children's voice and the plan support a higher grade "
    "than given.",
    "Changed: management oversight is missing at two key points; graded in line with the "
    "moderation guidance.",
)

RATIONALES = (
    "Several needs, two agencies already involved and the parents agree: targeted help.",
    "A single worry that school can support: single-agency early help.",
    "Worries about the child's safety need a social work assessment.",
    "Information and advice is enough; universal services can meet the need.",
)

# (action description, council-wide)
ACTIONS = (
    "Brief every early help team on recording each child seen alone, with the reason when not.",
    "Add a check of review dates to the managers' monthly supervision template.",
    "Agree with the health trust how health visitors join the Team Around the Family.",
    "Re-audit five cases in three months to check the plans' outcomes are measurable.",
    "Share the front door's recording guide with partner agencies.",
)

OBSERVED = (
    "A morning with the front door team: six contacts screened, two consultations with "
    "schools, a strategy discussion request and the daily huddle with the manager.",
    "An afternoon at the front door: police notifications reviewed, consent calls to "
    "parents and the manager's review of the day's decisions.",
)
