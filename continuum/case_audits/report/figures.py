"""An audit programme's report: its figures across its councils, or one council's.

``build(programme, council=None)`` answers an ``AuditReport``: the summary, then sections
of ``Figure``s, each a table (``performance.tables.Table``, the same one the page shows,
the CSV holds and the API answers) and, for some, its chart. Every count passes disclosure
control (``grid.protected_rows``, decision 0010). The report is of aggregates: it names no
case, child or worker, and quotes no free text (strengths, areas for improvement and
comments may name children; they are counted, not quoted).

Which grade counts: a case's moderated grade once moderated, else its auditor's, and only
for cases submitted or moderated (drafts and withdrawn cases are not graded yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString

from continuum.case_audits.choices import (
    SCALE_OPTIONS,
    ActionStatus,
    CaseStatus,
    Grade,
    Scale,
)
from continuum.case_audits.models import (
    AuditAction,
    AuditCase,
    AuditProgramme,
    Finding,
    FrontDoorObservation,
    ObservationFinding,
    TemplateQuestion,
)
from continuum.case_audits.report import sections
from continuum.case_audits.report.charts import stacked_bar_chart
from continuum.case_audits.report.grid import ALL, MEANING, CaseTable, number, protected_rows
from continuum.organisations.models import Council
from continuum.performance import charts
from continuum.performance.tables import Cell, Table
from continuum.ui.dates import govuk_date

GRADED = (CaseStatus.SUBMITTED, CaseStatus.MODERATED)
GRADE_NAMES = [str(grade.label) for grade in Grade]
# The grades and answers that mark an area for improvement, and a strength.
WEAK: dict[str, set[int]] = {Scale.GRADES: {3, 4}, Scale.YES_PARTLY_NO: {2, 3}}
STRONG: dict[str, set[int]] = {Scale.GRADES: {1, 2}, Scale.YES_PARTLY_NO: {1}}


@dataclass
class Figure:
    key: str
    title: str
    table: Table
    chart: SafeString | None = None
    note: str = ""
    # A graded question's share of answers requires improvement or inadequate (for the
    # themes: which questions, never how many).
    weak_share: float | None = None


@dataclass
class Section:
    key: str
    title: str
    intro: str
    figures: list[Figure] = field(default_factory=list)


@dataclass
class AuditReport:
    programme: AuditProgramme
    council: Council | None
    councils: list[Council]
    made_at: datetime
    facts: list[tuple[str, str]]
    sections: list[Section]
    themes: list[str]

    @property
    def title(self) -> str:
        of = self.council.name if self.council else "across its councils"
        return f"{self.programme.title}: audit report, {of}"

    @property
    def disclosure_meaning(self) -> str:
        return MEANING

    @property
    def filename(self) -> str:
        who = self.council.name if self.council else "all-councils"
        slug = "-".join(f"{self.programme.title} {who}".lower().split())
        return f"audit-report-{slug}.pdf"[:100]

    def figure(self, key: str) -> Figure | None:
        return next((f for s in self.sections for f in s.figures if f.key == key), None)

    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


def build(programme: AuditProgramme, council: Council | None = None) -> AuditReport:
    """The report's figures (the caller asked the policy)."""
    councils = [council] if council else list(programme.councils.order_by("name"))
    cases = list(
        AuditCase.objects.filter(programme=programme, council__in=councils).select_related(
            "council"
        )
    )
    body = [
        _summary(councils, cases),
        _grades(councils, cases),
        _questions(programme, councils, cases),
        _strengths(programme, councils, cases),
        sections.agreement(programme, councils, across=council is None),
        _actions(programme, councils),
        _observations(programme, councils),
    ]
    themes = _themes(body[2])
    return AuditReport(
        programme=programme,
        council=council,
        councils=councils,
        made_at=timezone.now(),
        facts=_facts(programme, councils),
        sections=body,
        themes=themes,
    )


def _facts(programme: AuditProgramme, councils: Sequence[Council]) -> list[tuple[str, str]]:
    template = programme.template
    seed = "" if programme.seed is None else f", from seed {programme.seed}"
    return [
        ("Theme", programme.theme),
        ("Period", f"{govuk_date(programme.period_start)} to {govuk_date(programme.period_end)}"),
        ("Councils", ", ".join(c.name for c in councils)),
        ("Template", f"{template.title}, version {template.version}"),
        ("Sample", f"{programme.get_sample_method_display()}{seed}"),
        ("Status", programme.get_status_display()),
    ]


