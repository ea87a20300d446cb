from django.urls import URLPattern, URLResolver

app_name = "case_audits"

urlpatterns: list[URLPattern | URLResolver] = []
