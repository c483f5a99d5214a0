"""Rankings of libraries in a province, for the PLM awards."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from libraries.models import Indicator, Province
from libraries.reporting import exports as reporting_exports
from libraries.reporting.forms import REPORT_CARD, RankingForm
from libraries.reporting.rankings import library_ranking
from libraries.reporting.reportcard import Rules, library_scores, rank_by_score
from libraries.scope import Scope, get_in_scope_or_404

# Ranking


@login_required
@require_GET
def ranking_home(request):
    provinces = Province.objects.visible_to(request.user)
    if not Scope.for_user(request.user).sees_provinces:
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
    if indicator == REPORT_CARD:
        level = form.level()
        scores = [
            library
            for library in library_scores(period, [province.code])
            if level is None or library.level == level
        ]
        ranked_cards = rank_by_score(scores)
        if fmt:
            return reporting_exports.report_card_ranking_export(fmt, province, period, ranked_cards)
        return render(
            request,
            "reporting/ranking_report_card.html",
            {
                "form": form,
                "province": province,
                "period": period,
                "ranked": ranked_cards,
                "unscored": sum(1 for library in scores if library.score is None),
                "rules": Rules.from_settings(),
            },
        )
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
        },
    )