def grade_of(case: AuditCase) -> int | None:
    """The grade the report counts: the moderator's once moderated, else the auditor's."""
    if case.status == CaseStatus.MODERATED and case.moderated_grade is not None:
        return case.moderated_grade
    return case.overall_grade


def _across(councils: Sequence[Council]) -> bool:
    return len(councils) > 1


def _summary(councils: Sequence[Council], cases: Sequence[AuditCase]) -> Section:
    names = [c.name for c in councils]
    index = {c.pk: i for i, c in enumerate(councils)}
    counts: Counter[tuple[int, int]] = Counter()
    for case in cases:
        i = index[case.council_id]
        counts[(i, 0)] += 1
        counts[(i, 1)] += case.status in GRADED
        counts[(i, 2)] += case.status == CaseStatus.MODERATED
        counts[(i, 3)] += case.status == CaseStatus.WITHDRAWN
    table = CaseTable(
        caption="Cases sampled, audited, moderated and taken out of the sample, by council",
        columns=["Council", "Sampled", "Audited", "Moderated", "Withdrawn"],
        rows=protected_rows(names, 4, counts, total_column=False, total_row=_across(councils)),
        numeric=[False, True, True, True, True],
        notes=["Audited: submitted by the auditor (moderated or awaiting moderation)."],
    )
    return Section("summary", "Summary", "", [Figure("summary", "Cases by council", table)])


def _grade_chart(title: str, table: Table, series: Sequence[str]) -> SafeString:
    rows = [row for row in table.rows if row[0] != ALL]
    svg = stacked_bar_chart(
        title=title,
        categories=[str(row[0]) for row in rows],
        series=series,
        values=[[number(v) for v in row[1 : 1 + len(series)]] for row in rows],
        x_label="Number",
    )
    return charts.svg_img(svg, f"{title}: the numbers are in the table below the chart.")


def _grades(councils: Sequence[Council], cases: Sequence[AuditCase]) -> Section:
    names = [c.name for c in councils]
    index = {c.pk: i for i, c in enumerate(councils)}
    grades: Counter[tuple[int, int]] = Counter()
    moderation: Counter[tuple[int, int]] = Counter()
    for case in cases:
        grade = grade_of(case)
        if case.status not in GRADED or grade is None:
            continue
        i = index[case.council_id]
        grades[(i, grade - 1)] += 1
        moderation[(i, 0)] += 1
        moderated = case.status == CaseStatus.MODERATED
        moderation[(i, 1)] += moderated
        moderation[(i, 2)] += moderated and case.moderated_grade != case.overall_grade
    across = _across(councils)
    overall = CaseTable(
        caption="Overall grades of audited cases, by council",
        columns=["Council", *GRADE_NAMES, "Total"],
        rows=protected_rows(names, len(Grade), grades, total_column=True, total_row=across),
        numeric=[False, *([True] * (len(Grade) + 1))],
        notes=["A case's moderated grade once moderated, otherwise its auditor's grade."],
    )
    moderation_table = CaseTable(
        caption="Moderation: how often the moderator changed the auditor's grade",
        columns=["Council", "Audited", "Moderated", "Grade changed by the moderator"],
        rows=protected_rows(names, 3, moderation, total_column=False, total_row=across),
        numeric=[False, True, True, True],
    )
    return Section(
        "grades",
        "Overall grades",
        "Each audited case's moderated grade where it has been moderated, otherwise the "
        "auditor's grade (the moderation table says how many were moderated).",
        [
            Figure(
                "overall-grades",
                overall.caption,
                overall,
                _grade_chart("Overall grades by council", overall, GRADE_NAMES),
            ),
            Figure("moderation", moderation_table.caption, moderation_table),
        ],
    )


def _questions_of(programme: AuditProgramme, councils: Sequence[Council]) -> list[TemplateQuestion]:
    return list(
        TemplateQuestion.objects.filter(section__template=programme.template)
        .filter(Q(council__isnull=True) | Q(council__in=councils))
        .exclude(scale=Scale.COMMENT_ONLY)
        .select_related("section", "council")
    )


def _question_title(question: TemplateQuestion) -> str:
    own = f" (asked by {question.council.name} only)" if question.council else ""
    return f"{question.code} {question.text}{own}"


