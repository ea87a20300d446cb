from django.urls import path

from continuum.statutory.views import census_export, census_import, pages

app_name = "statutory"

urlpatterns = [
    path("census/export", census_export.census_export, name="census-export"),
    path("census/findings", census_import.census_findings, name="census-findings"),
    path(
        "census/findings/<uuid:pk>/resolve",
        census_import.resolve_finding,
        name="census-finding-resolve",
    ),
    path("census/matches/<uuid:pk>", census_import.resolve_match, name="census-match"),
    path("", pages.timescales, name="timescales"),
    path("decisions/<int:pk>/refer", pages.refer, name="refer"),
    path("referrals/<uuid:pk>/", pages.referral, name="referral"),
    path("referrals/<uuid:pk>/section-47", pages.section_47, name="section-47"),
    path("referrals/<uuid:pk>/assessment", pages.assessment, name="assessment"),
    path("enquiries/<uuid:pk>/conference", pages.conference, name="conference"),
    path("assessments/<uuid:pk>/authorise", pages.authorise, name="authorise"),
    path("people/<uuid:pk>/", pages.person, name="person"),
]
