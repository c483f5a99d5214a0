from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """The public pages, open data, sitemaps and staff dashboards that combine the apps.

    An app of its own (without models) so that its template library is found.
    """

    name = "tpbis_portal.overview"
    label = "overview"
    verbose_name = _("Overview")

    def ready(self):
        from tpbis_portal.overview import tasks

        tasks.register()
