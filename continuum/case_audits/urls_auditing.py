from django.urls import URLPattern, URLResolver, path

from continuum.case_audits.views import audit_actions, auditing, observations

urlpatterns: list[URLPattern | URLResolver] = [
    path("cases/<uuid:pk>/", auditing.case_page, name="case"),
    path("cases/<uuid:pk>/submit", auditing.case_submit, name="case-submit"),
    path("cases/<uuid:pk>/conversations", auditing.conversation_add, name="conversation-add"),
    path("cases/<uuid:pk>/moderate", auditing.moderate, name="moderate"),
    path("programmes/<uuid:pk>/moderation", auditing.moderation, name="moderation"),
    path("programmes/<uuid:pk>/actions", audit_actions.programme_actions, name="programme-actions"),
    path("programmes/<uuid:pk>/actions/new", audit_actions.action_add, name="action-add"),
    path("actions/<uuid:pk>/", audit_actions.action_page, name="action"),
    path("actions/", audit_actions.my_actions, name="actions"),
    path("observations/", observations.observations, name="observations"),
    path("observations/new", observations.observation_new, name="observation-new"),
    path("observations/<uuid:pk>/", observations.observation, name="observation"),
]
