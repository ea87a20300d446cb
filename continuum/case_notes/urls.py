from django.urls import path

from continuum.case_notes import views

app_name = "case_notes"

urlpatterns = [
    path("episodes/<uuid:pk>/", views.episode_notes, name="episode-notes"),
    path("episodes/<uuid:pk>/new", views.episode_note_new, name="episode-note-new"),
    path("contacts/<uuid:pk>/", views.contact_notes, name="contact-notes"),
    path("contacts/<uuid:pk>/new", views.contact_note_new, name="contact-note-new"),
    path("<uuid:pk>/", views.note, name="note"),
    path("<uuid:pk>/change", views.note_change, name="note-change"),
    path("<uuid:pk>/addendum", views.note_addendum, name="note-addendum"),
]