def _question_figure(
    key: str,
    question: TemplateQuestion,
    councils: Sequence[Council],
    answers: Sequence[tuple[int, int]],
) -> Figure:
    """``answers``: (council id, grade) of each finding of the question."""
    asked = [c for c in councils if question.council_id in (None, c.pk)]
    index = {c.pk: i for i, c in enumerate(asked)}
    options = SCALE_OPTIONS[question.scale]
    position = {value: n for n, (value, _) in enumerate(options)}
    counts: Counter[tuple[int, int]] = Counter()
    for council_id, grade in answers:
        if council_id in index and grade in position:
            counts[(index[council_id], position[grade])] += 1
    labels = [label for _, label in options]
    table = CaseTable(
        caption=_question_title(question),
        columns=["Council", *labels, "Total"],
        rows=protected_rows(
            [c.name for c in asked],
            len(options),
            counts,
            total_column=True,
            total_row=len(asked) > 1,
        ),
        numeric=[False, *([True] * (len(options) + 1))],
        notes=[f"Section: {question.section.title}."],
    )
    chart = _grade_chart(f"{question.code}: answers by council", table, labels)
    note = f"Added by {question.council.name} for its own cases." if question.council else ""
    answered = sum(counts.values())
    weak = sum(n for (_, j), n in counts.items() if options[j][0] in WEAK[Scale.GRADES])
    share = weak / answered if question.scale == Scale.GRADES and answered else None
    return Figure(key, table.caption, table, chart, note, share)


def _questions(
    programme: AuditProgramme, councils: Sequence[Council], cases: Sequence[AuditCase]
) -> Section:
    graded_ids = [c.pk for c in cases if c.status in GRADED]
    findings = Finding.objects.filter(case_id__in=graded_ids, grade__isnull=False).values_list(
        "question_id", "case__council_id", "grade"
    )
    by_question: dict[int, list[tuple[int, int]]] = {}
    for question_id, council_id, grade in findings:
        if grade is not None:
            by_question.setdefault(question_id, []).append((council_id, grade))
    figures = [
        _question_figure(f"question-{q.pk}", q, councils, by_question.get(q.pk, []))
        for q in _questions_of(programme, councils)
    ]
    return Section(
        "questions",
        "Grades by question and council",
        "The answers to each graded and yes, partly or no question in audited cases. "
        "Questions a council added for its own cases are marked as that council's.",
        figures,
    )


def _themes(questions: Section) -> list[str]:
    """The graded questions most often graded requires improvement or inadequate: up to
    three, by their share of the answers (the questions are named; no count is)."""
    weak = [f for f in questions.figures if f.weak_share]
    weak.sort(key=lambda f: -(f.weak_share or 0))
    return [f.title for f in weak[:3]]


def _strengths(
    programme: AuditProgramme, councils: Sequence[Council], cases: Sequence[AuditCase]
) -> Section:
    graded = [c for c in cases if c.status in GRADED]
    index = {c.pk: i for i, c in enumerate(councils)}
    written: Counter[tuple[int, int]] = Counter()
    for case in graded:
        written[(index[case.council_id], 0)] += bool(case.strengths.strip())
        written[(index[case.council_id], 1)] += bool(case.areas_for_improvement.strip())
    across = _across(councils)
    names = [c.name for c in councils]
    cases_table = CaseTable(
        caption="Audited cases with strengths and with areas for improvement written",
        columns=["Council", "Strengths written", "Areas for improvement written"],
        rows=protected_rows(names, 2, written, total_column=False, total_row=across),
        numeric=[False, True, True],
    )
    findings = Finding.objects.filter(
        case_id__in=[c.pk for c in graded], grade__isnull=False
    ).values_list(
        "question__section__order",
        "question__section__title",
        "question__scale",
        "case__council_id",
        "grade",
    )
    section_names: dict[int, str] = {}
    counts: Counter[tuple[tuple[int, int], int]] = Counter()
    for order, title, scale, council_id, grade in findings:
        section_names[order] = title
        if grade in STRONG.get(scale, set()):
            counts[((order, index[council_id]), 0)] += 1
        elif grade in WEAK.get(scale, set()):
            counts[((order, index[council_id]), 1)] += 1
    keys = [(o, i) for o in sorted(section_names) for i in range(len(councils))]
    labels = [f"{section_names[o]}: {councils[i].name}" for o, i in keys]
    by_section = CaseTable(
        caption="Strong and weak answers by section and council",
        columns=[
            "Section and council",
            "Strengths (outstanding, good or yes)",
            "Areas for improvement (requires improvement, inadequate, partly or no)",
        ],
        rows=protected_rows(
            labels,
            2,
            {(n, j): counts[(k, j)] for n, k in enumerate(keys) for j in (0, 1)},
            total_column=False,
            total_row=False,
        ),
        numeric=[False, True, True],
    )
    return Section(
        "strengths",
        "Strengths and areas for improvement",
        "Counted, not quoted: what auditors wrote may name children and families, and this "
        "report is read across councils. Read the cases themselves for what was written.",
        [
            Figure("strengths-by-section", by_section.caption, by_section),
            Figure("strengths-written", cases_table.caption, cases_table),
        ],
    )


