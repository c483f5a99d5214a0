from django.contrib import admin

from tpbis_portal.exports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "status", "rows_done", "rows_total", "expires_at"]
    list_filter = ["status", "kind", "format"]
    list_select_related = ["owner"]
    show_full_result_count = False
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False
