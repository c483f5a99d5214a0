"""What the story, testimony and product pages share about consents: the form that records
one, a signed form handed out to a reader in scope, and a withdrawal recorded from a
consent's page."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from impact import consents
from impact.forms import WithdrawForm
from libraries.storage import file_response


def consent_form_response(
    request,
    form,
    *,
    record: Callable[..., object],
    done: str,
    back: str,
    template: str,
    context: dict,
    refused_status: int = 200,
) -> HttpResponse:
    """The page of a consent ``form``: a valid post is recorded by ``record`` (the subject's
    service, given the form's fields by name) and goes ``back``; a refusal is shown on the
    form, answered with ``refused_status``."""
    if request.method == "POST" and form.is_valid():
        try:
            record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect(back)
    status = refused_status if form.errors else 200
    return render(request, template, {"form": form, **context}, status=status)


def signed_form_response(consent, filename_stem: str):
    """A consent's signed form (PDF or photo), for a reader whose scope the view has checked."""
    if not consent.signed_form:
        raise Http404
    is_pdf = consent.signed_form.name.endswith(".pdf")
    return file_response(
        consent.signed_form,
        content_type="application/pdf" if is_pdf else "image/jpeg",
        as_attachment=is_pdf,
        filename=f"{filename_stem}-{consent.pk}.{'pdf' if is_pdf else 'jpg'}",
        cache_control="private, no-store",
    )


def withdrawal_response(
    request,
    consent,
    *,
    withdraw: Callable[..., object],
    done: str,
    back: HttpResponse,
) -> HttpResponse:
    """Record the withdrawal of ``consent`` posted with its reason, through ``withdraw`` (the
    subject's service), and go ``back`` to the subject's page with what happened."""
    consents.check_withdrawer(request.user, consent.subject.library)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the consent was withdrawn; nothing was changed."))
        return back
    try:
        withdraw(consent=consent, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return back
