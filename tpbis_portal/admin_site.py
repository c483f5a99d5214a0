from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class PortalAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        # Hundreds of villages share a name; the kecamatan and kab/kota tell them apart.
        full_name = getattr(obj, "full_name", None)
        if full_name:
            result["text"] = f"{full_name} ({obj.pk})"
        return result


class PortalAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)


class PortalAdminConfig(AdminConfig):
    default_site = "tpbis_portal.admin_site.PortalAdminSite"
