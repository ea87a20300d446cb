"""The demo's case notes: a few on every open episode with a lead professional, written by
them, dated in the weeks before the as-of date and never in the future, each child with a
chronology entry linking to the note; what a note says of a child fits their age."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from continuum.case_notes.models import CaseNote, ChildSeen
from continuum.demo.generator import World
from continuum.early_help.choices import EpisodeStatus
from continuum.early_help.models import Episode
from continuum.people.models import ChronologyEvent

# Said only of children of school age or older, or only of the youngest.
FOR_TEENAGERS = ("mock exams", "college", "youth club", "homework club")
FOR_THE_YOUNGEST = ("nursery", "cot", "feeds", "play mat")


def test_every_open_allocated_episode_has_a_few_notes_by_its_lead(demo_world: World) -> None:
    live = (
        Episode.objects.filter(lead_professional__isnull=False)
        .exclude(status=EpisodeStatus.CLOSED)
        .exclude(pk__in=[str(pk) for pk in demo_world.history_ids])
    )
    assert live.exists()
    for episode in live:
        notes = list(CaseNote.objects.filter(episode=episode))
        assert 2 <= len(notes) <= 4, episode.pk
        assert {note.author_id for note in notes} == {episode.lead_professional_id}
    end_of_as_of = timezone.make_aware(datetime.combine(demo_world.as_of, time.max))
    assert not CaseNote.objects.filter(occurred_at__gt=end_of_as_of).exists()
    assert CaseNote.objects.filter(sensitive=True).exists()


def test_what_a_note_says_of_a_child_fits_their_age(demo_world: World) -> None:
    for row in ChildSeen.objects.select_related("note", "child"):
        note, child = row.note, row.child
        age = child.age_on(timezone.localdate(note.occurred_at))
        sentences = [s for s in note.text.split(". ") if child.given_name in s]
        for sentence in sentences:
            if age is not None and age < 12:
                assert not any(w in sentence for w in FOR_TEENAGERS), (age, sentence)
            if age is not None and age >= 5:
                assert not any(w in sentence for w in FOR_THE_YOUNGEST), (age, sentence)
        assert not row.seen_alone or row.seen


def test_each_child_has_a_chronology_entry_linking_to_the_note(demo_world: World) -> None:
    note = CaseNote.objects.filter(episode__isnull=False).order_by("pk").first()
    assert note is not None
    entries = ChronologyEvent.objects.filter(source=f"case_notes.note:{note.pk}")
    assert {e.person_id for e in entries} == set(
        ChildSeen.objects.filter(note=note).values_list("child_id", flat=True)
    )
