"""The report card ("rapor"): a library's score explained, and the roll-ups of an area."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from libraries.models import Province, Regency, ReportCardSettings
from libraries.reporting.forms import PeriodForm, ReportCardSettingsForm
from libraries.reporting.indicators import Area
from libraries.reporting.reportcard import (
    STRAND_LABELS,
    STRANDS,
    Colour,
    Rules,
    library_report_card,
    library_scores,
    national_roll_up,
    regency_scores,
    roll_up,
)
from libraries.reporting.services import report_card_settings_save
from libraries.reporting.views.common import add_form_errors, require_perpusnas
from libraries.reporting.views.indicators import _area_for, _parents
from libraries.scope import Scope

URL_NAMES = {
    Area.NATION: "reporting:report-card-nation",
    Area.PROVINCE: "reporting:report-card-province",
    Area.REGENCY: "reporting:report-card-regency",
    Area.LIBRARY: "reporting:report-card-library",
}


def area_url(level: str, key: str | int | None = None) -> str:
    if level == Area.NATION:
        return reverse(URL_NAMES[level])
    return reverse(URL_NAMES[level], args=[key])


@login_required
@require_GET
def report_card_home(request):
    home = Scope.for_user(request.user).home_area
    if home is None:
        raise Http404
    kind, key = home
    # The period asked for travels along (a link to "my report card for 2024").
    query = request.META.get("QUERY_STRING", "")
    url = area_url(kind, key or None)
    return redirect(f"{url}?{query}" if query else url)


def _children(area: Area, area_object, period, rules: Rules):
    """The area's libraries' scores, and one roll-up row per child area."""
    if area.level == Area.NATION:
        return national_roll_up(period, Province.objects.all(), rules)
    if area.level == Area.PROVINCE:
        scores = library_scores(period, [area.key])
        regencies = dict(Regency.objects.filter(province=area.key).values_list("code", "name"))

        def name_of(key, library):
            return regencies.get(key, key) if key else library.name

        total, rows = roll_up(
            scores,
            lambda library: library.regency or f"library-{library.pk}",
            lambda key, library: name_of(library.regency, library),
            rules=rules,
            level=Area.REGENCY,
        )
        for row in rows:
            if row.key.startswith("library-"):
                row.level = Area.LIBRARY
                row.url = area_url(Area.LIBRARY, row.key.removeprefix("library-"))
            else:
                row.url = area_url(Area.REGENCY, row.key)
        return total, rows
    # A kab/kota's libraries: the provincial library serves the province, not the kab/kota
    # it stands in (``reportcard``, "Which libraries a mean covers").
    scores = regency_scores(period, area.key, area_object.province_id).libraries
    total, rows = roll_up(
        scores,
        lambda library: library.pk,
        lambda _key, library: library.name,
        rules=rules,
        level=Area.LIBRARY,
    )
    for row in rows:
        row.url = area_url(Area.LIBRARY, row.key)
    return total, rows


def _rows_key(request, rules: Rules, rows) -> str:
    """What the table of rows shows, digested: the template caches the table under it, so a
    roll-up of 38 provinces or 500 libraries is rendered once per change of its figures (the
    key changes with them, so no copy outlives what it shows)."""
    digest = hashlib.sha256(f"{request.get_full_path()}|{rules!r}".encode())
    for row in rows:
        shown = (row.key, row.name, row.url, row.score_sum, row.scored)
        digest.update(repr((*shown, row.strand_sums, row.strand_counts, row.colours)).encode())
    return digest.hexdigest()


@login_required
@require_GET
def report_card(request, level: str | None = None, key: str | None = None):
    area, area_object = _area_for(request, level, key)
    form = PeriodForm(request.GET or None)
    settings = ReportCardSettings.current()
    rules = Rules.from_settings(settings)
    context = {
        "form": form,
        "area": area,
        "area_object": area_object,
        "rules": rules,
        "strand_labels": [(key, STRAND_LABELS[key], rules.weights[key]) for key in STRANDS],
        "colours": Colour.LABELS,
    }
    if not form.is_valid():
        return render(request, "reporting/report_card.html", context, status=400)
    period = form.period()
    scope = Scope.for_user(request.user)
    context.update(
        {
            "period": period,
            "crumbs": [
                (name, area_url(crumb_level, crumb_key))
                for name, crumb_level, crumb_key in _parents(area_object)
                if (crumb_level == Area.PROVINCE and scope.covers_province(crumb_key))
                or (crumb_level == Area.REGENCY and scope.covers_regency(crumb_key))
            ],
            "show_nation": scope.national and area.level != Area.NATION,
        }
    )
    if area.level == Area.LIBRARY:
        context["card"] = library_report_card(area, period)
        return render(request, "reporting/report_card_library.html", context)
    total, rows = _children(area, area_object, period, rules)
    context.update({"total": total, "rows": rows, "rows_key": _rows_key(request, rules, rows)})
    return render(request, "reporting/report_card.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def report_card_settings(request):
    require_perpusnas(request)
    current = ReportCardSettings.current()
    form = ReportCardSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ReportCardSettingsForm.Meta.fields}
        try:
            report_card_settings_save(actor=request.user, **fields)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The report card settings were saved."))
            return redirect("reporting:report-card")
    return render(
        request,
        "reporting/report_card_settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
