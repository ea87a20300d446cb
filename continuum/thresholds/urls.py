from django.urls import path

from continuum.thresholds import views

app_name = "thresholds"

urlpatterns = [
    path("", views.framework, name="framework"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("councils/<str:dfe_la_code>/", views.council, name="council"),
    path("suggest/", views.suggest, name="suggest"),
]
