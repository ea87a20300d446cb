"""django.contrib.admin with Continuum's admin site (``admin_site.ContinuumAdminSite``)."""

from django.contrib.admin.apps import AdminConfig


class ContinuumAdminConfig(AdminConfig):
    default_site = "continuum.web.admin_site.ContinuumAdminSite"
