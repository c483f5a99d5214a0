from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TpbisPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tpbis_portal"
    verbose_name = _("TPBIS Portal")

    def ready(self):
        from tpbis_portal import cache  # noqa: F401  (registers the REDIS_URL check)
