from django.urls import path

from continuum.front_door.views import contacts, queue

urlpatterns = [
    path("contacts/", contacts.my_contacts, name="my-contacts"),
    path("contacts/new", contacts.contact_new, name="contact-new"),
    path("contacts/record/<uuid:token>/people", contacts.contact_people, name="contact-people"),
    path(
        "contacts/record/<uuid:token>/new-person",
        contacts.contact_new_person,
        name="contact-new-person",
    ),
    path(
        "contacts/record/<uuid:token>/new-person/confirm",
        contacts.contact_new_person_confirm,
        name="contact-new-person-confirm",
    ),
    path("contacts/record/<uuid:token>/details", contacts.contact_details, name="contact-details"),
    path("contacts/<uuid:pk>/", contacts.contact_detail, name="contact"),
    path("contacts/<uuid:pk>/change", contacts.contact_change, name="contact-change"),
    path("contacts/<uuid:pk>/submit", contacts.contact_submit, name="contact-submit"),
    path("contacts/<uuid:pk>/status", contacts.contact_status, name="contact-status"),
    path(
        "contacts/<uuid:pk>/request-information",
        contacts.contact_request_information,
        name="contact-request-information",
    ),
    path("contacts/<uuid:pk>/decision", contacts.contact_decide, name="contact-decide"),
    path("contacts/<uuid:pk>/sign-off", contacts.contact_sign_off, name="contact-sign-off"),
    path(
        "contacts/<uuid:pk>/sharing-decision",
        contacts.contact_sharing_decision,
        name="contact-sharing-decision",
    ),
    path("contacts/<uuid:pk>/letter", contacts.letter, name="letter"),
    path("queue", queue.queue, name="queue"),
    path("summary", queue.summary, name="summary"),
]
