"""Partnerships and advocacy: partners, MoUs, regulations and budget allocations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from libraries.models import Agreement, BudgetAllocation, Partner, Regulation
from libraries.reporting.forms import (
    AgreementForm,
    BudgetAllocationForm,
    PartnerForm,
    RegulationForm,
)
from libraries.reporting.services import (
    agreement_create,
    budget_allocation_create,
    get_for_report_or_404,
    partner_create,
    partnership_record_delete,
    regulation_create,
    reporting_libraries,
)
from libraries.reporting.views.common import add_form_errors, require_reporter, serve_file
from libraries.scope import get_in_scope_or_404

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
    require_reporter(request)
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
            add_form_errors(form, exc)
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
def partnership_delete(request, kind: str, pk: int):
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
    return serve_file(record.document, "application/pdf", f"{kind}-{record.pk}.pdf")
