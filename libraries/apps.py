from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibrariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "libraries"
    verbose_name = _("Libraries and regions")

    def ready(self):
        from libraries import (
            lookups,
            site_url,  # noqa: F401  (registers the SITE_URL check)
        )

        lookups.register()
