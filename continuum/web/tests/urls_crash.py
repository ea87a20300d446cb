"""The project's URLs plus one view that fails, to see what a visitor sees on a 500."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from continuum.urls import urlpatterns as project_urlpatterns


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: SELECT given_name FROM people_person WHERE secret")


urlpatterns = [path("test-crash", crash), *project_urlpatterns]
