"""A child's chronology links each entry to the contact or episode it came from, only for
readers who may open that record (issue 12, rough edge 9): on the page and in the API."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from continuum.accounts.models import User
from continuum.early_help.models import Episode
from continuum.early_help.tests import support
from continuum.early_help.tests.api_support import Api, ok
from continuum.early_help.tests.builders import Family
from continuum.front_door.tests.contacts_support import submitted_contact
from continuum.organisations.models import Council


def test_chronology_entries_link_to_the_records_the_reader_may_open(
    client: Client,
    episode: Episode,
    family: Family,
    manager: User,
    vcs_worker: User,
    teacher: User,
    stockton: Council,
) -> None:
    contact = submitted_contact(by=teacher, council=stockton, children=[family.child])
    support.allocated(episode, lead=vcs_worker, manager=manager)
    chronology = reverse("people:chronology", args=[family.child.pk])
    episode_page = reverse("early_help:episode", args=[episode.pk])
    contact_page = reverse("front_door:contact", args=[contact.pk])

    client.force_login(manager)  # council staff open both
    page = client.get(chronology).content.decode()
    assert f'href="{episode_page}"' in page and f'href="{contact_page}"' in page
    assert "Open the early help episode" in page and "Open the contact" in page

    client.force_login(vcs_worker)  # the lead professional: the episode, not the contact
    page = client.get(chronology).content.decode()
    assert f'href="{episode_page}"' in page
    assert f'href="{contact_page}"' not in page

    client.force_login(teacher)  # the referrer: their contact, not the episode
    page = client.get(chronology).content.decode()
    assert f'href="{contact_page}"' in page
    assert f'href="{episode_page}"' not in page

    items = ok(Api(vcs_worker).get(f"/api/v1/people/{family.child.pk}/chronology"))["items"]
    urls = {item["source"]: item["record_url"] for item in items}
    assert urls[f"early_help.episode:{episode.pk}"] == episode_page
    assert urls.get(f"front_door.contact:{contact.pk}") is None
