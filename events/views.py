import time
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import exports, imports, services
from events.filters import EventFilter, RosterFilter
from events.forms import (
    AwardForm,
    EventForm,
    FacilitatorForm,
    ImportUploadForm,
    InvitationsForm,
    MarkForm,
    ProblemFollowUpForm,
    ProblemForm,
    SessionForm,
    SessionTimesForm,
    WalkInForm,
    libraries_for,
)
from events.models import Attendance, Award, Event, Facilitator, Participant, Problem, Registration
from events.selectors import (
    counts,
    engagement_award_suggestion,
    event_for,
    mark_time_text,
    participant_library_filter,
    roster,
    session_for,
)
from events.services import (
    EditConflict,
    attendance_mark,
    attendance_unmark,
    award_add,
    event_create,
    event_update,
    facilitator_add,
    invitations_set,
    problem_add,
    problem_update,
    session_add,
    session_update,
    walk_in_register,
)
from libraries.imports import PendingImports, refused_response
from libraries.paging import forward_page
from libraries.scope import Scope

PAGE_SIZE = 25


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# Events


@login_required
@require_GET
def event_list(request):
    events = (
        Event.objects.visible_to(request.user)
        .with_regions()
        # What a row shows (events/templatetags/event_list.py), not the whole event.
        .only(
            "title",
            "venue",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "province__name",
            "province__time_zone",
            "regency__name",
        )
        # Counted for the page's rows only (a subquery each), never grouped over the list.
        .annotate(
            participant_count=Coalesce(
                Subquery(
                    Registration.objects.filter(event=OuterRef("pk"))
                    .order_by()
                    .values("event")
                    .annotate(n=Count("participant", distinct=True))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-starts_at", "title")
    )
    event_filter = EventFilter(request.GET or None, queryset=events)
    page = forward_page(event_filter.qs, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "events/event_list.html",
        {
            "form": event_filter.form,
            "page": page,
            "can_create": Scope.for_user(request.user).can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request):
    if not Scope.for_user(request.user).can_manage:
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(
                actor=request.user, province=form.cleaned_data["province"], **form.service_fields()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The event was created with one session per day."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form})


@login_required
@require_GET
def event_detail(request, pk: int):
    event = event_for(request.user, pk)
    manage = Scope.for_user(request.user).manages_province(event.province_id)
    sessions = list(
        event.sessions.annotate(
            present=Count("attendances", filter=Q(attendances__revoked_at__isnull=True))
        )
    )
    registrations = list(
        Registration.objects.filter(event=event, **participant_library_filter(request.user, event))
        .select_related("participant__library__regency")
        .order_by("participant__name")
    )
    present = set(
        Attendance.objects.active()
        .filter(session__event=event, participant__in=[r.participant_id for r in registrations])
        .values_list("participant_id", "session_id")
    )
    people = [
        (
            registration,
            [
                (session, (registration.participant_id, session.pk) in present)
                for session in sessions
            ],
        )
        for registration in registrations
    ]
    context = {
        "event": event,
        "manage": manage,
        "sessions": sessions,
        "people": people,
        "invitations": event.invitations.select_related("library__regency"),
        "facilitators": event.facilitators.select_related("participant__library"),
        "problems": event.problems.select_related("regency", "library", "discussed_at")
        if event.is_plm
        else None,
        "awards": event.awards.select_related("library") if event.is_plm else None,
        "award_suggestion": engagement_award_suggestion(event) if manage else None,
    }
    if event.is_shm:
        shm_problems = list(
            Problem.objects.for_shm(event).select_related("event", "regency", "library")
        )
        context["shm_problems"] = [
            (problem, ProblemFollowUpForm(instance=problem, prefix=f"p{problem.pk}"))
            for problem in shm_problems
        ]
    return render(request, "events/event_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    form = EventForm(request.POST or None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event_update(
                actor=request.user,
                event=event,
                version=form.cleaned_data["version"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except EditConflict:
            form.add_error(
                None,
                _(
                    "Somebody else saved this event while you were editing. Your changes were "
                    "not saved: reload the page to see the current data, then edit again."
                ),
            )
        else:
            messages.success(request, _("The event was saved."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_invitations(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    form = InvitationsForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            invitations_set(
                actor=request.user, event=event, libraries=form.cleaned_data["libraries"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The invitations were saved."))
            return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_invitations.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was added."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/simple_form.html",
        {"form": form, "event": event, "title": _("Add a session")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk: int):
    session = session_for(request.user, pk, manage=True)
    event = session.event
    form = SessionTimesForm(
        request.POST or None,
        initial={
            "name": session.name,
            "start_time": session.start_time,
            "end_time": session.end_time,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/simple_form.html",
        {
            "form": form,
            "event": event,
            "title": _("Edit the session %(session)s") % {"session": session},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def facilitator_create(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    form = FacilitatorForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            facilitator_add(
                actor=request.user,
                event=event,
                role=form.cleaned_data["role"],
                topic=form.cleaned_data["topic"],
                **form.person(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The facilitator was added."))
            return redirect("events:detail", pk=event.pk)
    return render(
        request,
        "events/simple_form.html",
        {"form": form, "event": event, "title": _("Add a facilitator or resource person")},
    )


@login_required
@require_POST
def facilitator_remove(request, pk: int, facilitator_pk: int):
    event = event_for(request.user, pk, manage=True)
    facilitator = get_object_or_404(Facilitator, pk=facilitator_pk, event=event)
    services.facilitator_remove(actor=request.user, facilitator=facilitator)
    messages.success(request, _("The facilitator was removed."))
    return redirect("events:detail", pk=event.pk)


# Attendance


def _attendance_context(request, session, *, walk_in_form=None):
    event = session.event
    rows = roster(session)
    roster_filter = RosterFilter(request.GET or None, session=session)
    shown = rows
    if roster_filter.narrows:
        found = set(roster_filter.qs.values_list("pk", flat=True))
        shown = [row for row in rows if row.registration.pk in found]
    for row in shown:
        row.client_id = uuid.uuid4()
        row.undo_client_id = uuid.uuid4()
    return {
        "session": session,
        "event": event,
        "sessions": list(event.sessions.all()),
        "rows": shown,
        "mark_url": reverse("events:mark", args=[session.pk]),
        "roster_size": len(rows),
        "counts": counts(rows),
        "query": roster_filter.query,
        "roster_form": roster_filter.form,
        "walk_in_form": walk_in_form
        or WalkInForm(
            user=request.user, event=event, initial={"client_id": uuid.uuid4()}, prefix="walkin"
        ),
        "rendered_at": int(time.time() * 1000),
    }


@login_required
@require_GET
def attendance(request, pk: int):
    session = session_for(request.user, pk, manage=True)
    return render(request, "events/attendance.html", _attendance_context(request, session))


def _mark_payload(mark, event, participant_id: int, marked: bool) -> dict:
    payload = {
        "ok": True,
        "participant": participant_id,
        "marked": marked,
        # Lets the page tell answers newer than its own rendering from older ones.
        "server_time": int(time.time() * 1000),
    }
    if marked and mark is not None:
        payload["by"] = str(mark.marked_by) if mark.marked_by_id else ""
        payload["at"] = mark_time_text(mark, event.tz, event.time_zone_abbreviation)
    return payload


@login_required
@require_POST
def attendance_mark_view(request, pk: int):
    session = session_for(request.user, pk, manage=True)
    form = MarkForm(request.POST)
    back = reverse("events:attendance", args=[session.pk])
    query = (request.POST.get("q") or "").strip()
    if query:
        back += "?" + urlencode({"q": query[:100]})
    if not form.is_valid():
        message = _("The mark could not be read; reload the page and try again.")
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, message)
        return redirect(back)
    data = form.cleaned_data
    participant = Participant.objects.filter(
        pk=data["participant"], registrations__event_id=session.event_id
    ).first()
    try:
        if participant is None:
            raise ValidationError(_("This person is not on the participant list of the event."))
        if data["action"] == "mark":
            source = Attendance.Source.OFFLINE if data["queued"] else Attendance.Source.PAGE
            mark, created = attendance_mark(
                actor=request.user,
                session=session,
                participant=participant,
                client_id=data["client_id"],
                source=source,
                marked_on_device_at=data["marked_on_device"],
            )
            marked = True
            # A second tap (or a colleague's) on someone already marked: said, never undone.
            # The retry of this very mark (same id) is not news to the one who sent it.
            already = not created and mark.client_id != data["client_id"]
        else:
            mark = attendance_unmark(
                actor=request.user,
                session=session,
                participant=participant,
                client_id=data["client_id"],
            )
            marked = False
            already = False
    except ValidationError as exc:
        message = " ".join(exc.messages)
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, message)
        return redirect(back)
    if _wants_json(request):
        payload = _mark_payload(mark, session.event, participant.pk, marked)
        return JsonResponse({**payload, "already": already})
    if already:
        payload = _mark_payload(mark, session.event, participant.pk, marked)
        messages.info(
            request,
            _(
                "%(name)s is already present (marked by %(by)s, %(at)s): nothing changed. "
                "To undo the mark, use Undo under the name."
            )
            % {"name": participant.name, "by": payload["by"], "at": payload["at"]},
        )
    elif marked:
        messages.success(request, _("%(name)s is marked present.") % {"name": participant.name})
    else:
        messages.success(
            request, _("The mark of %(name)s was undone.") % {"name": participant.name}
        )
    return redirect(f"{back}#p-{participant.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def walk_in(request, pk: int):
    """Add someone not on the list and mark them; also the replay of the offline queue, which
    asks for JSON and gets the outcome (or every error, by field) as JSON."""
    session = session_for(request.user, pk, manage=True)
    posted = request.method == "POST"
    form = WalkInForm(
        request.POST if posted else None, user=request.user, event=session.event, prefix="walkin"
    )
    if posted and form.is_valid():
        try:
            participant, mark = walk_in_register(
                actor=request.user,
                session=session,
                client_id=form.cleaned_data["client_id"],
                role=form.cleaned_data["role"],
                marked_on_device_at=form.cleaned_data["marked_on_device"],
                **form.person(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if _wants_json(request):
                payload = _mark_payload(mark, session.event, participant.pk, True)
                return JsonResponse({**payload, "name": participant.name})
            messages.success(
                request,
                _("%(name)s was added to the list and marked present.")
                % {"name": participant.name},
            )
            return redirect(
                reverse("events:attendance", args=[session.pk]) + f"#p-{participant.pk}"
            )
    if posted and _wants_json(request):
        errors = {
            name.removeprefix("walkin-"): [str(message) for message in messages_]
            for name, messages_ in form.errors.items()
        }
        return JsonResponse(
            {
                "ok": False,
                "error": " ".join(message for values in errors.values() for message in values),
                "errors": errors,
            },
            status=400,
        )
    if not posted:
        form.initial["client_id"] = uuid.uuid4()
    return render(request, "events/walk_in.html", {"form": form, "session": session})


@login_required
@require_GET
def sign_sheet(request, pk: int):
    session = session_for(request.user, pk, manage=True)
    sheet_filter = RosterFilter(request.GET or None, session=session)
    return render(
        request,
        "events/sign_sheet.html",
        {
            "session": session,
            "event": session.event,
            "rows": roster(session, sheet_filter.qs),
            "form": sheet_filter.form,
            "blank_rows": range(8),
        },
    )


@login_required
@require_GET
def attendance_export(request, pk: int, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    event = event_for(request.user, pk)
    marks = (
        Attendance.objects.active()
        .filter(session__event=event, **participant_library_filter(request.user, event))
        .select_related("session", "participant__library__regency", "marked_by")
        .order_by("session__date", "session_id", "participant__name")
    )
    roles = {
        registration.participant_id: registration.get_role_display()
        for registration in Registration.objects.filter(event=event).only("participant", "role")
    }
    if fmt == "csv":
        return exports.attendance_csv(event, marks, roles)
    return exports.attendance_xlsx(event, marks, roles)


# Import


def _pending_imports(request) -> PendingImports:
    return PendingImports(request, "participants")


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    rows = None
    token = None
    if request.method == "POST" and form.is_valid():
        try:
            header, rows = imports.preview(
                upload=form.cleaned_data["file"],
                event=event,
                libraries=libraries_for(
                    request.user,
                    None if event.kind == Event.Kind.PLM_NATIONAL else event.province_id,
                ),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            token = _pending_imports(request).begin(
                owner={"event": event.pk},
                header=header,
                good=imports.to_session(rows),
                refused=imports.refused(rows),
            )
    summary = None
    if rows is not None:
        summary = {
            status: sum(1 for row in rows if row.status == status)
            for status in ("new", "known", "error")
        }
    return render(
        request,
        "events/import.html",
        {"form": form, "event": event, "rows": rows, "token": token, "summary": summary},
    )


@login_required
@require_POST
def participant_import_confirm(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    pending = _pending_imports(request)
    token = request.POST.get("token")
    good = pending.claim(token, owner={"event": event.pk})
    if good is None:
        messages.error(
            request,
            _(
                "This preview is no longer available (already imported, or replaced). "
                "Upload the file again if needed."
            ),
        )
        return redirect("events:detail", pk=event.pk)
    try:
        result = imports.participants_import(
            actor=request.user, event=event, rows=imports.from_session(good), token=token
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("events:import", pk=event.pk)
    pending.finish(token)
    refused = pending.refused(token)
    result["skipped"] = len(refused[1]) if refused else 0
    messages.success(
        request,
        _(
            "Imported: %(new)d new people, %(known)d already known, %(marks)d attendance marks; "
            "%(skipped)d rows with errors were left out."
        )
        % result,
    )
    return redirect("events:detail", pk=event.pk)


@login_required
@require_GET
def participant_import_refused(request, pk: int, fmt: str):
    """The rows an import refused, with the reasons, to correct and upload again."""
    event = event_for(request.user, pk, manage=True)
    pending = _pending_imports(request)
    token = request.GET.get("token")
    refused = pending.refused(token)
    if refused is None or pending.owner(token) != {"event": event.pk}:
        raise Http404
    header, rows = refused
    return refused_response(
        header=header, rows=rows, fmt=fmt, filename=f"peserta-ditolak-{event.pk}"
    )


# PLM problems and awards


def _plm_record(request, pk: int, *, form_class, service, title, done):
    """A form that records something about a PLM (a problem raised, an award given)."""
    event = event_for(request.user, pk, manage=True)
    if not event.is_plm:
        raise Http404
    form = form_class(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("events:detail", pk=event.pk)
    return render(
        request, "events/simple_form.html", {"form": form, "event": event, "title": title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_create(request, pk: int):
    return _plm_record(
        request,
        pk,
        form_class=ProblemForm,
        service=problem_add,
        title=_("Record a problem raised at the PLM"),
        done=_("The problem was recorded."),
    )


@login_required
@require_POST
def problem_follow_up(request, pk: int, problem_pk: int):
    """Update a problem's follow-up, from its PLM or from the SHM that discusses it."""
    event = event_for(request.user, pk, manage=True)
    if event.is_shm:
        problem = get_object_or_404(Problem.objects.for_shm(event), pk=problem_pk)
    else:
        problem = get_object_or_404(Problem, pk=problem_pk, event=event)
    form = ProblemFollowUpForm(request.POST, instance=problem, prefix=f"p{problem.pk}")
    if not form.is_valid():
        messages.error(
            request,
            _("The follow-up was not saved: %(errors)s")
            % {
                "errors": " ".join(message for errors in form.errors.values() for message in errors)
            },
        )
        return redirect("events:detail", pk=event.pk)
    changes = {name: form.cleaned_data[name] for name in ("status", "follow_up")}
    if event.is_shm:
        changes["discussed_at"] = event
    try:
        problem_update(
            actor=request.user, problem=problem, version=form.cleaned_data["version"], **changes
        )
    except EditConflict:
        messages.error(
            request,
            _("Somebody else updated this problem meanwhile; your change was not saved."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The follow-up was saved."))
    return redirect("events:detail", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def award_create(request, pk: int):
    return _plm_record(
        request,
        pk,
        form_class=AwardForm,
        service=award_add,
        title=_("Record an award"),
        done=_("The award was recorded."),
    )


@login_required
@require_POST
def award_delete(request, pk: int, award_pk: int):
    event = event_for(request.user, pk, manage=True)
    award = get_object_or_404(Award, pk=award_pk, event=event)
    services.award_delete(actor=request.user, award=award)
    messages.success(request, _("The award was removed."))
    return redirect("events:detail", pk=event.pk)
