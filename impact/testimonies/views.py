"""Testimonies in the portal: librarians record them and their consents, staff publish them,
and a testimony worth telling in full becomes a story draft."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impact.consent_pages import consent_form_response
from impact.models import Consent, Testimony
from impact.testimonies import services
from impact.testimonies.forms import PublishForm, TestimonyConsentForm, TestimonyForm
from libraries.scope import Scope, get_in_scope_or_404

PAGE_SIZE = 30


def _testimonies():
    return Testimony.objects.select_related("library__province", "activity", "story")


def _writable(request, pk: int) -> Testimony:
    testimony = get_in_scope_or_404(request.user, _testimonies(), pk=pk)
    if not Scope.for_user(request.user).reports_for(testimony.library):
        raise PermissionDenied
    return testimony


@login_required
@require_GET
def testimony_list(request):
    testimonies = Testimony.objects.visible_to(request.user).select_related("library")
    page = Paginator(testimonies.order_by("-given_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "impact/testimony_list.html",
        {"page": page, "writes": Scope.for_user(request.user).can_report},
    )


@login_required
@require_http_methods(["GET", "POST"])
def testimony_create(request):
    if not Scope.for_user(request.user).can_report:
        raise PermissionDenied
    form = TestimonyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            testimony, created = services.testimony_create(
                actor=request.user,
                library=form.cleaned_data["library"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.content(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "The testimony was recorded. Record the speaker's consent before it "
                        "can be published."
                    ),
                )
            else:
                messages.info(request, _("This testimony had already been recorded."))
            return redirect("impact:testimony-detail", pk=testimony.pk)
    return render(
        request,
        "impact/testimony_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def testimony_edit(request, pk: int):
    testimony = _writable(request, pk)
    if not testimony.is_editable:
        messages.error(request, _("The consent to use this testimony was withdrawn; it is closed."))
        return redirect("impact:testimony-detail", pk=testimony.pk)
    form = TestimonyForm(request.POST or None, instance=testimony, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.testimony_update(actor=request.user, testimony=testimony, **form.content())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The testimony was saved."))
            return redirect("impact:testimony-detail", pk=testimony.pk)
    return render(
        request,
        "impact/testimony_form.html",
        {"form": form, "testimony": testimony},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def testimony_detail(request, pk: int):
    testimony = get_in_scope_or_404(
        request.user,
        _testimonies().prefetch_related(
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("recorded_by").order_by(
                    "kind", "recorded_at"
                ),
            )
        ),
        pk=pk,
    )
    writes = Scope.for_user(request.user).reports_for(testimony.library)
    publishes = Scope.for_user(request.user).reviews_for(testimony.library)
    return render(
        request,
        "impact/testimony_detail.html",
        {
            "testimony": testimony,
            "consents": testimony.consents.all(),
            "writes": writes,
            "publishes": publishes,
            "blockers": services.publish_blockers(testimony) if publishes else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def testimony_consent_add(request, pk: int):
    testimony = _writable(request, pk)
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") else {}
    form = TestimonyConsentForm(
        request.POST or None, request.FILES or None, testimony=testimony, initial=initial
    )
    return consent_form_response(
        request,
        form,
        record=partial(services.testimony_consent_record, testimony=testimony),
        done=_("The consent was recorded."),
        back=reverse("impact:testimony-detail", args=[testimony.pk]),
        template="impact/testimony_consent_form.html",
        context={"testimony": testimony},
        refused_status=400,
    )


@login_required
@require_POST
def testimony_publish(request, pk: int):
    testimony = get_in_scope_or_404(request.user, _testimonies(), pk=pk)
    if not Scope.for_user(request.user).reviews_for(testimony.library):
        raise PermissionDenied
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to publish or to take off; nothing was changed."))
        return redirect("impact:testimony-detail", pk=testimony.pk)
    try:
        services.testimony_publish(
            actor=request.user, testimony=testimony, publish=form.cleaned_data["publish"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if form.cleaned_data["publish"]:
            messages.success(request, _("The testimony is published."))
        else:
            messages.success(request, _("The testimony is no longer public."))
    return redirect("impact:testimony-detail", pk=testimony.pk)


@login_required
@require_POST
def testimony_promote(request, pk: int):
    testimony = _writable(request, pk)
    try:
        story, created = services.testimony_promote(actor=request.user, testimony=testimony)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("impact:testimony-detail", pk=testimony.pk)
    if created:
        messages.success(
            request,
            _(
                "A story draft was started from the testimony. Tell the rest of the story, and "
                "record the storyteller's consent for it: the testimony's consent covers the "
                "quote only."
            ),
        )
    return redirect("impact:edit", pk=story.pk)
