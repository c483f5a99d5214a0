"""Data exports of the reporting lists (CSV or XLSX)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.views.decorators.http import require_GET

from libraries.models import Agreement, BudgetAllocation, Partner, Regulation, VisitorCount
from libraries.reporting import exports as reporting_exports
from libraries.reporting.views.activities import filtered_activities

# Exports


@login_required
@require_GET
def export(request, dataset: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    if dataset == "kegiatan":
        _form, activities = filtered_activities(request)
        rows = activities.with_library().prefetch_related(
            Prefetch("partners", queryset=Partner.objects.only("pk", "name"))
        )
        return reporting_exports.activities_export(fmt, rows)
    querysets = {
        "pengunjung": VisitorCount.objects.visible_to(user).select_related("library"),
        "mitra": Partner.objects.visible_to(user).select_related("library"),
        "kesepakatan": Agreement.objects.visible_to(user).select_related("library", "partner"),
        "regulasi": Regulation.objects.visible_to(user).select_related("library"),
        "anggaran": BudgetAllocation.objects.visible_to(user).select_related("library"),
    }
    if dataset not in querysets:
        raise Http404
    return reporting_exports.dataset_export(fmt, dataset, querysets[dataset])