def _actions(programme: AuditProgramme, councils: Sequence[Council]) -> Section:
    today = timezone.localdate()
    index = {c.pk: i for i, c in enumerate(councils)}
    column: dict[str, int] = {ActionStatus.OPEN: 0, ActionStatus.DONE: 1, ActionStatus.CANCELLED: 2}
    counts: Counter[tuple[int, int]] = Counter()
    overdue: Counter[tuple[int, int]] = Counter()
    due: dict[int, list[date]] = {}
    for council_id, status, due_on in AuditAction.objects.filter(
        programme=programme, council__in=councils
    ).values_list("council_id", "status", "due_on"):
        i = index[council_id]
        counts[(i, column[status])] += 1
        if status == ActionStatus.OPEN:
            overdue[(i, 0)] += due_on < today
            due.setdefault(i, []).append(due_on)
    names = [c.name for c in councils]
    across = _across(councils)
    by_status = protected_rows(names, 3, counts, total_column=True, total_row=across)
    late = protected_rows(names, 1, overdue, total_column=False, total_row=across)
    rows: list[Sequence[Cell]] = []
    for i, (row, late_row) in enumerate(zip(by_status, late, strict=True)):
        dates = due.get(i, []) if i < len(councils) else [d for ds in due.values() for d in ds]
        rows.append(
            [
                *row,
                late_row[1],
                govuk_date(min(dates)) if dates else None,
                govuk_date(max(dates)) if dates else None,
            ]
        )
    table = CaseTable(
        caption="Actions and their progress, by council",
        columns=[
            "Council",
            "Open",
            "Done",
            "No longer needed",
            "Total",
            "Overdue",
            "Next open action due",
            "Last open action due",
        ],
        rows=rows,
        numeric=[False, True, True, True, True, True, False, False],
        notes=[f"Overdue: open and due before {govuk_date(today)}."],
    )
    return Section(
        "actions", "Actions and their progress", "", [Figure("actions", table.caption, table)]
    )


def _observations(programme: AuditProgramme, councils: Sequence[Council]) -> Section:
    observations = FrontDoorObservation.objects.filter(
        programme=programme, council__in=councils, submitted_at__isnull=False
    )
    index = {c.pk: i for i, c in enumerate(councils)}
    grades: Counter[tuple[int, int]] = Counter()
    for council_id, grade in observations.filter(overall_grade__isnull=False).values_list(
        "council_id", "overall_grade"
    ):
        if grade is not None:
            grades[(index[council_id], grade - 1)] += 1
    overall = CaseTable(
        caption="Front-door observations: overall grades, by council",
        columns=["Council", *GRADE_NAMES, "Total"],
        rows=protected_rows(
            [c.name for c in councils],
            len(Grade),
            grades,
            total_column=True,
            total_row=_across(councils),
        ),
        numeric=[False, *([True] * (len(Grade) + 1))],
    )
    figures = [
        Figure(
            "observation-grades",
            overall.caption,
            overall,
            _grade_chart("Front-door observations: overall grades", overall, GRADE_NAMES),
        )
    ]
    answers = ObservationFinding.objects.filter(
        observation__in=observations, grade__isnull=False
    ).values_list("question_id", "observation__council_id", "grade")
    by_question: dict[int, list[tuple[int, int]]] = {}
    for question_id, council_id, grade in answers:
        if grade is not None:
            by_question.setdefault(question_id, []).append((council_id, grade))
    questions = (
        TemplateQuestion.objects.filter(pk__in=by_question)
        .select_related("section", "council")
        .order_by("section__order", "order")
    )
    figures += [
        _question_figure(f"observation-question-{q.pk}", q, councils, by_question[q.pk])
        for q in questions
    ]
    return Section(
        "observations",
        "Front-door observations",
        "Observations of each council's front door recorded in this programme.",
        figures,
    )
