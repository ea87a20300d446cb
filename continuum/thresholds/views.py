from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from continuum.access import policy
from continuum.web.decorators import requires


@requires(policy.Action.VIEW_THRESHOLDS)
def framework(request: HttpRequest) -> HttpResponse:
    return render(request, "thresholds/framework.html", {})
