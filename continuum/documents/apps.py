from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "continuum.documents"
    label = "documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        # Who may see, upload and delete documents; where they show on other apps' pages
        # (a person's tab, a panel on an episode and on a contact); and the most an upload
        # may send, read before its body is (the input guard asks imports.uploads).
        from continuum.documents import pages, policies, system_checks  # noqa: F401

        pages.register()
