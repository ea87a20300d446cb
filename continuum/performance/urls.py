from django.urls import path

from continuum.performance.views import index

app_name = "performance"

# Each dashboard adds its own lines here (and an entry in navigation.DASHBOARDS).
urlpatterns = [
    path("", index.index, name="index"),
]
