from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarmonizeConfig(AppConfig):
    name = "concord.harmonize"
    label = "harmonize"
    verbose_name = _("Harmonization")

    def ready(self) -> None:
        from concord.library.signals import version_ingested

        from .drift import on_version_ingested

        def flag_drift(sender, version, **kwargs):
            on_version_ingested(version)

        version_ingested.connect(flag_drift, dispatch_uid="harmonize.flag_drift", weak=False)
