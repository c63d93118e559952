from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "concord.knowledge"
    label = "knowledge"
    verbose_name = _("Search and trends")

    def ready(self) -> None:
        # The built-in search sources (library, directory, and the other apps when they are installed).
        from . import sources

        sources.register_builtin()
        from . import autoindex

        autoindex.connect()
