"""Monthly visitor counts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from libraries.models import VisitorCount
from libraries.reporting import services
from libraries.reporting.forms import VisitorCountForm
from libraries.reporting.services import (
    get_for_report_or_404,
    reporting_libraries,
    visitor_count_record,
)
from libraries.reporting.views.common import PAGE_SIZE, add_form_errors, require_reporter
from libraries.scope import Scope

# Visitors


@login_required
@require_http_methods(["GET", "POST"])
def visitor_counts(request):
    libraries = reporting_libraries(request.user).order_by("level", "name")
    if request.method == "POST":
        require_reporter(request)
    form = (
        VisitorCountForm(request.POST or None, libraries=libraries)
        if Scope.for_user(request.user).can_report
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            count, created = visitor_count_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
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
        {"form": form, "page": page},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def visitor_count_delete(request, pk: int):
    count = get_for_report_or_404(
        request.user, VisitorCount.objects.select_related("library"), pk=pk
    )
    services.visitor_count_delete(actor=request.user, count=count)
    messages.success(request, _("The visitor count was deleted."))
    return redirect("reporting:visitors")
