"""Making a subject access bundle in the background, reviewing it and releasing it.

``request_draft`` records a draft ``SubjectAccessBundle`` and enqueues its task in the same
transaction; ``run`` (the task) reads everything held about the person (``sections``),
keeps it as the JSON file's content, marks each item of other people's details for the
reviewer (``MarkedItem``) and lays out the PDF, saving its progress after each step. The
reviewer decides each marked item (release or redact); ``request_release`` then builds the
release from the draft's content with the redacted items replaced, once the requester's
identity is checked and every item is decided; ``release`` records who released it, when
and the SHA-256 of both files, and writes an access-log row. Only the information
governance lead handling the open request reads any of it (``RightsAction.READ_FOR_BUNDLE``),
each download an access-log row.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from continuum.access import policy
from continuum.accounts.models import User
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.errors import InvalidState
from continuum.people.models import Person
from continuum.rights.bundle import content as bundle_content
from continuum.rights.bundle.sections import build_sections
from continuum.rights.choices import RUNNING_BUNDLE_STATES, BundleState, RedactionDecision
from continuum.rights.models import MarkedItem, RightsRequest, SubjectAccessBundle
from continuum.rights.policies import RightsAction

logger = logging.getLogger(__name__)

STEP_QUEUED = "Waiting to start"
STEP_READING = "Reading everything held"
STEP_MARKING = "Marking other people's details"
STEP_PDF = "Writing the PDF"
STEPS = 3
STALE_AFTER = timedelta(minutes=30)
NOT_YOURS = "Only the information governance lead handling this open request may do this."


def _require(by: User, request: RightsRequest) -> None:
    policy.require(by, RightsAction.READ_FOR_BUNDLE, request, NOT_YOURS)


def latest(request: RightsRequest, *, release: bool) -> SubjectAccessBundle | None:
    return request.bundles.filter(is_release=release).defer("pdf").first()


def _start(request: RightsRequest, by: User, *, release: bool) -> SubjectAccessBundle:
    from continuum.rights.tasks import build_bundle_task

    # A build that has not finished after ``STALE_AFTER`` lost its worker: it is failed, so
    # it cannot stop the request's bundle being asked for again.
    SubjectAccessBundle.objects.filter(
        request=request,
        state__in=RUNNING_BUNDLE_STATES,
        requested_at__lt=timezone.now() - STALE_AFTER,
    ).update(
        state=BundleState.FAILED,
        finished_at=timezone.now(),
        problem="It took too long and was stopped. Ask for the bundle again.",
    )
    try:
        with transaction.atomic():
            bundle = SubjectAccessBundle.objects.create(
                request=request,
                is_release=release,
                requested_by=by,
                step=STEP_QUEUED,
                progress_total=STEPS,
            )
            build_bundle_task.enqueue(bundle.pk)
    except IntegrityError:
        raise InvalidState("A bundle is already being made for this request.") from None
    return bundle


def request_draft(*, by: User, request: RightsRequest) -> SubjectAccessBundle:
    """Start making the draft bundle (for review) in the background."""
    _require(by, request)
    return _start(request, by, release=False)


def _decided_draft(request: RightsRequest) -> SubjectAccessBundle:
    if not request.identity_checked:
        raise InvalidState("Check the requester's identity before releasing the bundle.")
    draft = latest(request, release=False)
    if draft is None or draft.state != BundleState.DONE:
        raise InvalidState("Make the bundle, and review it, before releasing it.")
    undecided = draft.marked_items.filter(decision="").count()
    if undecided:
        raise InvalidState(
            f"{undecided} marked item{'s' if undecided != 1 else ''} still "
            f"need{'s' if undecided == 1 else ''} a decision before the bundle is released."
        )
    return draft


def request_release(*, by: User, request: RightsRequest) -> SubjectAccessBundle:
    """Start making the release version: the reviewed draft with each redacted item
    replaced. Refused before identity is checked or while a marked item is undecided."""
    _require(by, request)
    _decided_draft(request)
    return _start(request, by, release=True)


@transaction.atomic
def decide_item(*, by: User, item: MarkedItem, decision: str) -> MarkedItem:
    """The reviewer's decision on one marked item: release it as it is, or redact it."""
    _require(by, item.bundle.request)
    if decision not in RedactionDecision.values:
        from django.core.exceptions import ValidationError

        raise ValidationError({"decision": "Select whether to release or redact it"})
    if item.bundle != latest(item.bundle.request, release=False):
        raise InvalidState("This item is from an earlier draft; review the latest one.")
    item.decision = decision
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save(update_fields=["decision", "decided_by", "decided_at"])
    return item


def _save(bundle_id: int, **fields: Any) -> None:
    SubjectAccessBundle.objects.filter(pk=bundle_id).update(**fields)


