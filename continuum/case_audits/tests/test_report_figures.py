"""The audit report's figures against hand counts (``report_data``), and small numbers
suppressed as everywhere else (decision 0010)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from continuum.accounts.models import Role, User
from continuum.case_audits.agreement import agreement_for
from continuum.case_audits.consistency import agreement
from continuum.case_audits.report import figures
from continuum.case_audits.tests import report_data
from continuum.organisations.models import Council
from continuum.performance.tables import Cell

pytestmark = pytest.mark.django_db
C = "[c]"


@pytest.fixture
def reported(
    stockton: Council,
    hartlepool: Council,
    partnership_lead: User,
    stockton_auditor: User,
    make_user: Callable[..., User],
    manager: User,
) -> report_data.Reported:
    hartlepool_auditor = make_user(Role.AUDITOR, council=hartlepool, username="auditor.hpool")
    return report_data.build(
        stockton=stockton,
        hartlepool=hartlepool,
        lead=partnership_lead,
        stockton_auditor=stockton_auditor,
        hartlepool_auditor=hartlepool_auditor,
        owner=manager,
    )


def rows(report: figures.AuditReport, key: str) -> dict[str, Sequence[Cell]]:
    figure = report.figure(key)
    assert figure is not None, key
    return {str(row[0]): list(row[1:]) for row in figure.table.rows}


def test_the_summary_counts_cases_by_council(reported: report_data.Reported) -> None:
    report = figures.build(reported.programme)
    facts = dict(report.facts)
    assert facts["Councils"] == "Hartlepool, Stockton-on-Tees"
    assert "version 1" in facts["Template"] and "seed 1" in facts["Sample"]
    table = rows(report, "summary")
    # Sampled, audited, moderated, withdrawn; one withdrawn case is [c], and so is the
    # total across councils that would give it away.
    assert table["Stockton-on-Tees"] == [17, 14, 5, C]
    assert table["Hartlepool"] == [12, 12, 12, 0]
    assert table["All councils"] == [29, 26, 17, C]


def test_overall_grades_count_the_moderated_grade_where_moderated(
    reported: report_data.Reported,
) -> None:
    # One council at a time (fewer cells to protect): outstanding, good, requires
    # improvement, inadequate, total. Stockton's good cases are its 5 moderated up from
    # requires improvement and 1 graded good by the auditor (by the auditors' grades alone
    # it would be 1 good and 10 requiring improvement).
    stockton = rows(figures.build(reported.programme, reported.stockton), "overall-grades")
    # Its 3 inadequate cases are [c], and so is its next smallest grade (5), so its total
    # cannot give them away.
    assert stockton == {"Stockton-on-Tees": [0, 6, C, C, 14]}
    hartlepool = rows(figures.build(reported.programme, reported.hartlepool), "overall-grades")
    assert hartlepool == {"Hartlepool": [0, 7, 5, 0, 12]}  # auditors alone: 12 good


def test_small_grades_are_suppressed_with_the_cells_that_give_them_away(
    reported: report_data.Reported,
) -> None:
    table = rows(figures.build(reported.programme), "overall-grades")
    inadequate, total = 2, 4  # positions after the council's name
    assert table["Stockton-on-Tees"][inadequate + 1] == C
    # In Stockton's row and down the inadequate column, at least one more cell is [c], so
    # no total less the cells shown equals the 3.
    assert sum(c == C for c in table["Stockton-on-Tees"]) >= 2
    assert sum(row[inadequate + 1] == C for row in table.values()) >= 2
    assert [row[total] for row in table.values()] == [12, 14, 26]
    for row in table.values():
        assert all(c == C or c == 0 or (isinstance(c, int) and c >= 5) for c in row)


def test_how_often_moderation_changed_the_grade(reported: report_data.Reported) -> None:
    table = rows(figures.build(reported.programme), "moderation")
    assert table["Stockton-on-Tees"] == [14, 5, 5]
    assert table["Hartlepool"] == [12, 12, 5]
    assert table["All councils"] == [26, 17, 10]


def test_grades_by_question_and_council_count_submitted_findings_only(
    reported: report_data.Reported,
) -> None:
    report = figures.build(reported.programme)
    question = next(f for f in report.figures() if f.title.startswith("A1 "))
    table = {str(r[0]): list(r[1:]) for r in question.table.rows}
    # The draft's inadequate A1 is not counted: Stockton's 14 audited cases (10 requires
    # improvement and 4 inadequate: both [c], as its total would give the 4 away).
    assert table["Stockton-on-Tees"][3:] == [C, 14]
    assert table["All councils"][4] == 26
    one = figures.build(reported.programme, reported.hartlepool)
    a1 = next(f for f in one.figures() if f.title.startswith("A1 "))
    assert [list(r[1:]) for r in a1.table.rows] == [[0, 12, 0, 0, 12]]
    yes_no = next(f for f in report.figures() if f.title.startswith("A2 "))
    assert [list(r[1:]) for r in yes_no.table.rows][:2] == [[12, 0, 0, 12], [0, 0, 14, 14]]
    # The comment-only question is not a table.
    assert not any(f.title.startswith("B2 ") for f in report.figures())


def test_a_councils_own_question_is_marked_and_asked_only_of_it(
    reported: report_data.Reported,
) -> None:
    report = figures.build(reported.programme)
    own = report.figure(f"question-{reported.council_question.pk}")
    assert own is not None
    assert "(asked by Hartlepool only)" in own.title and "Hartlepool" in own.note
    assert [row[0] for row in own.table.rows] == ["Hartlepool"]
    assert list(own.table.rows[0][1:]) == [12, 0, 0, 0, 12]
    # Stockton's own report does not ask it.
    assert figures.build(reported.programme, reported.stockton).figure(own.key) is None


def test_themes_are_the_questions_most_often_graded_weak(reported: report_data.Reported) -> None:
    report = figures.build(reported.programme)
    assert len(report.themes) == 1 and report.themes[0].startswith("A1 ")


def test_strengths_and_areas_are_counted_by_section_not_quoted(
    reported: report_data.Reported,
) -> None:
    report = figures.build(reported.programme)
    table = rows(report, "strengths-by-section")
    assert table["Assessment: Stockton-on-Tees"] == [0, 28]
    assert table["Assessment: Hartlepool"] == [36, 0]
    assert table["Plan and review: Stockton-on-Tees"] == [14, 0]
    written = rows(report, "strengths-written")
    assert written["Hartlepool"] == [12, 0]
    assert written["Stockton-on-Tees"] == [14, C]  # 3 inadequate cases with areas written
    text = " ".join(str(c) for f in report.figures() for r in f.table.rows for c in r)
    assert "Strengths written." not in text and "Areas written." not in text


def test_threshold_agreement_per_council_and_across(reported: report_data.Reported) -> None:
    report = figures.build(reported.programme)
    table = rows(report, "agreement")
    stockton = agreement(report_data.STOCKTON_PAIRS)
    assert table["Stockton-on-Tees"][:3] == [8, 6, 75.0]
    assert stockton.kappa is not None
    assert table["Stockton-on-Tees"][3] == round(stockton.kappa, 2)
    # Hartlepool agreed on all 6: kappa 1 (its interval collapses).
    assert table["Hartlepool"][:4] == [6, 6, 100.0, 1.0]
    everyone = agreement(report_data.STOCKTON_PAIRS + report_data.HARTLEPOOL_PAIRS)
    assert table["All councils"][:3] == [14, 12, round(100 * 12 / 14, 1)]
    assert everyone.kappa is not None
    assert table["All councils"][3] == round(everyone.kappa, 2)
    # The revealed-but-not-graded contact is not a pair.
    assert agreement_for(programme=reported.programme).agreement.pairs == 14


def test_the_confusion_matrix_suppresses_small_cells(reported: report_data.Reported) -> None:
    report = figures.build(reported.programme)
    matrices = [f for f in report.figures() if f.key.startswith("matrix-")]
    assert [f.title for f in matrices] == [
        "Confusion matrix: All councils",
        "Confusion matrix: Hartlepool",
        "Confusion matrix: Stockton-on-Tees",
    ]
    cells = [c for f in matrices for row in f.table.rows for c in row[1:]]
    assert all(c == C or c == 0 or (isinstance(c, int) and c >= 5) for c in cells)
    everything = {str(r[0]): list(r[1:]) for r in matrices[0].table.rows}
    assert everything["All levels"][-1] == 14


def test_actions_and_their_progress(reported: report_data.Reported) -> None:
    table = rows(figures.build(reported.programme), "actions")
    # Open, done, no longer needed, total, overdue, next due, last due.
    assert table["Hartlepool"][:5] == [5, 5, 5, 15, 0]
    assert table["Stockton-on-Tees"][:5] == [6, 5, 0, 11, C]
    assert table["All councils"][:5] == [11, 10, 5, 26, C]
    assert table["Stockton-on-Tees"][5] is not None and table["Stockton-on-Tees"][6] is not None


def test_front_door_observations_count_submitted_ones(reported: report_data.Reported) -> None:
    report = figures.build(reported.programme)
    table = rows(report, "observation-grades")
    assert table["Stockton-on-Tees"] == [0, 6, 0, 0, 6]
    assert table["Hartlepool"] == [0, 0, 5, 0, 5]
    assert table["All councils"] == [0, 6, 5, 0, 11]
    questions = [f for f in report.figures() if f.key.startswith("observation-question-")]
    assert len(questions) == 1


def test_a_councils_report_has_only_its_figures(reported: report_data.Reported) -> None:
    report = figures.build(reported.programme, reported.hartlepool)
    assert report.councils == [reported.hartlepool]
    assert set(rows(report, "overall-grades")) == {"Hartlepool"}
    assert rows(report, "agreement")["Hartlepool"][:3] == [6, 6, 100.0]
    assert "Hartlepool" in report.title
    # A chart for each stacked table, an SVG image on the page.
    grades = report.figure("overall-grades")
    assert grades is not None and grades.chart is not None
    assert 'src="data:image/svg+xml;base64,' in grades.chart
