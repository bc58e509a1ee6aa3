from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = _("Compliance")

    def ready(self) -> None:
        from compliance import lookups
        from compliance.append_only import install_after_migrate

        lookups.register()  # `field__any=[...]` (compliance.lookups)

        # History tables added by later migrations get the append-only triggers too
        # (PostgreSQL only; see compliance.append_only).
        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="compliance_append_only"
        )
