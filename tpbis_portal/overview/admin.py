from django.contrib import admin

from libraries.admin import PerpusnasOnlyAdmin, RefreshesAllIndicatorsMixin
from tpbis_portal.overview.models import OpenDataLicence


@admin.register(OpenDataLicence)
class OpenDataLicenceAdmin(RefreshesAllIndicatorsMixin, PerpusnasOnlyAdmin):
    """Perpusnas staff choose the licence; the open-data page and files show it at once (the
    cached public pages are renewed like after a change of targets)."""

    list_display = ["licence", "attribution", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not OpenDataLicence.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = OpenDataLicence.SINGLETON  # the one row
        super().save_model(request, obj, form, change)
