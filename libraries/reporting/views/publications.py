"""Publication: the links to a library's publicity (posts, news, village-website pages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Library, Publication
from libraries.paging import forward_page
from libraries.reporting import services
from libraries.reporting.filters import PublicationFilter
from libraries.reporting.forms import PublicationForm
from libraries.reporting.services import (
    EditConflict,
    get_for_report_or_404,
    publication_record,
    publication_update,
    reporting_libraries,
)
from libraries.reporting.views.common import (
    PAGE_SIZE,
    add_form_errors,
    require_reporter,
)


@login_required
@require_GET
def publication_list(request):
    publication_filter = PublicationFilter(
        request.GET or None,
        queryset=Publication.objects.visible_to(request.user),
        user=request.user,
    )
    publications = publication_filter.qs.select_related("library").order_by("-published_on", "-pk")
    page = forward_page(publications, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "reporting/publication_list.html",
        {"form": publication_filter.form, "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_create(request):
    require_reporter(request)
    libraries = reporting_libraries(request.user).order_by("level", "name")
    form = PublicationForm(request.POST or None, libraries=libraries)
    if request.method == "POST" and form.is_valid():
        try:
            _publication, created = publication_record(
                actor=request.user,
                library=form.cleaned_data["library"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            if created:
                messages.success(request, _("The publication was recorded. Thank you!"))
            else:
                messages.info(request, _("This publication had already been recorded."))
            if "another" in request.POST:
                return redirect("reporting:publication-create")
            return redirect("reporting:publications")
    return render(
        request,
        "reporting/publication_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_edit(request, pk: int):
    publication = get_for_report_or_404(
        request.user, Publication.objects.select_related("library"), pk=pk
    )
    form = PublicationForm(
        request.POST or None, instance=publication, libraries=Library.objects.none()
    )
    if request.method == "POST" and form.is_valid():
        try:
            publication_update(
                actor=request.user,
                publication=publication,
                version=form.cleaned_data["version"] or 0,
                **form.fields_for_service(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except EditConflict:
            form.add_error(
                None,
                _(
                    "Somebody else saved this publication while you were editing. Your changes "
                    "were not saved: reload the page to see the current data, then edit again."
                ),
            )
        else:
            messages.success(request, _("The publication was saved."))
            return redirect("reporting:publications")
    return render(
        request,
        "reporting/publication_form.html",
        {"form": form, "publication": publication},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def publication_delete(request, pk: int):
    publication = get_for_report_or_404(
        request.user, Publication.objects.select_related("library"), pk=pk
    )
    services.publication_delete(actor=request.user, publication=publication)
    messages.success(request, _("The publication was deleted."))
    return redirect("reporting:publications")