def _file(bundle: SubjectAccessBundle, data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True).encode()


def lay_out(data: dict[str, Any]) -> bytes:
    import weasyprint

    html = render_to_string("rights/bundle_pdf.html", {"bundle": data})
    return bytes(weasyprint.HTML(string=html).write_pdf())


def _content_of(bundle: SubjectAccessBundle) -> dict[str, Any]:
    request = bundle.request
    person: Person = request.person
    header = {
        "person": {"id": str(person.pk), "name": person.full_name},
        "council": request.council.name,
        "request": str(request.pk),
        "made_at": timezone.now().isoformat(),
        "version": "release" if bundle.is_release else "draft",
    }
    if bundle.is_release:
        draft = _decided_draft(request)
        redact = set(
            draft.marked_items.filter(decision=RedactionDecision.REDACT).values_list(
                "key", flat=True
            )
        )
        assert draft.content is not None
        return {**header, "sections": bundle_content.redacted(draft.content["sections"], redact)}
    return {**header, "sections": bundle_content.as_data(build_sections(person))}


def run(bundle_id: int) -> SubjectAccessBundle:
    """Make the bundle: read (or, for the release, redact), mark, lay out the PDF."""
    claimed = SubjectAccessBundle.objects.filter(pk=bundle_id, state=BundleState.QUEUED).update(
        state=BundleState.BUILDING, started_at=timezone.now(), step=STEP_READING
    )
    bundle = SubjectAccessBundle.objects.select_related("request__person", "request__council").get(
        pk=bundle_id
    )
    if not claimed:
        return bundle
    try:
        data = _content_of(bundle)
        _save(bundle_id, step=STEP_MARKING, progress_done=1)
        if not bundle.is_release:
            MarkedItem.objects.bulk_create(
                MarkedItem(bundle=bundle, **item)
                for item in bundle_content.marks_in(data["sections"])
            )
        _save(bundle_id, step=STEP_PDF, progress_done=2, content=data)
        pdf = lay_out(data)
    except Exception:
        logger.exception("The subject access bundle %s could not be made", bundle_id)
        _save(
            bundle_id,
            state=BundleState.FAILED,
            finished_at=timezone.now(),
            step="",
            problem="Something went wrong making the bundle. Ask for it again; if it happens "
            "again, tell the service desk.",
        )
    else:
        _save(
            bundle_id,
            state=BundleState.DONE,
            finished_at=timezone.now(),
            step="",
            progress_done=STEPS,
            pdf=pdf,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            json_sha256=hashlib.sha256(_file(bundle, data)).hexdigest(),
        )
    bundle.refresh_from_db()
    return bundle


def json_file(bundle: SubjectAccessBundle) -> bytes:
    assert bundle.content is not None
    return _file(bundle, bundle.content)


@transaction.atomic
def release(
    *, by: User, bundle: SubjectAccessBundle, http_request: HttpRequest
) -> SubjectAccessBundle:
    """Record the release of a finished release version: who, when and the SHA-256 of the
    PDF and the JSON file released; one access-log row for the person."""
    request = bundle.request
    _require(by, request)
    if not bundle.is_release or bundle.state != BundleState.DONE:
        raise InvalidState("Only a finished release version is released.")
    if bundle.released_at is not None:
        raise InvalidState("This bundle has already been released.")
    draft = _decided_draft(request)
    if draft.finished_at and bundle.requested_at < draft.finished_at:
        raise InvalidState(
            "The draft was made again after this release version: make the release again."
        )
    bundle.released_by = by
    bundle.released_at = timezone.now()
    bundle.save(update_fields=["released_by", "released_at"])
    log_access(
        request=http_request, user=by, subject_id=request.person_id, action=AccessAction.VIEW_RECORD
    )
    return bundle


def download(
    *, by: User, bundle: SubjectAccessBundle, kind: str, http_request: HttpRequest
) -> tuple[bytes, str, str]:
    """The bundle's PDF or JSON file (content, type, filename) for the lead handling the
    open request; one access-log row per download."""
    _require(by, bundle.request)
    if bundle.state != BundleState.DONE:
        raise InvalidState("The bundle is not ready.")
    version = "release" if bundle.is_release else "draft"
    stem = f"subject-access-{version}-{bundle.request.received_on:%Y-%m-%d}"
    if kind == "pdf":
        pdf = SubjectAccessBundle.objects.filter(pk=bundle.pk).values_list("pdf", flat=True).get()
        assert pdf is not None
        body, content_type, name = bytes(pdf), "application/pdf", f"{stem}.pdf"
    else:
        body, content_type, name = json_file(bundle), "application/json", f"{stem}.json"
    log_access(
        request=http_request,
        user=by,
        subject_id=bundle.request.person_id,
        action=AccessAction.VIEW_RECORD,
    )
    return body, content_type, name
