from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from continuum.access import policy
from continuum.audit.models import AccessAction
from continuum.audit.services import log_access
from continuum.people.models import Person
from continuum.web.decorators import requires


@requires(policy.Action.SEARCH_PEOPLE)
def search(request: HttpRequest) -> HttpResponse:
    return render(request, "people/search.html", {})


@requires()
def detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    person = policy.get_visible_or_404(request.user, Person, pk)
    log_access(request=request, user=request.user, subject_id=person.pk,
               action=AccessAction.VIEW_RECORD)
    return render(request, "people/detail.html", {"person": person})
