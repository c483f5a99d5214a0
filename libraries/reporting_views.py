"""Pages of activity reporting: record, import, partnerships, indicators, ranking, targets."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries import reporting_exports
from libraries.indicators import Area, Status, indicator_breakdown, library_ranking
from libraries.models import (
    Activity,
    ActivityEvidence,
    Agreement,
    BudgetAllocation,
    Indicator,
    Library,
    Partner,
    Province,
    Regency,
    Regulation,
    Strategy,
    Target,
    Threshold,
    VisitorCount,
)
from libraries.reporting_forms import (
    ActivityForm,
    AgreementForm,
    BudgetAllocationForm,
    EvidenceForm,
    ImportForm,
    PartnerForm,
    PeriodForm,
    RankingForm,
    RegulationForm,
    TargetForm,
    ThresholdForm,
    VisitorCountForm,
)
from libraries.reporting_import import (
    activity_import_commit,
    activity_import_preview,
    template_workbook,
)
from libraries.reporting_services import (
    EditConflict,
    activity_delete,
    activity_record,
    activity_update,
    agreement_create,
    budget_allocation_create,
    evidence_add,
    evidence_delete,
    get_for_report_or_404,
    may_report,
    may_set_targets,
    partner_create,
    partnership_record_delete,
    regulation_create,
    reporting_libraries,
    target_delete,
    target_save,
    threshold_save,
    visitor_count_delete,
    visitor_count_record,
)
from libraries.scope import Scope, get_in_scope_or_404
from libraries.storage import file_response

PAGE_SIZE = 50
IMPORT_SESSION_KEY = "activity_import"


def _require_reporter(request):
    if not may_report(request.user):
        raise PermissionDenied


def _require_perpusnas(request):
    if not may_set_targets(request.user):
        raise PermissionDenied


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# Activities


def _filtered_activities(request):
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
    form, activities = _filtered_activities(request)
    activities = (
        activities.with_library()
        .annotate(evidence_count=Count("evidence"))
        .order_by("-date", "-pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/activity_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "strategies": Strategy.choices,
            "may_report": may_report(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    _require_reporter(request)
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
                photos=data["photos"],
                attendance=data["attendance"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
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
        Activity.objects.with_library().prefetch_related("partners", "evidence"),
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
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
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
def activity_remove(request, pk: int):
    activity = get_for_report_or_404(request.user, Activity.objects.with_library(), pk=pk)
    activity_delete(actor=request.user, activity=activity)
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
            _add_errors(form, exc)
        else:
            messages.success(request, _("The evidence was added."))
            return redirect("reporting:activity-detail", pk=activity.pk)
    return render(
        request,
        "reporting/activity_detail.html",
        {"activity": activity, "may_report": True, "evidence_form": form},
        status=400,
    )


def _serve(field, content_type: str, filename: str):
    return file_response(
        field,
        content_type=content_type,
        as_attachment=content_type == "application/pdf",
        filename=filename,
        # Evidence can show people and their names: never kept by shared caches.
        cache_control="private, max-age=3600",
    )


@login_required
@require_GET
def evidence_file(request, pk: int, thumbnail: bool = False):
    evidence = get_in_scope_or_404(request.user, ActivityEvidence, pk=pk)
    field = evidence.thumbnail if thumbnail and evidence.thumbnail else evidence.file
    extension = "pdf" if evidence.is_pdf and not thumbnail else "jpg"
    content_type = "image/jpeg" if extension == "jpg" else evidence.content_type
    return _serve(field, content_type, f"bukti-{evidence.activity_id}-{evidence.pk}.{extension}")


@login_required
@require_POST
def evidence_remove(request, pk: int):
    evidence = get_for_report_or_404(
        request.user, ActivityEvidence.objects.select_related("activity__library"), pk=pk
    )
    evidence_delete(actor=request.user, evidence=evidence)
    messages.success(request, _("The evidence was removed."))
    return redirect("reporting:activity-detail", pk=evidence.activity_id)


# Import


@login_required
@require_http_methods(["GET", "POST"])
def activity_import(request):
    _require_reporter(request)
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
    _require_reporter(request)
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


# Visitors


@login_required
@require_http_methods(["GET", "POST"])
def visitor_counts(request):
    libraries = reporting_libraries(request.user).order_by("level", "name")
    if request.method == "POST":
        _require_reporter(request)
    form = (
        VisitorCountForm(request.POST or None, libraries=libraries)
        if may_report(request.user)
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            count, created = visitor_count_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            message = (
                _("Visitors of %(month)s recorded.")
                if created
                else _("Visitors of %(month)s corrected.")
            )
            messages.success(request, message % {"month": count.month.strftime("%m-%Y")})
            return redirect("reporting:visitors")
    counts = VisitorCount.objects.visible_to(request.user).select_related("library")
    page = Paginator(counts.order_by("-month", "library__name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/visitor_counts.html",
        {"form": form, "page": page, "may_report": may_report(request.user)},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def visitor_count_remove(request, pk: int):
    count = get_for_report_or_404(
        request.user, VisitorCount.objects.select_related("library"), pk=pk
    )
    visitor_count_delete(actor=request.user, count=count)
    messages.success(request, _("The visitor count was deleted."))
    return redirect("reporting:visitors")


# Partnerships and advocacy

PARTNERSHIP_KINDS = {
    "mitra": (Partner, PartnerForm, partner_create, _("Add a partner")),
    "kesepakatan": (Agreement, AgreementForm, agreement_create, _("Add an MoU or agreement")),
    "regulasi": (Regulation, RegulationForm, regulation_create, _("Add a regulation")),
    "anggaran": (
        BudgetAllocation,
        BudgetAllocationForm,
        budget_allocation_create,
        _("Add a budget allocation"),
    ),
}


@login_required
@require_GET
def partnerships(request):
    user = request.user

    def visible(model):
        return model.objects.visible_to(user).select_related("library")

    return render(
        request,
        "reporting/partnerships.html",
        {
            "partners": visible(Partner).annotate(
                agreement_count=Count("agreements", distinct=True)
            )[:200],
            "agreements": visible(Agreement).select_related("partner")[:200],
            "regulations": visible(Regulation)[:200],
            "budgets": visible(BudgetAllocation)[:200],
            "may_report": may_report(user),
        },
    )


def _partnership_kind(kind: str):
    try:
        return PARTNERSHIP_KINDS[kind]
    except KeyError as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request, kind: str):
    _model, form_class, service, title = _partnership_kind(kind)
    _require_reporter(request)
    libraries = reporting_libraries(request.user).order_by("level", "name")
    form = form_class(request.POST or None, request.FILES or None, libraries=libraries)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document_file", None)
        if document is not None or "document_file" in form.fields:
            data["document"] = document
        try:
            service(actor=request.user, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("reporting:partnerships")
    return render(
        request,
        "reporting/partnership_form.html",
        {"form": form, "title": title},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def partnership_remove(request, kind: str, pk: int):
    model = _partnership_kind(kind)[0]
    record = get_for_report_or_404(request.user, model.objects.select_related("library"), pk=pk)
    try:
        partnership_record_delete(actor=request.user, record=record)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Deleted."))
    return redirect("reporting:partnerships")


@login_required
@require_GET
def partnership_document(request, kind: str, pk: int):
    model = _partnership_kind(kind)[0]
    if model not in (Agreement, Regulation):
        raise Http404
    record = get_in_scope_or_404(request.user, model, pk=pk)
    return _serve(record.document, "application/pdf", f"{kind}-{record.pk}.pdf")


# Indicators


def _area_for(request, level: str | None, key: str | None):
    """The area named in the URL, in the user's scope (404 outside it)."""
    scope = Scope.for_user(request.user)
    if level is None:
        if not scope.national:
            raise Http404
        return Area.nation(), None
    if level == Area.PROVINCE:
        province = get_in_scope_or_404(request.user, Province, code=key)
        return Area.for_province(province), province
    if level == Area.REGENCY:
        regency = get_in_scope_or_404(
            request.user, Regency.objects.select_related("province"), code=key
        )
        return Area.for_regency(regency), regency
    library = get_in_scope_or_404(
        request.user, Library.objects.select_related("province", "regency"), pk=key
    )
    return Area.for_library(library), library


