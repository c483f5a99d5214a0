from django.contrib import admin

from libraries.admin import PerpusnasOnlyAdmin, RefreshesAllIndicatorsMixin
from tpbis_portal.overview.models import OpenDataLicence


@admin.register(OpenDataLicence)
class OpenDataLicenceAdmin(RefreshesAllIndicatorsMixin, PerpusnasOnlyAdmin):
    """Perpusnas staff choose the licence; the open-data page and files show it at once (the
    cached public pages are renewed like after a change of targets)."""

    list_display = ["licence", "attribution", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The one row: saving with its id updates it when it exists (adding again replaces
        # the choice), so the add permission needs no query on every admin page.
        obj.pk = OpenDataLicence.SINGLETON
        super().save_model(request, obj, form, change)
