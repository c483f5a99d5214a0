"""Indicators of an area (library, kab/kota, province, nation), targets and colour thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Indicator, Library, Province, Regency, Target, Threshold
from libraries.reporting import exports as reporting_exports
from libraries.reporting import services
from libraries.reporting.forms import PeriodForm, TargetForm, ThresholdForm
from libraries.reporting.indicators import Area, Status, indicator_breakdown
from libraries.reporting.services import target_save, threshold_save
from libraries.reporting.skills import skill_counts
from libraries.reporting.views.common import add_form_errors, require_perpusnas
from libraries.scope import Scope, get_in_scope_or_404

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
    home = Scope.for_user(user).home_area
    if home is None:
        raise Http404
    kind, key = home
    return reverse(f"reporting:indicators-{kind}", args=[key] if key else [])


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
            "skills": skill_counts(area, period),
            "headline": [Indicator.ACTIVITIES, Indicator.PARTICIPANTS, Indicator.ADVOCACY],
            "statuses": Status.LABELS,
            "crumbs": [
                crumb
                for crumb in _parents(area_object)
                if (crumb[1] == Area.PROVINCE and scope.covers_province(crumb[2]))
                or (crumb[1] == Area.REGENCY and scope.covers_regency(crumb[2]))
            ],
            "show_nation": scope.national and area.level != Area.NATION,
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
            "threshold_form": (
                ThresholdForm() if Scope.for_user(request.user).can_set_targets else None
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request, pk: int | None = None):
    require_perpusnas(request)
    target = get_object_or_404(Target, pk=pk) if pk else None
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TargetForm.Meta.fields}
        try:
            target_save(actor=request.user, target=target, **fields)
        except ValidationError as exc:
            add_form_errors(form, exc)
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
def target_delete(request, pk: int):
    require_perpusnas(request)
    services.target_delete(actor=request.user, target=get_object_or_404(Target, pk=pk))
    messages.success(request, _("The target was deleted."))
    return redirect("reporting:targets")


@login_required
@require_POST
def threshold_edit(request):
    require_perpusnas(request)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        try:
            threshold_save(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The colour thresholds were saved."))
            return redirect("reporting:targets")
    return render(request, "reporting/threshold_form.html", {"form": form}, status=400)
