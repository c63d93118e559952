from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "concord.library"
    label = "library"
    verbose_name = _("Policy library")

    def ready(self) -> None:
        from concord.core import leases

        from .pipeline import abandon_ingestion

        # A version whose reading the worker never finished is marked failed, not left "processing".
        leases.on_abandon("library.ingest", abandon_ingestion)
