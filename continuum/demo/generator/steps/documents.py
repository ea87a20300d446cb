"""Documents on the early help episodes (``documents.Document``): a signed consent form on
each episode the early help step allocated (not the five years' history), uploaded by its
lead professional the day after allocation, and for about a third of them the family's
plan too. Each is a small one-page PDF saying it is synthetic.

The files are written to the documents storage when the rows are committed (so a world
built and rolled back, as the tests do, leaves no file behind), under names drawn from the
step's random stream: the same seed gives the same rows and names.

Runs after the early help step and the history (order 960); its random stream is its own.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction

from continuum.demo.generator.registry import step
from continuum.demo.generator.world import World
from continuum.documents.choices import DocumentKind, ScanResult
from continuum.documents.models import Document
from continuum.documents.storage import documents_storage
from continuum.early_help.models import Episode

PLAN_SHARE = 0.35
MOST = 60  # documents' episodes, at most: the demo needs some to open, not thousands


def synthetic_pdf(title: str) -> bytes:
    """A valid one-page PDF showing ``title`` and that it is synthetic demo data."""
    text = f"{title} - synthetic demo document, no real person".replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _save_on_commit(name: str, content: bytes) -> None:
    def save() -> None:
        storage = documents_storage()
        if storage.exists(name):  # the same seed's file, from an earlier demo
            storage.delete(name)
        storage.save(name, ContentFile(content))

    transaction.on_commit(save)


def _document(world: World, episode: Episode, kind: str, title: str, filename: str) -> Document:
    content = synthetic_pdf(title)
    token = world.new_uuid().hex
    stored_name = f"{token[:2]}/{token}"
    assert episode.allocated_at is not None and episode.lead_professional is not None
    document = Document.objects.create(
        id=world.new_uuid(),
        episode=episode,
        kind=kind,
        title=title,
        original_filename=filename,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        stored_name=stored_name,
        scan_result=ScanResult.NOT_SCANNED,
        uploaded_by=episode.lead_professional,
        uploaded_at=min(
            episode.allocated_at + timedelta(days=1, hours=2), world.moment(world.as_of, hour=8)
        ),
    )
    _save_on_commit(stored_name, content)
    return document


@step(order=960)
def documents(world: World) -> None:
    episodes = list(
        Episode.objects.exclude(pk__in=[str(pk) for pk in world.history_ids])
        .filter(allocated_at__isnull=False, lead_professional__isnull=False)
        .select_related("household", "lead_professional")
        .order_by("pk")[:MOST]
    )
    made = 0
    for episode in episodes:
        family = episode.household.name
        _document(
            world,
            episode,
            DocumentKind.CONSENT_FORM,
            "Signed consent to share information",
            f"{family} consent form.pdf",
        )
        made += 1
        if world.rng.random() < PLAN_SHARE:
            _document(world, episode, DocumentKind.PLAN, "Family plan", f"{family} family plan.pdf")
            made += 1
    world.note(f"{made} documents on {len(episodes)} episodes (synthetic one-page PDFs)")
