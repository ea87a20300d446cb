"""The audit templates' pages (``case_audits`` namespace, under /audits/)."""

from django.urls import URLPattern, URLResolver, path

from continuum.case_audits.views import templates as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("templates/<int:pk>/new-version/", views.new_version, name="template-new-version"),
    path(
        "templates/<int:pk>/council-questions/new/",
        views.add_council_question,
        name="council-question-add",
    ),
]
