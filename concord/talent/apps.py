from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "concord.talent"
    label = "talent"
    verbose_name = _("Talent mobility")

    def ready(self) -> None:
        from concord.accounts import actions as accounts_actions

        from .actions import seats_freed_with_account

        # An account deleted (by an administrator, or in the admin site) frees the seats its profile held.
        if seats_freed_with_account not in accounts_actions.USER_DELETION_HOOKS:
            accounts_actions.USER_DELETION_HOOKS.append(seats_freed_with_account)
