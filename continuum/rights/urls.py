from django.urls import path

from continuum.rights import bundle_views, views

app_name = "rights"

urlpatterns = [
    path("", views.register, name="register"),
    path("find", views.find, name="find"),
    path("new", views.new, name="new"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/start", views.start, name="start"),
    path("<uuid:pk>/identity", views.identity, name="identity"),
    path("<uuid:pk>/extend", views.extend, name="extend"),
    path("<uuid:pk>/close", views.close, name="close"),
    path("<uuid:pk>/correction", views.correction, name="correction"),
    path("<uuid:pk>/erase", views.erase, name="erase"),
    path("<uuid:pk>/restrict", views.restrict, name="restrict"),
    path("<uuid:pk>/lift-restriction", views.lift, name="lift"),
    path("<uuid:pk>/bundle", bundle_views.make_draft, name="make-draft"),
    path("<uuid:pk>/release-version", bundle_views.make_release, name="make-release"),
    path("<uuid:pk>/documents/<uuid:document_id>", bundle_views.document, name="document"),
    path("bundles/<int:pk>/", bundle_views.bundle, name="bundle"),
    path("bundles/<int:pk>/review", bundle_views.review, name="review"),
    path("bundles/<int:pk>/release", bundle_views.release, name="release"),
    path("bundles/<int:pk>/<str:kind>", bundle_views.bundle_file, name="bundle-file"),
]
