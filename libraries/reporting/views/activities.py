"""Activities: list, record, edit, delete, their evidence, and the spreadsheet import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.http import wants_json
from libraries.imports import PendingImports, refused_response
from libraries.models import Activity, ActivityEvidence, Library
from libraries.paging import forward_page
from libraries.reporting import exports as reporting_exports
from libraries.reporting import services
from libraries.reporting.filters import ActivityFilter
from libraries.reporting.forms import ActivityForm, EvidenceForm, ImportForm
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
    reporting_libraries,
)
from libraries.reporting.views.common import (
    PAGE_SIZE,
    add_form_errors,
    form_errors_json,
    require_reporter,
    serve_file,
)
from libraries.scope import Scope, get_in_scope_or_404

# Activities

#: What a row of the activity list shows (libraries/templatetags/reporting.py).
LIST_COLUMNS = (
    "date",
    "title",
    "kind",
    "strategy",
    "participants_male",
    "participants_female",
    "participants_total",
    "library__name",
)


def filtered_activities(request):
    activity_filter = ActivityFilter(
        request.GET or None,
        queryset=Activity.objects.visible_to(request.user),
        user=request.user,
    )
    return activity_filter.form, activity_filter.qs


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
        activities.select_related("library")
        # The columns the rows show: building fifty full activities and their libraries
        # costs more than the query.
        .only(*LIST_COLUMNS)
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
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    require_reporter(request)
    libraries = reporting_libraries(request.user).order_by("level", "name")
    form = ActivityForm(request.POST or None, request.FILES or None, libraries=libraries)
    form.keep_files(request.user)
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
            form.release_files()
            if wants_json(request):
                # The offline queue sending a kept activity: it needs to know it arrived; the
                # next page says so too.
                if created:
                    messages.success(request, _("The activity was recorded. Thank you!"))
                return JsonResponse(
                    {
                        "ok": True,
                        "created": created,
                        "id": activity.pk,
                        "url": reverse("reporting:activity-detail", args=[activity.pk]),
                    }
                )
            if created:
                messages.success(request, _("The activity was recorded. Thank you!"))
            else:
                messages.info(request, _("This activity had already been recorded."))
            if "another" in request.POST:
                return redirect("reporting:activity-create")
            return redirect("reporting:activity-detail", pk=activity.pk)
    if request.method == "POST" and wants_json(request):
        # The offline queue keeps its own copy of the files (blobs on the phone).
        return form_errors_json(form)
    if request.method == "POST":
        # The evidence chosen is not lost to another field's error.
        form.hold_files()
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
    evidence_form = EvidenceForm() if Scope.for_user(request.user).can_report else None
    return render(
        request,
        "reporting/activity_detail.html",
        {
            "activity": activity,
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
        {"activity": activity, "evidence_form": form},
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


def _pending_imports(request) -> PendingImports:
    return PendingImports(request, "activities")


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
            saved = preview.serialise()
            token = _pending_imports(request).begin(
                owner={"library": saved.pop("library"), "month": saved["month"]},
                header=preview.header,
                good=saved,
                refused=preview.refused(),
            )
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
    pending = _pending_imports(request)
    token = request.POST.get("token", "")
    saved = pending.claim(token)
    owner = pending.owner(token)
    if saved is None or owner is None or not saved["rows"]:
        messages.error(
            request,
            _("This preview has expired or was already imported. Upload the file again."),
        )
        return redirect("reporting:activity-import")
    # The user's libraries may have changed since the preview.
    get_for_report_or_404(request.user, Library, pk=owner["library"])
    try:
        created = activity_import_commit(
            actor=request.user, token=token, saved={**saved, "library": owner["library"]}
        )
    except ValidationError as exc:
        messages.error(
            request,
            _("Nothing was imported: %(problem)s") % {"problem": " ".join(exc.messages)},
        )
        return redirect("reporting:activity-import")
    pending.finish(token)
    messages.success(request, _("%(count)d activities were imported.") % {"count": created})
    return redirect(reverse("reporting:activity-list") + f"?perpustakaan={owner['library']}")


@login_required
@require_GET
def activity_import_refused(request, fmt: str):
    """The rows an import refused, with the reasons, to correct and upload again."""
    require_reporter(request)
    refused = _pending_imports(request).refused(request.GET.get("token"))
    if refused is None:
        raise Http404
    header, rows = refused
    return refused_response(header=header, rows=rows, fmt=fmt, filename="kegiatan-ditolak")


@login_required
@require_GET
def activity_import_template(request):
    response = HttpResponse(content_type=reporting_exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-kegiatan.xlsx"'
    template_workbook().save(response)
    return response
