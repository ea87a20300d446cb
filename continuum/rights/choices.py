"""The kinds of request under data protection law, who may make one, and the states a
request moves through."""

from __future__ import annotations

from django.db import models


class RequestKind(models.TextChoices):
    SUBJECT_ACCESS = "subject_access", "Subject access"
    RECTIFICATION = "rectification", "Rectification"
    ERASURE = "erasure", "Erasure"
    RESTRICTION = "restriction", "Restriction of processing"
    OBJECTION = "objection", "Objection to processing"


class RequesterKind(models.TextChoices):
    SELF = "self", "The person themselves"
    PARENT_OR_CARER = "parent_or_carer", "A parent or carer"
    REPRESENTATIVE = "representative", "Someone acting for them with their authority"


class IdentityCheck(models.TextChoices):
    PHOTO_ID_SEEN = "photo_id_seen", "Photo identification seen in person"
    DOCUMENTS_SENT = "documents_sent", "Copies of identity documents sent"
    KNOWN_TO_SERVICE = "known_to_service", "Known to the service (confirmed by a worker)"
    AUTHORITY_CHECKED = "authority_checked", "Authority to act checked (with identity)"


class RequestState(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = (RequestState.RECEIVED, RequestState.IN_PROGRESS)
CLOSING_STATES = (RequestState.COMPLETED, RequestState.REFUSED, RequestState.WITHDRAWN)
# The longest a request's due date may be extended, once (UK GDPR article 12(3)).
MAX_EXTENSION_MONTHS = 2


class BundleState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Could not be made"


RUNNING_BUNDLE_STATES = (BundleState.QUEUED, BundleState.BUILDING)


class RedactionDecision(models.TextChoices):
    RELEASE = "release", "Release as it is"
    REDACT = "redact", "Redact"


class AttemptVia(models.TextChoices):
    PAGE = "page", "The register's page"
    API = "api", "The API"
