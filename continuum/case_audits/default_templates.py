"""The audit templates every partnership starts with, as data: an early help case audit and a
short front-door practice observation. Loaded by migration 0002 (over the historical models)
and by ``services.templates.ensure_default_templates`` (idempotent); a partnership's lead
changes them by publishing new versions, and a council adds questions of its own.

Written in the language of English early help practice: Working Together to Safeguard
Children 2023 (a child-centred, whole-family approach; a lead practitioner; timely
decisions) and what Ofsted's inspections look for (the child's lived experience, the impact
of help, management oversight that challenges drift).

Nothing here imports a model, so the migration can load it as it loads the models it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from continuum.case_audits.choices import Scale, TemplateKind

GRADES = Scale.GRADES.value
YES_PARTLY_NO = Scale.YES_PARTLY_NO.value
COMMENT_ONLY = Scale.COMMENT_ONLY.value


@dataclass(frozen=True)
class QuestionData:
    code: str
    text: str
    guidance: str
    scale: str
    comment_required: bool


@dataclass(frozen=True)
class SectionData:
    title: str
    guidance: str
    questions: tuple[QuestionData, ...]


@dataclass(frozen=True)
class TemplateData:
    key: str
    kind: str
    title: str
    description: str
    sections: tuple[SectionData, ...]


CASE_AUDIT = TemplateData(
    key="case-audit",
    kind=TemplateKind.CASE_AUDIT.value,
    title="Early help case audit",
    description=(
        "A peer audit of one early help episode: read the whole record (assessment, plan, "
        "reviews, case notes, TAF meetings and closure), talk to the lead practitioner and "
        "their manager, then grade each question from the evidence in the record. Grade what "
        "the record shows, not what you think probably happened."
    ),
    sections=(
        SectionData(
            title="The child's lived experience and voice",
            guidance=(
                "Working Together 2023 asks for a child-centred approach: each child seen, "
                "heard and helped. Look for each child, not only the family as a whole."
            ),
            questions=(
                QuestionData(
                    "A1",
                    "How well does the record show what daily life is like for each child?",
                    "Good: a reader who has never met the child could describe a typical day "
                    "for them - who looks after them, school or nursery, health, friendships, "
                    "what worries or pleases them - and how the adults' difficulties affect "
                    "them. Inadequate: the child is a name on the assessment and the record is "
                    "about the adults.",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "A2",
                    "Was each child seen, and seen alone where their age and understanding allow?",
                    "Check the case notes for visits recording each child seen and seen alone. "
                    "Where a child was not seen alone, is the reason recorded (age, the child's "
                    "wish, a parent's refusal) and was it revisited? Name any child not seen.",
                    YES_PARTLY_NO,
                    True,
                ),
                QuestionData(
                    "A3",
                    "Are the child's wishes and feelings recorded in their own words, and do "
                    "they shape the plan?",
                    "Look for direct quotes and direct work (three houses, wishes and feelings "
                    "sheets, drawings) rather than a parent's account of the child. Trace at "
                    "least one thing the child said to an action in the plan.",
                    GRADES,
                    False,
                ),
            ),
        ),
        SectionData(
            title="The whole-family assessment",
            guidance=(
                "The early help assessment should understand the whole family: every child "
                "and adult in the household, what is working well and what the worries are."
            ),
            questions=(
                QuestionData(
                    "B1",
                    "Does the assessment consider the needs of everyone in the household, "
                    "including fathers and male carers?",
                    "Look for parents' and carers' own needs (mental health, drug or alcohol "
                    "use, domestic abuse, money, housing, work) and how each affects the "
                    "children. Are fathers, stepfathers and mothers' partners seen and "
                    "engaged, or their absence explained?",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "B2",
                    "Does the analysis explain why early help is the right response, weighing "
                    "strengths against the worries?",
                    "Look for analysis, not only description: risks and protective factors "
                    "weighed, the threshold level matching the local threshold document, and "
                    "whether at any point the concerns should have been referred to children's "
                    "social care.",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "B3",
                    "Was the family's history (earlier contacts, episodes and their outcomes) "
                    "taken into account?",
                    "Check the front door's earlier contacts and any earlier episodes. Repeat "
                    "contacts about the same worries without a change of approach are drift; "
                    "say so.",
                    YES_PARTLY_NO,
                    False,
                ),
                QuestionData(
                    "B4",
                    "Was the assessment completed within the council's timescale?",
                    "Compare the dates the episode opened and the assessment was completed "
                    "with the council's local timescale. Where it was late, is the reason "
                    "recorded and was the family helped meanwhile?",
                    YES_PARTLY_NO,
                    False,
                ),
            ),
        ),
        SectionData(
            title="The plan, the Team Around the Family and reviews",
            guidance=(
                "The plan should follow from the assessment, be owned by the Team Around the "
                "Family and be reviewed so that everyone can see whether life is getting "
                "better for the child."
            ),
            questions=(
                QuestionData(
                    "C1",
                    "Is the plan SMART and does it address the needs the assessment found?",
                    "Each action says what will be done, by whom and by when, and how the "
                    "family will know it has worked. Match the needs in the assessment to the "
                    "actions: note any need with no action, or actions that are only 'monitor'.",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "C2",
                    "Does the Team Around the Family include the right agencies, and do they "
                    "take part?",
                    "Think of school or nursery, health visitor or school nurse, GP, housing, "
                    "adult services. Look at who attended TAF meetings and who owns actions: a "
                    "plan carried by the lead practitioner alone is a weakness.",
                    GRADES,
                    False,
                ),
                QuestionData(
                    "C3",
                    "Are reviews held on time, and do they measure progress?",
                    "Compare review dates with those planned. A good review compares the "
                    "scores (distance travelled) with the last one, brings every action up to "
                    "date and changes the plan when it is not working.",
                    YES_PARTLY_NO,
                    True,
                ),
            ),
        ),
        SectionData(
            title="Management oversight and supervision",
            guidance=(
                "Ofsted looks for managers who know their cases and make a difference to them: "
                "oversight recorded on the child's record, with reasons."
            ),
            questions=(
                QuestionData(
                    "D1",
                    "Is management oversight evident at the key points (allocation, the "
                    "assessment, reviews, closure)?",
                    "Look for management oversight notes that record a decision and why - not "
                    "only 'agreed' or 'noted'. Did the manager spot and act on delay or "
                    "escalating worries?",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "D2",
                    "Does supervision reflect on the child's progress and challenge drift?",
                    "Supervision notes should test the plan against the child's experience, "
                    "set actions with timescales and follow them up at the next supervision.",
                    YES_PARTLY_NO,
                    False,
                ),
            ),
        ),
        SectionData(
            title="Outcomes, closure and step-up or step-down",
            guidance=(
                "What difference did the help make to the child, and was the episode ended "
                "or moved on at the right time and in the right way?"
            ),
            questions=(
                QuestionData(
                    "E1",
                    "Has the child's situation improved because of the help given?",
                    "Compare each need at the start with its outcome at closure or now, in "
                    "the child's and family's words as well as the practitioner's. Was the "
                    "family told how to get help again if things get worse?",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "E2",
                    "Were decisions to step up to or step down from children's social care "
                    "timely and well managed?",
                    "Step-up: was the contact made as soon as the risk rose, with the "
                    "information the front door needed? Step-down: was there a handover "
                    "meeting and did the plan carry on? Where neither happened, say whether it "
                    "should have.",
                    YES_PARTLY_NO,
                    True,
                ),
                QuestionData(
                    "E3",
                    "Anything else you noticed, and learning for the partnership",
                    "Practice worth sharing, or problems beyond this case (a service missing, "
                    "a partner's delays). Not graded.",
                    COMMENT_ONLY,
                    False,
                ),
            ),
        ),
    ),
)

FRONT_DOOR_OBSERVATION = TemplateData(
    key="front-door-observation",
    kind=TemplateKind.FRONT_DOOR_OBSERVATION.value,
    title="Front-door practice observation",
    description=(
        "An observation of a council's front door at work (screening, a threshold "
        "discussion, a daily meeting): what was observed, graded against six questions."
    ),
    sections=(
        SectionData(
            title="Screening and decisions",
            guidance=(
                "Working Together 2023: within one working day of a referral, a decision "
                "about the next steps, and the referrer told."
            ),
            questions=(
                QuestionData(
                    "O1",
                    "Are contacts screened and decided in time?",
                    "Note how long contacts waited for screening and a decision, and whether "
                    "urgent ones (a child at risk of harm now) were picked out at once.",
                    YES_PARTLY_NO,
                    True,
                ),
                QuestionData(
                    "O2",
                    "Is consent sought and recorded, and information shared without consent "
                    "only where the law allows, with the reason recorded?",
                    "Listen for whether the family knew about the contact and agreed to it. "
                    "Where information was shared without consent, was the reason (a risk of "
                    "harm to a child) stated and recorded?",
                    GRADES,
                    True,
                ),
                QuestionData(
                    "O3",
                    "Are threshold decisions consistent with the local threshold document, "
                    "with the reasons recorded?",
                    "Compare each decision observed with the threshold document's level "
                    "descriptors. Would another practitioner reach the same level from what "
                    "was known?",
                    GRADES,
                    True,
                ),
            ),
        ),
        SectionData(
            title="Oversight, partners and recording",
            guidance="How the front door works as a team and with its partners.",
            questions=(
                QuestionData(
                    "O4",
                    "Is management oversight of decisions visible and timely?",
                    "Were decisions agreed by a manager when they should be, without holding "
                    "contacts up, and with the manager's reasons recorded?",
                    YES_PARTLY_NO,
                    False,
                ),
                QuestionData(
                    "O5",
                    "Do partners (police, health, education) contribute to screening promptly?",
                    "Note who was asked for information, how long they took and whether what "
                    "they gave changed the decision.",
                    GRADES,
                    False,
                ),
                QuestionData(
                    "O6",
                    "Is recording clear, concise and written so the family could read it?",
                    "Plain English, facts separate from opinion, the reasons for the decision "
                    "stated, no jargon or unexplained initials.",
                    GRADES,
                    True,
                ),
            ),
        ),
    ),
)

DEFAULT_TEMPLATES = (CASE_AUDIT, FRONT_DOOR_OBSERVATION)


def load(data: TemplateData, *, models: Any, published_on: date) -> Any:
    """Write ``data`` as version 1 of its template (current) with ``models`` (an object
    with ``AuditTemplate``, ``TemplateSection`` and ``TemplateQuestion``: the app's models
    or a migration's historical ones). Returns the template."""
    template = models.AuditTemplate.objects.create(
        key=data.key,
        version=1,
        kind=data.kind,
        title=data.title,
        description=data.description,
        published_on=published_on,
        is_current=True,
    )
    for order, section_data in enumerate(data.sections, start=1):
        section = models.TemplateSection.objects.create(
            template=template, order=order, title=section_data.title, guidance=section_data.guidance
        )
        models.TemplateQuestion.objects.bulk_create(
            models.TemplateQuestion(
                section=section,
                order=number,
                code=question.code,
                text=question.text,
                guidance=question.guidance,
                scale=question.scale,
                comment_required=question.comment_required,
            )
            for number, question in enumerate(section_data.questions, start=1)
        )
    return template