def _default_area_url(user) -> str:
    scope = Scope.for_user(user)
    if scope.national:
        return reverse("reporting:indicators-nation")
    if scope.province_codes:
        return reverse("reporting:indicators-province", args=[min(scope.province_codes)])
    if scope.regency_codes:
        return reverse("reporting:indicators-regency", args=[min(scope.regency_codes)])
    if scope.library_ids:
        return reverse("reporting:indicators-library", args=[min(scope.library_ids)])
    raise Http404


def _parents(area_object):
    """Breadcrumb of the areas above ``area_object``."""
    crumbs = []
    if isinstance(area_object, Library):
        if area_object.regency_id:
            crumbs.append((area_object.regency.name, Area.REGENCY, area_object.regency_id))
        crumbs.insert(0, (area_object.province.name, Area.PROVINCE, area_object.province_id))
    elif isinstance(area_object, Regency):
        crumbs.append((area_object.province.name, Area.PROVINCE, area_object.province_id))
    return crumbs


@login_required
@require_GET
def indicators_home(request):
    return redirect(_default_area_url(request.user))


@login_required
@require_GET
def indicators(request, level: str | None = None, key: str | None = None, fmt: str = ""):
    area, area_object = _area_for(request, level, key)
    form = PeriodForm(request.GET or None)
    if not form.is_valid():
        return render(
            request, "reporting/indicators.html", {"form": form, "area": area}, status=400
        )
    period = form.period()
    total, rows = indicator_breakdown(area, period)
    if fmt:
        return reporting_exports.indicators_export(fmt, total, rows)
    scope = Scope.for_user(request.user)
    return render(
        request,
        "reporting/indicators.html",
        {
            "form": form,
            "area": area,
            "area_object": area_object,
            "period": period,
            "total": total,
            "rows": rows,
            "headline": [Indicator.ACTIVITIES, Indicator.PARTICIPANTS, Indicator.ADVOCACY],
            "statuses": Status.LABELS,
            "query": request.GET.urlencode(),
            "crumbs": [
                crumb
                for crumb in _parents(area_object)
                if (crumb[1] == Area.PROVINCE and scope.covers_province(crumb[2]))
                or (crumb[1] == Area.REGENCY and scope.covers_regency(crumb[2]))
            ],
            "show_nation": scope.national and area.level != Area.NATION,
        },
    )


