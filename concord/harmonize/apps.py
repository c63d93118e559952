from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarmonizeConfig(AppConfig):
    name = "concord.harmonize"
    label = "harmonize"
    verbose_name = _("Harmonization")
