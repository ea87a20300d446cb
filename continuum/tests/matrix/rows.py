"""The permission matrix's rows: ``permission_matrix.csv`` read, one ``Row`` per situation,
each action column allow or deny (or - where the action does not exist for that record)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from continuum.accounts.models import Role

MATRIX = Path(__file__).parent.parent / "permission_matrix.csv"
COLUMNS = (
    "view_page",
    "view_api",
    "search",
    "count",
    "edit",
    "queue",
    "decide",
    "work",
    "in_full",
)
# Columns a row may leave off its end (added by issue 10; not checked where left off).
OPTIONAL_COLUMNS = frozenset({"in_full"})
# The actions each record has; its other columns are "-".
ACTIONS_OF = {
    "person": ("view_page", "view_api", "search", "count", "edit"),
    "contact": ("view_page", "view_api", "search", "count", "queue", "decide", "in_full"),
    "notification": ("view_page", "view_api", "search", "count", "in_full"),
    "episode": ("view_page", "view_api", "search", "count", "work"),
    # A referral to children's social care (statutory involvement, issue 11).
    "referral": ("view_page", "view_api", "work"),
    # Single sign-on: view_page = the identity provider signs the user in (home page 200).
    "sign_in": ("view_page",),
    # The review page, listed on the possible-matches page, deciding it (issue 10 finding 5).
    "possible_match": ("view_page", "queue", "decide"),
    # A council's CIN census return (issue 11): view_page = the export page offers the
    # council and downloads its return; view_api = GET /api/v1/exports/cin-census.
    "census_export": ("view_page", "view_api"),
    # A council's CIN census import (issue 11): view_page = the new-import page offers the
    # council and the import's page shows it; view_api = POST /api/v1/imports/cin-census
    # for the council and GET /api/v1/imports/{id}; queue = listed on the Imports page;
    # decide = says who an ambiguous child is (statutory:census-match).
    "census_import": ("view_page", "view_api", "queue", "decide"),
    # Ofsted's Annex A (issue 11): the page, the API export, the page's download.
    "annex_a": ("view_page", "view_api", "work"),
    # Case notes on an episode (issue 12): the note's page and API, listed and counted on
    # the episode's notes, edit = an addendum, work = a new note, in_full = its content.
    "case_note": ("view_page", "view_api", "search", "count", "edit", "work", "in_full"),
    "sensitive_case_note": (
        "view_page",
        "view_api",
        "search",
        "count",
        "edit",
        "work",
        "in_full",
    ),
    # A decision awaiting a team manager's sign-off (issue 12): view_page = the sign-off
    # page; decide = "not agreed" with a reason on the page; work = the same by the API.
    "sign_off": ("view_page", "decide", "work"),
    # An episode's lead professionals (issue 12): view_page = the history page
    # (early_help:lead-professionals); view_api = GET .../lead-professionals; edit = the
    # handover page (early_help:handover) and GET .../lead-professional-choices; work =
    # POST .../handover.
    "handover": ("view_page", "view_api", "edit", "work"),
    # Closing an episode with a manager's sign-off (issue 12): view_page = the sign-off
    # page (early_help:closure-sign-off); view_api = GET .../closure-requests; decide = POST
    # .../closure-requests/{id}/decision; work = POST .../closure (asking to close).
    "closure_sign_off": ("view_page", "view_api", "decide", "work"),
    # A document (issue 12) on an episode, a person or a contact: its page and download,
    # its API detail and content, listed on its record, uploading on that record.
    "document": ("view_page", "view_api", "search", "count", "work"),
    # A reminder the user set on a person's record (issue 12): view_page = it is on the
    # record's "your reminders" tab; queue = listed in the user's work tray (the home page
    # and GET /api/v1/work); count = counted there; work = marking it done (the page's
    # POST and the API's): denied, 404 and nothing changes.
    "reminder": ("view_page", "queue", "count", "work"),
    # A person's consent record (issue 13): view_page = the person's Consent tab and the
    # record's page; view_api = GET /api/v1/people/{id}/consent and /api/v1/consent/{id};
    # search = listed on the tab and by the API list; count = counted by it; work =
    # recording a withdrawal (the page's POST and the API's).
    "consent": ("view_page", "view_api", "search", "count", "work"),
}
EMPLOYERS_OF = {
    "person": ("council", "partner", "council_administrator"),
    "contact": ("council", "partner", "council_administrator"),
    "notification": ("council", "partner", "police"),
    "episode": ("council", "partner", "council_administrator"),
    "referral": ("council", "partner", "council_administrator"),
    "sign_in": ("council", "partner"),
    "possible_match": ("council", "partner"),
    "census_export": ("council", "partner", "council_administrator"),
    "census_import": ("council", "partner", "council_administrator"),
    "annex_a": ("council", "partner", "council_administrator"),
    "case_note": ("council", "partner", "council_administrator"),
    "sensitive_case_note": ("council", "partner", "council_administrator"),
    "sign_off": ("council", "partner", "council_administrator"),
    "handover": ("council", "partner", "council_administrator"),
    "closure_sign_off": ("council", "partner", "council_administrator"),
    "document": ("council", "partner", "council_administrator"),
    "reminder": ("council", "partner", "council_administrator"),
    "consent": ("council", "partner", "council_administrator"),
}
COUNCILS = ("own", "other")
EPISODE_RELATIONSHIPS = (
    "none",
    "lead_professional",
    "lead_professional_closed",
    "taf_member",
    "taf_member_left",
    "taf_member_future",
)
# A case note on a front-door contact: made by someone else, or by the user (the referrer).
CONTACT_NOTE_RELATIONSHIPS = ("on_contact", "on_contact_made_it")
RELATIONSHIPS_OF = {
    "person": (
        "none",
        "involved",
        "involvement_ended",
        "involvement_future",
        "left_household_episode_closed",
        "break_glass",
        "break_glass_expired",
        "break_glass_revoked",
    ),
    "contact": ("none", "made_it", "made_it_involvement_ended", "others_draft"),
    "notification": (
        "none",
        "force_made_it",
        "made_it",
        "made_it_triaged_long_ago",
        "triage_team",
        "triage_team_triaged_long_ago",
    ),
    "episode": EPISODE_RELATIONSHIPS,
    "referral": ("none", "involved"),
    "sign_in": ("linked", "verified_email", "unverified_email", "unknown", "inactive"),
    "possible_match": ("none", "made_it"),
    "census_export": ("none",),
    "census_import": ("none",),
    "annex_a": ("none",),
    "case_note": (*EPISODE_RELATIONSHIPS, *CONTACT_NOTE_RELATIONSHIPS),
    "sensitive_case_note": (*EPISODE_RELATIONSHIPS, *CONTACT_NOTE_RELATIONSHIPS),
    "sign_off": ("none", "made_it"),
    # Where the document is (episode_, person_, contact_) and the user's relationship to
    # that record, as in its own rows.
    "document": (
        "episode_none",
        "episode_lead_professional",
        "episode_lead_professional_closed",
        "episode_taf_member",
        "episode_taf_member_left",
        "episode_taf_member_future",
        "person_none",
        "person_involved",
        "person_involvement_ended",
        "person_involvement_future",
        "person_left_household_episode_closed",
        "person_break_glass",
        "person_break_glass_expired",
        "contact_none",
        "contact_made_it",
        "contact_made_it_involvement_ended",
    ),
    "reminder": ("none", "involved", "involvement_ended"),
    "consent": ("none", "involved", "involvement_ended", "break_glass"),
}
# An episode's handover and closure sign-off are built as the episode is (its situations).
RELATIONSHIPS_OF["handover"] = RELATIONSHIPS_OF["episode"]
RELATIONSHIPS_OF["closure_sign_off"] = RELATIONSHIPS_OF["episode"]
# A request under data protection law (issue 13): its page, its API detail, listed and counted
# by the API's register, and reading the person's record for a subject access bundle.
ACTIONS_OF["rights_request"] = ("view_page", "view_api", "search", "count", "work")
EMPLOYERS_OF["rights_request"] = ("council", "partner", "council_administrator")
RELATIONSHIPS_OF["rights_request"] = (
    "handling",
    "handling_closed",
    "not_handling",
    "logged_it",
    "none",
)
# A manager's review of early help without the family's agreement (issue 13), built as the
# episode is: view_page = the review's page (early_help:consent-review); view_api = GET
# /api/v1/episodes/{id}/consent-reviews/{id}; decide = POST .../decision (continue on a
# lawful basis).
ACTIONS_OF["consent_review"] = ("view_page", "view_api", "decide")
EMPLOYERS_OF["consent_review"] = EMPLOYERS_OF["episode"]
RELATIONSHIPS_OF["consent_review"] = RELATIONSHIPS_OF["episode"]
RESTRICTED = ("no", "listed", "unlisted")
# The person every situation is about (the contact's, notification's or episode's child).
SUBJECT = {"given_name": "Elowen", "family_name": "Quarrington"}


@dataclass(frozen=True)
class Row:
    line: int
    record: str
    role: str
    employer: str
    council: str
    relationship: str
    restricted: str
    # The record's actions only: True = allow, False = deny.
    expected: dict[str, bool]

    @property
    def id(self) -> str:
        return "-".join(
            [self.role, self.employer, self.council, self.relationship, self.restricted]
        )


def load_matrix() -> list[Row]:
    with MATRIX.open(newline="") as handle:
        lines = [(n, text) for n, text in enumerate(handle, start=1)]
    data = [(n, text) for n, text in lines if text.strip() and not text.startswith("#")]
    reader = csv.DictReader(text for _, text in data)
    rows = []
    for (line, _), record in zip(data[1:], reader, strict=True):
        kind = record["record"]
        assert kind in ACTIONS_OF, f"line {line}: unknown record {kind!r}"
        expected = {}
        for action in COLUMNS:
            value = record[action]
            if value is None and action in OPTIONAL_COLUMNS:
                continue  # left off the end of the row: not checked for this situation
            if action in ACTIONS_OF[kind]:
                assert value in ("allow", "deny"), f"line {line}: {action}={value!r}"
                expected[action] = value == "allow"
            else:
                assert value == "-", f"line {line}: a {kind} has no {action} ({value!r})"
        rows.append(
            Row(
                line=line,
                record=kind,
                role=record["role"],
                employer=record["employer"],
                council=record["council"],
                relationship=record["relationship"],
                restricted=record["restricted"],
                expected=expected,
            )
        )
    return rows


# A council's disposal run awaiting approval (issue 13; continuum/retention): view_page =
# its page (retention:run); view_api = GET /api/v1/retention/runs/{id}; search = listed on
# the runs page and by GET /api/v1/retention/runs; edit = changing the run's council's
# retention schedule (retention:edit-rule); queue = among the runs awaiting the user's
# approval (selectors.runs_awaiting_approval, for the work tray); decide = approving it
# (retention:approve); work = placing a legal hold on a person of the run's council.
ACTIONS_OF["disposal_run"] = ("view_page", "view_api", "search", "edit", "queue", "decide", "work")
EMPLOYERS_OF["disposal_run"] = ("council", "partner", "council_administrator")
RELATIONSHIPS_OF["disposal_run"] = ("none",)


ALL_ROWS = load_matrix()


def rows_for(record: str) -> list[Row]:
    return [row for row in ALL_ROWS if row.record == record]


ROWS = rows_for("person")
CONTACT_ROWS = rows_for("contact")
NOTIFICATION_ROWS = rows_for("notification")
EPISODE_ROWS = rows_for("episode")
REFERRAL_ROWS = rows_for("referral")
SIGN_IN_ROWS = rows_for("sign_in")
POSSIBLE_MATCH_ROWS = rows_for("possible_match")
CENSUS_EXPORT_ROWS = rows_for("census_export")
CENSUS_IMPORT_ROWS = rows_for("census_import")
ANNEX_A_ROWS = rows_for("annex_a")
CASE_NOTE_ROWS = rows_for("case_note")
SENSITIVE_CASE_NOTE_ROWS = rows_for("sensitive_case_note")
SIGN_OFF_ROWS = rows_for("sign_off")
HANDOVER_ROWS = rows_for("handover")
CLOSURE_SIGN_OFF_ROWS = rows_for("closure_sign_off")
DOCUMENT_ROWS = rows_for("document")
REMINDER_ROWS = rows_for("reminder")
RIGHTS_REQUEST_ROWS = rows_for("rights_request")
# Roles employed by a council (every role but the partner practitioner).
COUNCIL_EMPLOYED_ROLES = [role for role in Role.values if role != Role.PARTNER_PRACTITIONER]
CONSENT_ROWS = rows_for("consent")
DISPOSAL_RUN_ROWS = rows_for("disposal_run")
CONSENT_REVIEW_ROWS = rows_for("consent_review")


# Issue 14: the safeguarding partnership lead is employed by the partnership (an
# organisation serving the councils), not a council; and a peer auditor's sight of the
# contacts and episodes sampled for them: audit_sampled = a read grant and involvements from
# an open audit programme; audit_ended = the programme closed, ending them (situations:
# matrix/situations.py, sampled_for_audit).
for _record in ("person", "contact", "notification", "episode"):
    EMPLOYERS_OF[_record] = (*EMPLOYERS_OF[_record], "partnership")
for _record in ("contact", "episode"):
    RELATIONSHIPS_OF[_record] = (*RELATIONSHIPS_OF[_record], "audit_sampled", "audit_ended")
COUNCIL_EMPLOYED_ROLES = [
    role for role in COUNCIL_EMPLOYED_ROLES if role != Role.SAFEGUARDING_PARTNERSHIP_LEAD
]
for _record in (
    "possible_match",
    "census_export",
    "census_import",
    "annex_a",
    "case_note",
    "sensitive_case_note",
    "handover",
    "closure_sign_off",
    "reminder",
    "consent",
):
    EMPLOYERS_OF[_record] = (*EMPLOYERS_OF[_record], "partnership")
for _record in ("handover", "closure_sign_off"):
    RELATIONSHIPS_OF[_record] = RELATIONSHIPS_OF["episode"]