# Ranking


@login_required
@require_GET
def ranking_home(request):
    provinces = Province.objects.visible_to(request.user)
    if (
        not Scope.for_user(request.user).province_codes
        and not Scope.for_user(request.user).national
    ):
        raise Http404
    return render(request, "reporting/ranking_home.html", {"provinces": provinces})


@login_required
@require_GET
def ranking(request, code: str, fmt: str = ""):
    province = get_in_scope_or_404(request.user, Province, code=code)
    form = RankingForm(request.GET or None)
    if not form.is_valid():
        return render(
            request, "reporting/ranking.html", {"form": form, "province": province}, status=400
        )
    period, indicator = form.period(), form.indicator()
    ranked = library_ranking(
        province=province, period=period, indicator=indicator, level=form.level()
    )
    if fmt:
        return reporting_exports.ranking_export(fmt, province, period, indicator, ranked)
    return render(
        request,
        "reporting/ranking.html",
        {
            "form": form,
            "province": province,
            "period": period,
            "indicator": Indicator(indicator),
            "ranked": ranked,
            "query": request.GET.urlencode(),
        },
    )


# Targets and thresholds


@login_required
@require_GET
def targets(request):
    if Scope.for_user(request.user).is_empty:
        raise Http404
    thresholds = {t.indicator: t for t in Threshold.objects.all()}
    return render(
        request,
        "reporting/targets.html",
        {
            "targets": Target.objects.select_related("set_by"),
            "thresholds": [(Indicator(value), thresholds.get(value)) for value in Indicator.values],
            "may_set": may_set_targets(request.user),
            "threshold_form": ThresholdForm() if may_set_targets(request.user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk: int | None = None):
    _require_perpusnas(request)
    target = get_object_or_404(Target, pk=pk) if pk else None
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TargetForm.Meta.fields}
        try:
            target_save(actor=request.user, target=target, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("reporting:targets")
    return render(
        request,
        "reporting/target_form.html",
        {"form": form, "target": target},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def target_remove(request, pk: int):
    _require_perpusnas(request)
    target_delete(actor=request.user, target=get_object_or_404(Target, pk=pk))
    messages.success(request, _("The target was deleted."))
    return redirect("reporting:targets")


@login_required
@require_POST
def threshold_edit(request):
    _require_perpusnas(request)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            threshold_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The colour thresholds were saved."))
            return redirect("reporting:targets")
    return render(request, "reporting/threshold_form.html", {"form": form}, status=400)


# Exports


@login_required
@require_GET
def export(request, dataset: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    if dataset == "kegiatan":
        _form, activities = _filtered_activities(request)
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
