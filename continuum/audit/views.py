from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from continuum.access import policy
from continuum.web.decorators import requires


@requires(policy.Action.VIEW_ACCESS_LOG)
def access_log(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/access_log.html", {})


@requires(policy.Action.REVIEW_BREAK_GLASS)
def break_glass_review(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "audit/break_glass_review.html", {})
