from functools import partial
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from impact import selectors, services
from impact.consent_pages import consent_form_response, signed_form_response, withdrawal_response
from impact.filters import StoryFilter
from impact.forms import (
    BulkActionForm,
    ConsentForm,
    PhotoForm,
    SelectionForm,
    StoryConsentForm,
    StoryForm,
    TransitionForm,
    WithdrawForm,
    story_photo_forms,
)
from impact.models import Consent, Photo, ReviewEvent, SelectionDecision, Story
from libraries.paging import forward_page
from libraries.scope import Scope, get_in_scope_or_404
from libraries.storage import file_response

PAGE_SIZE = 25


def _is_fetch(request) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _writable_story(request, pk: int) -> Story:
    story = get_in_scope_or_404(
        request.user, Story.objects.select_related("library__province"), pk=pk
    )
    if not Scope.for_user(request.user).reports_for(story.library):
        raise PermissionDenied
    return story


def _errors_text(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# Signed-in pages -------------------------------------------------------------------------


@login_required
@require_GET
def story_list(request):
    """The user's stories; for consultants and staff, the moderation queue."""
    story_filter = StoryFilter(
        request.GET or None,
        queryset=Story.objects.visible_to(request.user),
        scope=Scope.for_user(request.user),
    )
    stories = selectors.stories_with_thumbnails(story_filter.qs).order_by("-updated_at", "-pk")
    page = forward_page(stories, request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "impact/story_list.html",
        {
            "form": story_filter.form,
            "page": page,
            "bulk_actions": BulkActionForm.ACTIONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def story_create(request):
    Scope.for_user(request.user).require(Scope.for_user(request.user).can_report)
    form = StoryForm(request.POST or None, user=request.user)
    # The first screen takes photos and consents too: one submit, so nothing is lost to a
    # missed second step. Files accepted before a refusal wait on the server for the next try.
    photo_forms = story_photo_forms(request.POST or None, request.FILES or None, user=request.user)
    consent_form = StoryConsentForm(
        request.POST or None, request.FILES or None, library=request.user.library
    )
    consent_form.keep_files(request.user)
    file_forms = [*photo_forms, consent_form]
    if request.method == "POST":
        # Every part is checked (not just up to the first bad one) so each shows its errors.
        parts_valid = [part.is_valid() for part in [form, *file_forms]]
        if all(parts_valid):
            photos = [(slot, photo_form.photo()) for slot, photo_form in enumerate(photo_forms)]
            photos = [(slot, photo) for slot, photo in photos if photo]
            try:
                story = services.story_create(
                    actor=request.user,
                    library=form.cleaned_data["library"],
                    draft_key=form.cleaned_data["draft_key"],
                    photos=[photo for _slot, photo in photos],
                    consents=consent_form.consents([slot for slot, _photo in photos]),
                    **form.content(),
                )
            except services.EditConflict:
                form.add_error(None, str(CONFLICT_MESSAGE))
            except services.ConsentRefused as exc:
                _consent_errors(consent_form, exc.refused)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                for part in file_forms:
                    part.release_files()
                if _is_fetch(request):
                    if "submit" in request.POST:
                        # A story kept offline with "Save and submit": submitted on arrival
                        # when it is complete, else it stays a draft and the page says why.
                        return _submit_after_save(request, story, answer_json=True)
                    return _saved_json(story)
                if "submit" in request.POST:
                    return _submit_after_save(request, story)
                messages.success(request, _("The draft was saved."))
                return redirect("impact:edit", pk=story.pk)
        if _is_fetch(request):
            return _story_errors_json(form, photo_forms, consent_form)
        for part in file_forms:
            part.hold_files()
    return render(
        request,
        "impact/story_form.html",
        {
            "form": form,
            "story": None,
            "photo_forms": photo_forms,
            "consent_form": consent_form,
            "consent_open": consent_form.is_bound
            and bool(
                consent_form.errors
                or consent_form.cleaned_data.get("purposes")
                or consent_form.cleaned_data.get("photos")
            ),
        },
    )


def _consent_errors(consent_form: StoryConsentForm, refused: ValidationError) -> None:
    """The service's refusal of a consent, shown by the field it is about."""
    fields = {"photo": "photos", "kind": "purposes"}
    if not hasattr(refused, "error_dict"):
        consent_form.add_error(None, refused)
        return
    for name, errors in refused.error_dict.items():
        field = fields.get(name, name)
        consent_form.add_error(field if field in consent_form.fields else None, errors)


def _story_errors_json(form, photo_forms, consent_form):
    """Why a story sent by the offline queue was refused, by field, for the form it returns to."""
    messages_text = [
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    ]
    errors = form.errors.get_json_data()
    for number, photo_form in enumerate(photo_forms, start=1):
        for name, field_errors in photo_form.errors.items():
            label = photo_form.fields[name].label if name in photo_form.fields else ""
            messages_text.append(
                _("Photo %(number)d, %(field)s: %(why)s")
                % {"number": number, "field": label, "why": " ".join(field_errors)}
            )
            errors[photo_form.add_prefix(name)] = photo_form.errors[name].get_json_data()
    for name, field_errors in consent_form.errors.items():
        label = consent_form.fields[name].label if name in consent_form.fields else ""
        messages_text.append(
            _("Consent, %(field)s: %(why)s") % {"field": label, "why": " ".join(field_errors)}
            if label
            else " ".join(field_errors)
        )
        errors[consent_form.add_prefix(name)] = consent_form.errors[name].get_json_data()
    return JsonResponse(
        {"ok": False, "error": " ".join(messages_text), "errors": errors},
        status=400,
    )


def _saved_json(story: Story, *, data: bool = False):
    payload = {
        "ok": True,
        "version": story.version,
        "edit_url": reverse("impact:edit", args=[story.pk]),
        # Where the offline queue opens a story it sent from the form it was written in.
        "url": reverse("impact:edit", args=[story.pk]),
        "autosave_url": reverse("impact:autosave", args=[story.pk]),
        "saved_at": _local_time(story),
    }
    return payload if data else JsonResponse(payload)


def _local_time(story: Story) -> str:
    province = story.library.province
    now = timezone.localtime(timezone.now(), ZoneInfo(province.time_zone))
    return f"{now:%H:%M} {province.time_zone_abbreviation}"


def _submit_after_save(request, story: Story, *, answer_json: bool = False):
    try:
        story = services.story_transition(
            story=story,
            actor=request.user,
            to_status=Story.Status.SUBMITTED,
            version=story.version,
        )
    except ValidationError as exc:
        messages.error(
            request,
            _("The draft was saved but not submitted: %(why)s")
            % {"why": " ".join(_errors_text(exc))},
        )
        if answer_json:
            return JsonResponse({**_saved_json(story, data=True), "submitted": False})
        return redirect("impact:edit", pk=story.pk)
    messages.success(request, _("The story was submitted for review."))
    if answer_json:
        return JsonResponse(
            {
                **_saved_json(story, data=True),
                "submitted": True,
                "url": reverse("impact:detail", args=[story.pk]),
            }
        )
    return redirect("impact:detail", pk=story.pk)


CONFLICT_MESSAGE = gettext_lazy(
    "This story was saved in another window or by someone else while you were writing. "
    "Your changes were not saved: copy your text, reload the page, then add it again."
)


@login_required
@require_http_methods(["GET", "POST"])
def story_edit(request, pk: int):
    story = _writable_story(request, pk)
    if not story.is_editable:
        messages.error(request, _("The consent to use this story was withdrawn; it is closed."))
        return redirect("impact:detail", pk=story.pk)
    form = StoryForm(request.POST or None, instance=story, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_update(
                story=story,
                actor=request.user,
                version=form.cleaned_data["version"] or 0,
                **form.content(),
            )
        except services.EditConflict:
            form.add_error(None, str(CONFLICT_MESSAGE))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if "submit" in request.POST:
                return _submit_after_save(request, story)
            messages.success(request, _("The draft was saved."))
            return redirect("impact:edit", pk=story.pk)
    return render(
        request,
        "impact/story_form.html",
        {
            "form": form,
            "story": story,
            "photo_form": PhotoForm(),
            "photos": story.photos.current(),
            "blockers": services.publish_blockers(story),
        },
    )


@login_required
@require_POST
def story_autosave(request, pk: int):
    """Saves the draft as the librarian types (fetch); answers 409 on a version conflict."""
    story = _writable_story(request, pk)
    form = StoryForm(request.POST, instance=story, user=request.user)
    if not form.is_valid():
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    try:
        story = services.story_update(
            story=story,
            actor=request.user,
            version=form.cleaned_data["version"] or 0,
            **form.content(),
        )
    except services.EditConflict:
        return JsonResponse({"ok": False, "conflict": str(CONFLICT_MESSAGE)}, status=409)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "errors": {"__all__": _errors_text(exc)}}, status=400)
    return _saved_json(story)


@login_required
@require_GET
def story_detail(request, pk: int):
    story = get_in_scope_or_404(
        request.user,
        Story.objects.select_related(
            "library__province",
            "library__regency",
            "village__district",
            "author",
            "event__province",
            "community_product",
        ).prefetch_related(
            Prefetch("photos", queryset=Photo.objects.current()),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related(
                    "photo", "recorded_by", "superseded_by__recorded_by"
                ),
            ),
            Prefetch("review_events", queryset=ReviewEvent.objects.select_related("actor")),
            Prefetch("selections", queryset=SelectionDecision.objects.select_related("decided_by")),
        ),
        pk=pk,
    )
    user = request.user
    reviews = Scope.for_user(user).reviews_for(story.library)
    allowed = [
        to
        for (frm, to), who in services.TRANSITIONS.items()
        if frm == story.status
        and {
            "write": Scope.for_user(user).reports_for(story.library),
            "review": reviews,
            "publish": Scope.for_user(user).can_publish,
        }[who]
    ]
    levels = [
        (value, label)
        for value, label in SelectionDecision.Level.choices
        if Scope.for_user(user).selects_at(value, story.library)
    ]
    return render(
        request,
        "impact/story_detail.html",
        {
            "story": story,
            "writes": Scope.for_user(user).reports_for(story.library),
            "reviews": reviews,
            "transitions": [(status, Story.Status(status).label) for status in allowed],
            "needs_comment": {to for (frm, to) in services.NEEDS_COMMENT if frm == story.status},
            "blockers": services.publish_blockers(story),
            "selection_levels": levels,
            "selection_form": SelectionForm(),
            "withdraw_form": WithdrawForm(),
            "tz": story.library.province.time_zone,
        },
    )


@login_required
@require_POST
def story_transition(request, pk: int):
    story = get_in_scope_or_404(request.user, Story.objects.select_related("library"), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, str(services.STALE_MESSAGE))
        else:
            messages.error(request, _("Choose a valid action."))
        return redirect("impact:detail", pk=story.pk)
    try:
        story = services.story_transition(
            story=story,
            actor=request.user,
            to_status=form.cleaned_data["to_status"],
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        for message in _errors_text(exc):
            messages.error(request, message)
    else:
        messages.success(
            request, _("The story is now: %(status)s.") % {"status": story.get_status_display()}
        )
    return redirect("impact:detail", pk=story.pk)


@login_required
@require_POST
def bulk_action(request):
    """Staff and consultants act on several stories of the queue at once."""
    if not Scope.for_user(request.user).can_manage:
        raise PermissionDenied
    form = BulkActionForm(request.POST, user=request.user)
    back = request.POST.get("next") or ""
    target = back if back.startswith("/cerita/") else "impact:list"
    if not form.is_valid():
        messages.error(request, _("Choose at least one story and an action."))
        return redirect(target)
    done, refused = 0, []
    for story in form.cleaned_data["stories"]:
        version = form.version_read(story)
        if version is None:
            refused.append(f"“{story}”: {services.STALE_MESSAGE}")
            continue
        try:
            services.story_transition(
                story=story,
                actor=request.user,
                to_status=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
                version=version,
            )
        except (ValidationError, PermissionDenied) as exc:
            why = (
                " ".join(_errors_text(exc))
                if isinstance(exc, ValidationError)
                else _("You may not do this.")
            )
            refused.append(f"“{story}”: {why}")
        else:
            done += 1
    if done:
        messages.success(request, _("%(count)d stories changed.") % {"count": done})
    for line in refused:
        messages.error(request, line)
    return redirect(target)


@login_required
@require_POST
def photo_add(request, pk: int):
    story = _writable_story(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                story=story,
                actor=request.user,
                processed=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                shows_face=form.cleaned_data["shows_face"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The photo was added."))
            return redirect(f"{_edit_url(story)}#photos")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, _("The photo was not added: %(why)s") % {"why": error})
    return redirect(f"{_edit_url(story)}#photos")


def _edit_url(story):

    return reverse("impact:edit", args=[story.pk])


@login_required
@require_POST
def photo_remove(request, pk: int):
    photo = get_in_scope_or_404(
        request.user, Photo.objects.current().select_related("story"), pk=pk
    )
    story = _writable_story(request, photo.story_id)
    services.photo_remove(photo=photo, actor=request.user)
    messages.success(request, _("The photo was removed."))
    return redirect(f"{_edit_url(story)}#photos")


@require_GET
def photo_file(request, pk: int, size: str):
    """Story photos never have a public path: in-scope users, or the public for a published
    story's consented photo."""
    if size not in ("full", "thumb"):
        raise Http404
    photo = Photo.objects.current().visible_to(request.user).filter(pk=pk).first()
    private = photo is not None
    if photo is None:
        photo = get_object_or_404(Photo.objects.public(), pk=pk)
    return file_response(
        photo.image if size == "full" else photo.thumbnail,
        content_type="image/jpeg",
        # Withdrawn consent must take effect at once: nothing may serve a stale copy.
        cache_control="private, no-store" if private else "no-cache",
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request, pk: int):
    story = _writable_story(request, pk)
    # "Replace" on a consent of the story page opens this form for the same kind and photo.
    initial = {key: request.GET[key] for key in ("kind", "photo") if request.GET.get(key)}
    form = ConsentForm(request.POST or None, request.FILES or None, story=story, initial=initial)
    return consent_form_response(
        request,
        form,
        record=partial(services.consent_record, story=story),
        done=_("The consent was recorded."),
        back=reverse("impact:detail", args=[story.pk]),
        template="impact/consent_form.html",
        context={"story": story},
    )


@login_required
@require_POST
def consent_withdraw(request, pk: int):
    consent = get_in_scope_or_404(
        request.user,
        Consent.objects.select_related("story__library", "testimony__library"),
        pk=pk,
    )
    # A testimony's consent is withdrawn from the testimony's page (see impact.testimonies).
    back = (
        redirect("impact:testimony-detail", pk=consent.testimony_id)
        if consent.testimony_id
        else redirect("impact:detail", pk=consent.story_id)
    )
    return withdrawal_response(
        request,
        consent,
        withdraw=services.consent_withdraw,
        done=_("The withdrawal was recorded; what it covered is no longer public."),
        back=back,
    )


@login_required
@require_GET
def consent_file(request, pk: int):
    consent = get_in_scope_or_404(request.user, Consent, pk=pk)
    return signed_form_response(consent, "persetujuan")


@login_required
@require_POST
def selection_add(request, pk: int):
    story = get_in_scope_or_404(request.user, Story.objects.select_related("library"), pk=pk)
    form = SelectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the panel and record its reason; nothing was saved."))
        return redirect("impact:detail", pk=story.pk)
    try:
        services.selection_record(
            story=story,
            actor=request.user,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        for message in _errors_text(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The panel's selection was recorded."))
    return redirect("impact:detail", pk=story.pk)
