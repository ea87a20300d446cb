from django.urls import path

from continuum.front_door.views import checking, contact_page, letters, queue, recording

urlpatterns = [
    path("contacts/", contact_page.my_contacts, name="my-contacts"),
    path("contacts/new", recording.contact_new, name="contact-new"),
    path("contacts/record/<uuid:token>/people", recording.contact_people, name="contact-people"),
    path(
        "contacts/record/<uuid:token>/new-person",
        recording.contact_new_person,
        name="contact-new-person",
    ),
    path(
        "contacts/record/<uuid:token>/new-person/confirm",
        recording.contact_new_person_confirm,
        name="contact-new-person-confirm",
    ),
    path("contacts/record/<uuid:token>/details", recording.contact_details, name="contact-details"),
    path("contacts/<uuid:pk>/", contact_page.contact_detail, name="contact"),
    path("contacts/<uuid:pk>/change", recording.contact_change, name="contact-change"),
    path("contacts/<uuid:pk>/check", checking.contact_check, name="contact-check"),
    path("contacts/<uuid:pk>/submit", checking.contact_submit, name="contact-submit"),
    path("contacts/<uuid:pk>/status", contact_page.contact_status, name="contact-status"),
    path(
        "contacts/<uuid:pk>/request-information",
        contact_page.contact_request_information,
        name="contact-request-information",
    ),
    path("contacts/<uuid:pk>/decision", contact_page.contact_decide, name="contact-decide"),
    path("contacts/<uuid:pk>/sign-off", contact_page.contact_sign_off, name="contact-sign-off"),
    path(
        "contacts/<uuid:pk>/sharing-decision",
        contact_page.contact_sharing_decision,
        name="contact-sharing-decision",
    ),
    path("contacts/<uuid:pk>/letter", letters.letter, name="letter"),
    path("queue", queue.queue, name="queue"),
    path("summary", queue.summary, name="summary"),
]
