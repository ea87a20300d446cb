"""Pages for returns, the classification and councils' mappings (the returns part)."""

from django.urls import URLPattern, URLResolver, path

from continuum.spending.views import classification, returns

urlpatterns: list[URLPattern | URLResolver] = [
    path("classification", classification.classification, name="classification"),
    path("classification/mapping", classification.mapping, name="mapping"),
    path("returns", returns.return_list, name="returns"),
    path("returns/new", returns.new_return, name="new_return"),
    path("returns/template.xlsx", returns.import_template, name="import_template"),
    path("returns/<int:pk>", returns.return_detail, name="return"),
    path("returns/<int:pk>/edit", returns.edit_return, name="edit_return"),
    path("returns/<int:pk>/submit", returns.submit_return, name="submit_return"),
    path("returns/<int:pk>/sign-off", returns.sign_off_return, name="sign_off_return"),
]
