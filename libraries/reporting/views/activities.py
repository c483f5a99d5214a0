"""Activities: list, record, edit, delete, their evidence, and the spreadsheet import."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Activity, ActivityEvidence, Library, Strategy
from libraries.paging import forward_page
from libraries.reporting import exports as reporting_exports
from libraries.reporting import services
from libraries.reporting.forms import ActivityForm, EvidenceForm, ImportForm, PeriodForm
from libraries.reporting.imports import (
    activity_import_commit,
    activity_import_preview,
    template_workbook,
)
from libraries.reporting.services import (
    EditConflict,
    activity_record,
    activity_update,
    evidence_add,
    get_for_report_or_404,
    may_report,
    reporting_libraries,
)
from libraries.reporting.views.common import (
    PAGE_SIZE,
    add_form_errors,
    query_without_page,
    require_reporter,
    serve_file,
)
from libraries.scope import get_in_scope_or_404

IMPORT_SESSION_KEY = "activity_import"


# Activities


def filtered_activities(request):
    form = PeriodForm(request.GET or None, all_years=True)
    activities = Activity.objects.visible_to(request.user)
    period = form.period() if form.is_valid() else None
    if period is not None:
        activities = activities.between(period.start, period.end)
    strategy = request.GET.get("strategi")
    if strategy in Strategy.values:
        activities = activities.filter(strategy=strategy)
    library = request.GET.get("perpustakaan")
    if library and library.isdigit():
        activities = activities.filter(library=library)
    return form, activities


@login_required
@require_GET
def activity_list(request):
    form, activities = filtered_activities(request)
    # Counted for the page's rows only (a subquery each), never grouped over the whole list.
    evidence = (
        ActivityEvidence.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    activities = (
        activities.with_library()
        .annotate(evidence_count=Coalesce(Subquery(evidence), 0))
        .order_by("-date", "-pk")
    )
    page = forward_page(activities, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "reporting/activity_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "strategies": Strategy.choices,
            "may_report": may_report(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    require_reporter(request)
    libraries = reporting_libraries(request.user).order_by("level", "name")
    form = ActivityForm(request.POST or None, request.FILES or None, libraries=libraries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity, created = activity_record(
                actor=request.user,
                library=data["library"],
                idempotency_key=data["idempotency_key"],
                partners=data["partners"],
                catalogue_skills=data["catalogue_skills"],
                photos=data["photos"],
                attendance=data["attendance"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The activity was recorded. Thank you!"))
            else:
                messages.info(request, _("This activity had already been recorded."))
            if "another" in request.POST:
                return redirect("reporting:activity-create")
            return redirect("reporting:activity-detail", pk=activity.pk)
    return render(request, "reporting/activity_form.html", {"form": form})


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = get_in_scope_or_404(
        request.user,
        Activity.objects.with_library().prefetch_related(
            "partners", "evidence", "catalogue_skills"
        ),
        pk=pk,
    )
    evidence_form = EvidenceForm() if may_report(request.user) else None
    return render(
        request,
        "reporting/activity_detail.html",
        {
            "activity": activity,
            "may_report": may_report(request.user),
            "evidence_form": evidence_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_for_report_or_404(request.user, Activity.objects.with_library(), pk=pk)
    form = ActivityForm(request.POST or None, instance=activity, libraries=Library.objects.none())
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(
                actor=request.user,
                activity=activity,
                version=form.cleaned_data["version"] or 0,
                partners=form.cleaned_data["partners"],
                catalogue_skills=form.cleaned_data["catalogue_skills"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except EditConflict:
            form.add_error(
                None,
                _(
                    "Somebody else saved this activity while you were editing. Your changes "
                    "were not saved: reload the page to see the current data, then edit again."
                ),
            )
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("reporting:activity-detail", pk=activity.pk)
    return render(request, "reporting/activity_form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = get_for_report_or_404(request.user, Activity.objects.with_library(), pk=pk)
    services.activity_delete(actor=request.user, activity=activity)
    messages.success(request, _("The activity was deleted."))
    return redirect("reporting:activity-list")


@login_required
@require_POST
def evidence_create(request, pk: int):
    activity = get_for_report_or_404(
        request.user,
        Activity.objects.with_library().prefetch_related("partners", "evidence"),
        pk=pk,
    )
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_add(
                actor=request.user,
                activity=activity,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("reporting:activity-detail", pk=activity.pk)
    return render(
        request,
        "reporting/activity_detail.html",
        {"activity": activity, "may_report": True, "evidence_form": form},
        status=400,
    )


@login_required
@require_GET
def evidence_file(request, pk: int, thumbnail: bool = False):
    evidence = get_in_scope_or_404(request.user, ActivityEvidence, pk=pk)
    field = evidence.thumbnail if thumbnail and evidence.thumbnail else evidence.file
    extension = "pdf" if evidence.is_pdf and not thumbnail else "jpg"
    content_type = "image/jpeg" if extension == "jpg" else evidence.content_type
    return serve_file(
        field, content_type, f"bukti-{evidence.activity_id}-{evidence.pk}.{extension}"
    )


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = get_for_report_or_404(
        request.user, ActivityEvidence.objects.select_related("activity__library"), pk=pk
    )
    services.evidence_delete(actor=request.user, evidence=evidence)
    messages.success(request, _("The evidence was removed."))
    return redirect("reporting:activity-detail", pk=evidence.activity_id)


# Import


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request):
    require_reporter(request)
    libraries = reporting_libraries(request.user).order_by("level", "name")
    form = ImportForm(request.POST or None, request.FILES or None, libraries=libraries)
    preview = token = None
    if request.method == "POST" and form.is_valid():
        try:
            preview = activity_import_preview(
                library=form.cleaned_data["library"],
                month=form.cleaned_data["month"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if preview.can_confirm:
                token = str(uuid.uuid4())
                request.session[IMPORT_SESSION_KEY] = {"token": token, **preview.serialise()}
    status = 400 if request.method == "POST" and (form.errors or preview is None) else 200
    return render(
        request,
        "reporting/activity_import.html",
        {"form": form, "preview": preview, "token": token},
        status=status,
    )


@login_required
@require_POST
def activity_import_confirm(request):
    require_reporter(request)
    saved = request.session.get(IMPORT_SESSION_KEY)
    token = request.POST.get("token", "")
    if not saved or saved.get("token") != token:
        messages.error(
            request,
            _("This preview has expired or was already imported. Upload the file again."),
        )
        return redirect("reporting:activity-import")
    # The user's libraries may have changed since the preview.
    get_for_report_or_404(request.user, Library, pk=saved["library"])
    try:
        created = activity_import_commit(actor=request.user, token=token, saved=saved)
    except ValidationError as exc:
        messages.error(
            request,
            _("Nothing was imported: %(problem)s") % {"problem": " ".join(exc.messages)},
        )
        return redirect("reporting:activity-import")
    del request.session[IMPORT_SESSION_KEY]
    messages.success(request, _("%(count)d activities were imported.") % {"count": created})
    return redirect(reverse("reporting:activity-list") + f"?perpustakaan={saved['library']}")


@login_required
@require_GET
def activity_import_template(request):
    response = HttpResponse(content_type=reporting_exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-kegiatan.xlsx"'
    template_workbook().save(response)
    return response
