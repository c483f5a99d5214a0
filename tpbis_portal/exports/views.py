"""The user's exports: start one, watch its progress, download it from any app host."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from libraries.exports import XLSX_CONTENT_TYPE
from libraries.models import Province, Regency
from libraries.scope import Scope
from libraries.storage import file_response
from tpbis_portal.exports.datasets import TYPES
from tpbis_portal.exports.forms import ExportForm
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.services import export_job_start, export_jobs_fail_stalled

#: The newest exports listed on the page; older ones expire on their own.
LISTED = 20
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}


def _job_of(request, pk: int) -> ExportJob:
    """The user's own job; anybody else's does not exist for them (404)."""
    return get_object_or_404(ExportJob.objects.of(request.user).current(), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def export_list(request):
    if Scope.for_user(request.user).is_empty:
        raise PermissionDenied
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            job, created = export_job_start(
                owner=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["format"],
                filters=form.filters(),
                language=get_language(),
            )
            if not created:
                messages.info(request, _("This export was already started; here it is."))
            return redirect("exports:detail", job.pk)
    else:
        form = ExportForm(initial={"province": request.GET.get("province", "")}, user=request.user)
    # A job whose worker stopped shows as failed, and may be started again, at once.
    export_jobs_fail_stalled(owner=request.user)
    jobs = ExportJob.objects.of(request.user).current()[:LISTED]
    return render(
        request,
        "exports/export_list.html",
        {"form": form, "jobs": jobs, "hours": settings.EXPORT_RETENTION_HOURS},
    )


@login_required
@require_GET
def export_detail(request, pk: int):
    export_jobs_fail_stalled(owner=request.user)
    job = _job_of(request, pk)
    return render(
        request,
        "exports/export_detail.html",
        {
            "job": job,
            "filter_labels": _filter_labels(job),
            "stale_minutes": settings.EXPORT_STALE_MINUTES,
        },
    )


def _filter_labels(job: ExportJob) -> list[tuple[str, str]]:
    filters = job.filters
    labels = [(_("Format"), job.get_format_display())]
    if code := filters.get("province"):
        labels.append((_("Province"), Province.objects.filter(pk=code).first() or code))
    if code := filters.get("regency"):
        labels.append((_("Kabupaten/kota"), Regency.objects.filter(pk=code).first() or code))
    if filters.get("start"):
        labels.append((_("From"), filters["start"]))
    if filters.get("end"):
        labels.append((_("Until"), filters["end"]))
    if value := filters.get("type"):
        choices = dict(TYPES[job.kind].choices)
        labels.append((_("Type"), choices.get(value, value)))
    return labels


@login_required
@require_GET
def export_download(request, pk: int):
    job = _job_of(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return file_response(
        job.file,
        content_type=CONTENT_TYPES[job.format],
        cache_control="private, no-store",
        filename=job.filename,
        as_attachment=True,
    )
