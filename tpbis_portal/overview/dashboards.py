"""The national dashboard: nation -> province -> kab/kota -> library, within the user's scope.

For Perpusnas staff (the whole country) and consultants (their provinces). Librarians have
their own dashboard and get 403 here; a province or kab/kota outside the scope is a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from libraries.models import Library, Province, Regency
from libraries.scope import Scope, get_in_scope_or_404
from tpbis_portal.overview.sections import DASHBOARD_SECTIONS, DashboardArea, compose, oldest_stamp


def _dashboard_scope(request) -> Scope:
    scope = Scope.for_user(request.user)
    if not (scope.national or scope.province_codes):
        raise PermissionDenied
    return scope


def _render(request, area: DashboardArea):
    sections = compose(DASHBOARD_SECTIONS, area)
    return render(
        request,
        "dashboard/national.html",
        {
            "area": area,
            "counts": area.counts,
            "sections": sections,
            "as_of": oldest_stamp(sections),
        },
    )


@login_required
@require_GET
def national(request):
    scope = _dashboard_scope(request)
    provinces = list(Province.objects.visible_to(request.user).order_by("name"))
    return _render(request, DashboardArea(request=request, scope=scope, provinces=provinces))


@login_required
@require_GET
def province(request, code: str):
    scope = _dashboard_scope(request)
    chosen = get_in_scope_or_404(request.user, Province, code=code)
    return _render(request, DashboardArea(request=request, scope=scope, province=chosen))


@login_required
@require_GET
def regency(request, code: str, regency_code: str):
    scope = _dashboard_scope(request)
    chosen = get_in_scope_or_404(
        request.user, Regency.objects.select_related("province"), code=regency_code
    )
    if chosen.province_id != code:
        raise Http404
    return _render(
        request,
        DashboardArea(request=request, scope=scope, province=chosen.province, regency=chosen),
    )


@login_required
@require_GET
def library(request, code: str, pk: int):
    scope = _dashboard_scope(request)
    chosen = get_in_scope_or_404(
        request.user, Library.objects.select_related("province", "regency"), pk=pk
    )
    if chosen.province_id != code:
        raise Http404
    return _render(
        request,
        DashboardArea(
            request=request,
            scope=scope,
            province=chosen.province,
            regency=chosen.regency,
            library=chosen,
        ),
    )
