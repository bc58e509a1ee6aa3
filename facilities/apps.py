from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities and organizations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from facilities.sessions import start_activity_clock

        # Signing in starts the automatic-logoff clock (facilities.sessions).
        user_logged_in.connect(start_activity_clock, dispatch_uid="facilities.sessions")
