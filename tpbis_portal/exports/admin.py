from django.contrib import admin
from django.db import transaction

from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.services import export_job_delete


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "status", "rows_done", "rows_total", "expires_at"]
    list_filter = ["status", "kind", "format"]
    list_select_related = ["owner"]
    show_full_result_count = False
    readonly_fields = [field.name for field in ExportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    # Deletes through the service, which removes the file with the row.

    def delete_model(self, request, obj):
        export_job_delete(job=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for job in queryset:
                export_job_delete(job=job)
