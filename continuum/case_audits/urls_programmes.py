"""Running audit programmes: the list, a new one, its page, its sample, its auditors, and
opening and closing it."""

from django.urls import URLPattern, URLResolver, path

from continuum.case_audits.views import programmes as views

PROGRAMME = "programmes/<uuid:pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.programmes, name="programmes"),
    path("programmes/new", views.new_programme, name="new-programme"),
    path(PROGRAMME, views.programme, name="programme"),
    path(PROGRAMME + "edit", views.edit_programme, name="programme-edit"),
    path(PROGRAMME + "sample", views.sample, name="programme-sample"),
    path(PROGRAMME + "sample/add", views.case_add, name="case-add"),
    path("sampled-cases/<uuid:pk>/withdraw", views.case_withdraw, name="case-withdraw"),
    path(PROGRAMME + "assign", views.assign, name="programme-assign"),
    path(PROGRAMME + "open", views.open_programme, name="programme-open"),
    path(PROGRAMME + "close", views.close_programme, name="programme-close"),
]
