"""Pages of attendance certificates: issuing, revoking and downloading them (the event's
managers), and the public verification page that the QR code opens."""

from __future__ import annotations

import re
import zipfile

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.certificates import pdf as certificate_pdf
from events.certificates.services import (
    attended_sessions,
    certificate_issue,
    certificate_revoke,
    certificates_issue,
    issuing_open,
)
from events.models import Certificate, Event, Participant
from events.models.certificates import CODE_LENGTH, normalise_code
from events.selectors import event_for
from libraries.site_url import absolute_url

# Unknown codes looked up from one address before the verification page asks it to wait
# (for any code: answering known ones would still tell guesses apart). Codes cannot be
# guessed anyway; this keeps a scanner from trying.
MISSES_ALLOWED = 30
MISS_WINDOW_SECONDS = 600


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the certificate revoked?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Kept on record; not shown on the public verification page. For example: the "
            "name was misspelt, a new certificate is issued."
        ),
    )


class LookupForm(forms.Form):
    kode = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy("The 16 letters and digits printed under the QR code."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_kode(self):
        code = normalise_code(self.cleaned_data["kode"])
        if len(code) != CODE_LENGTH:
            raise ValidationError(
                _("A verification code has %(count)d letters and digits.") % {"count": CODE_LENGTH}
            )
        return code


def _language(request) -> str:
    """Certificates are in Indonesian unless English is asked for (``?bahasa=en``)."""
    return "en" if request.GET.get("bahasa") == "en" else "id"


def _verify_url_maker():
    """Absolute verification addresses, worked out while the request is known (a streamed
    download goes on after the view has returned)."""
    root = absolute_url("/").rstrip("/")
    return lambda code: root + reverse("certificates:verify", args=[code])


def _filename(certificate: Certificate) -> str:
    return "sertifikat-" + re.sub(r"[^A-Za-z0-9]+", "-", certificate.number).strip("-") + ".pdf"


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


# Managing ---------------------------------------------------------------------------------


@login_required
@require_GET
def certificate_list(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    attended = attended_sessions(event)
    certificates = list(event.certificates.select_related("revoked_by").order_by("name", "pk"))
    valid = {c.participant_id: c for c in certificates if c.is_valid}
    people = Participant.objects.filter(pk__in={*attended, *valid}).select_related("library")
    rows = []
    for person in sorted(people, key=lambda p: (p.name.lower(), p.pk)):
        sessions = attended.get(person.pk, [])
        rows.append(
            {
                "person": person,
                "days": len({session.date for session in sessions}),
                "hours": certificate_pdf.hours_text(sum(s.minutes or 0 for s in sessions)),
                "certificate": valid.get(person.pk),
            }
        )
    without_hours = sorted(
        {s for sessions in attended.values() for s in sessions if s.minutes is None},
        key=lambda s: (s.date, s.pk),
    )
    return render(
        request,
        "events/certificate_list.html",
        {
            "event": event,
            "rows": rows,
            "to_issue": sum(1 for row in rows if row["certificate"] is None and row["days"]),
            "valid_count": len(valid),
            "revoked": [c for c in certificates if not c.is_valid],
            "issuing_open": issuing_open(event),
            "without_hours": without_hours,
        },
    )


@login_required
@require_POST
def certificates_issue_view(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    try:
        result = certificates_issue(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.issued and result.already:
            messages.success(
                request,
                _("%(issued)d certificates issued; %(already)d people already had one.")
                % {"issued": result.issued, "already": result.already},
            )
        elif result.issued:
            messages.success(
                request,
                ngettext(
                    "%(issued)d certificate issued.",
                    "%(issued)d certificates issued.",
                    result.issued,
                )
                % {"issued": result.issued},
            )
        else:
            messages.info(request, _("Everyone who attended already has a certificate."))
    return redirect("events:certificates", pk=event.pk)


@login_required
@require_POST
def certificate_issue_view(request, pk: int, participant_pk: int):
    event = event_for(request.user, pk, manage=True)
    participant = get_object_or_404(Participant, pk=participant_pk, registrations__event=event)
    try:
        certificate, created = certificate_issue(
            actor=request.user, event=event, participant=participant
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(
                request,
                _("Certificate %(number)s issued to %(name)s.")
                % {"number": certificate.number, "name": certificate.name},
            )
        else:
            messages.info(
                request,
                _("%(name)s already has certificate %(number)s.")
                % {"number": certificate.number, "name": certificate.name},
            )
    return redirect("events:certificates", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke_view(request, pk: int, certificate_pk: int):
    event = event_for(request.user, pk, manage=True)
    certificate = get_object_or_404(Certificate, pk=certificate_pk, event=event)
    if not certificate.is_valid:
        messages.info(request, _("This certificate was already revoked."))
        return redirect("events:certificates", pk=event.pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Certificate %(number)s was revoked; its verification page says so. "
                    "Issue a new one to %(name)s if needed."
                )
                % {"number": certificate.number, "name": certificate.name},
            )
            return redirect("events:certificates", pk=event.pk)
    return render(
        request,
        "events/certificate_revoke.html",
        {"event": event, "certificate": certificate, "form": form},
    )


@login_required
@require_GET
def certificate_download(request, pk: int, certificate_pk: int):
    event = event_for(request.user, pk, manage=True)
    certificate = get_object_or_404(Certificate.objects.valid(), pk=certificate_pk, event=event)
    content = certificate_pdf.certificate_pdf(
        certificate,
        event,
        _verify_url_maker()(certificate.code),
        language=_language(request),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(certificate)}"'
    return _private(response)


class _Chunks:
    """A write-only file for ``zipfile``: keeps what was written until it is collected."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.written = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def collect(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _zip_stream(certificates, event: Event, verify_url, language: str):
    """The ZIP, made and sent one certificate at a time: memory stays that of one PDF."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate, content in certificate_pdf.certificate_pdfs(
            certificates, event, verify_url, language=language
        ):
            archive.writestr(_filename(certificate), content)
            yield sink.collect()
    yield sink.collect()


@login_required
@require_GET
def certificates_download(request, pk: int, fmt: str):
    if fmt not in ("zip", "pdf"):
        raise Http404
    event = event_for(request.user, pk, manage=True)
    certificates = event.certificates.valid().order_by("name", "pk")
    if not certificates.exists():
        messages.error(request, _("No certificate has been issued for this event yet."))
        return redirect("events:certificates", pk=event.pk)
    verify_url = _verify_url_maker()
    language = _language(request)
    name = f"sertifikat-{event.pk}-{timezone.localdate(timezone=event.tz):%Y%m%d}"
    if fmt == "zip":
        response = StreamingHttpResponse(
            _zip_stream(certificates.iterator(chunk_size=100), event, verify_url, language),
            content_type="application/zip",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.zip"'
    else:
        content = certificate_pdf.certificates_pdf(
            certificates.iterator(chunk_size=100), event, verify_url, language=language
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return _private(response)


# Public verification ----------------------------------------------------------------------


def _miss_key(request) -> str:
    return f"certificate-misses:{get_client_ip_address(request) or 'unknown'}"


def _too_many_misses(request) -> bool:
    return (cache.get(_miss_key(request)) or 0) >= MISSES_ALLOWED


def _count_miss(request) -> None:
    key = _miss_key(request)
    if cache.add(key, 1, MISS_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, MISS_WINDOW_SECONDS)


def _public(response, *, known: bool):
    # A revocation must show at once: shared caches revalidate a known code every time, and
    # keep nothing of an unknown one. Search engines keep no copy of a person's name.
    response["Cache-Control"] = "no-cache" if known else "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _slow_down(request):
    response = render(request, "events/certificate_verify.html", {"status": "wait"}, status=429)
    response["Retry-After"] = str(MISS_WINDOW_SECONDS)
    return _public(response, known=False)


@require_GET
def certificate_lookup(request):
    """The verification page's front door: type the code printed on the certificate."""
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["kode"])
    response = render(
        request,
        "events/certificate_verify.html",
        {"status": "lookup", "form": form},
        status=400 if form.is_bound else 200,
    )
    return _public(response, known=not form.is_bound)


@require_GET
def certificate_verify(request, code: str):
    """Whether a certificate is genuine: the name, the event, its dates and the issuer, and
    nothing else about the person. An unknown code is answered 404."""
    if _too_many_misses(request):
        return _slow_down(request)
    normalised = normalise_code(code)
    certificate = None
    if len(normalised) == CODE_LENGTH:
        certificate = (
            Certificate.objects.select_related("event__province")
            .only(
                "number",
                "name",
                "issued_at",
                "revoked_at",
                "event__title",
                "event__kind",
                "event__starts_at",
                "event__ends_at",
                "event__province__time_zone",
            )
            .filter(code=normalised)
            .first()
        )
    if certificate is None:
        _count_miss(request)
        response = render(
            request,
            "events/certificate_verify.html",
            {"status": "unknown", "form": LookupForm()},
            status=404,
        )
        return _public(response, known=False)
    if normalised != code:
        # One address per certificate: a code typed in lower case or with dashes lands here.
        return redirect("certificates:verify", code=normalised)
    event = certificate.event
    return _public(
        render(
            request,
            "events/certificate_verify.html",
            {
                "status": "valid" if certificate.is_valid else "revoked",
                "certificate": certificate,
                "event": event,
                "dates": certificate_pdf.date_range(
                    event.local_start.date(), event.local_end.date()
                ),
                "issuer": certificate_pdf.ISSUER,
                "tz": event.province.time_zone,
            },
        ),
        known=True,
    )
