from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from events.models import (
    Attendance,
    Award,
    Certificate,
    Event,
    EventSession,
    Facilitator,
    Invitation,
    Participant,
    Problem,
)
from events.services import (
    award_add,
    award_delete,
    award_update,
    event_create,
    event_delete,
    event_update,
    facilitator_add,
    facilitator_remove,
    facilitator_update,
    invitations_set,
    participant_add,
    participant_delete,
    participant_merge,
    participant_update,
    problem_add,
    problem_delete,
    problem_update,
    session_add,
    session_delete,
    session_update,
)
from libraries.admin import ScopedAdminMixin, ScopedInlineMixin
from libraries.scope import Scope
from libraries.versioning import ServiceAdminMixin


class SessionInline(ScopedInlineMixin, admin.TabularInline):
    model = EventSession
    extra = 0
    fields = ["date", "name"]


class InvitationInline(ScopedInlineMixin, admin.TabularInline):
    model = Invitation
    extra = 0
    autocomplete_fields = ["library"]
    fields = ["library"]


class FacilitatorInline(ScopedInlineMixin, admin.TabularInline):
    model = Facilitator
    extra = 0
    autocomplete_fields = ["participant"]
    fields = ["participant", "role", "topic"]


@admin.register(Event)
class EventAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "province", "regency", "starts_at", "status"]
    list_filter = ["kind", "status", "province"]
    list_select_related = ["province", "regency"]
    search_fields = ["title", "venue"]
    autocomplete_fields = ["province", "regency"]
    date_hierarchy = "starts_at"
    readonly_fields = ["version", "created_by", "created_at", "updated_at"]
    inlines = [SessionInline, InvitationInline, FacilitatorInline]

    def create_through_service(self, request, *, values):
        # One attendance session for each local day, as for an event created in the portal.
        return event_create(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return event_update(actor=request.user, event=obj, version=version, **changes)

    # Deletes through the service: an event with attendance recorded is kept.

    def delete_through_service(self, request, obj):
        event_delete(actor=request.user, event=obj)

    def save_formset(self, request, form, formset, change):
        # The inlines through the services too: invitations within the editor's scope, no
        # session with attendance deleted, a facilitator registered for the event.
        event, actor = form.instance, request.user
        # Sorts the rows into new, changed and deleted (the change message reads them).
        formset.save(commit=False)
        if formset.model is Invitation:
            kept = [
                each.cleaned_data["library"]
                for each in formset.forms
                if each.cleaned_data.get("library") and not each.cleaned_data.get("DELETE")
            ]
            invitations_set(actor=actor, event=event, libraries=kept)
        elif formset.model is EventSession:
            for session in formset.deleted_objects:
                session_delete(actor=actor, session=session)
            for session, changed in formset.changed_objects:
                if "date" in changed:
                    raise ValidationError(
                        _(
                            "A session keeps its day: add a session for the other day, or "
                            "change the event's dates."
                        )
                    )
                session_update(
                    actor=actor,
                    session=session,
                    name=session.name,
                    start_time=session.start_time,
                    end_time=session.end_time,
                )
            for session in formset.new_objects:
                session_add(
                    actor=actor,
                    event=event,
                    date=session.date,
                    name=session.name,
                    start_time=session.start_time,
                    end_time=session.end_time,
                )
        elif formset.model is Facilitator:
            for facilitator in formset.deleted_objects:
                facilitator_remove(actor=actor, facilitator=facilitator)
            for facilitator, _changed in formset.changed_objects:
                facilitator_update(
                    actor=actor,
                    facilitator=facilitator,
                    role=facilitator.role,
                    topic=facilitator.topic,
                    participant=facilitator.participant,
                )
            for facilitator in formset.new_objects:
                facilitator_add(
                    actor=actor,
                    event=event,
                    role=facilitator.role,
                    topic=facilitator.topic,
                    participant=facilitator.participant,
                )


@admin.register(Participant)
class ParticipantAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "gender", "library", "institution", "province", "attendance_count"]
    list_filter = ["gender", "province"]
    search_fields = ["name", "normalised_name", "library__name", "institution"]
    autocomplete_fields = ["library", "province"]
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("library", "province")
            .annotate(
                active_marks=Count("attendances", filter=Q(attendances__revoked_at__isnull=True))
            )
        )

    @admin.display(description=gettext_lazy("attendance"), ordering="active_marks")
    def attendance_count(self, participant):
        return participant.active_marks

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not Scope.for_user(request.user).national:
            actions.pop("merge", None)
        return actions

    # The duplicate-detection keys follow the name and institution typed here, and a second
    # record of somebody on record is refused (merge instead): the services know how.

    def create_through_service(self, request, *, values):
        return participant_add(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return participant_update(actor=request.user, participant=obj, **changes)

    # A record with attendance marks is merged, never deleted (the marks would go with it).

    delete_related = ("library",)

    def delete_through_service(self, request, obj):
        participant_delete(actor=request.user, participant=obj)

    @admin.action(description=gettext_lazy("Merge the selected records of one person"))
    def merge(self, request, queryset):
        if not Scope.for_user(request.user).national:
            raise PermissionDenied
        records = list(queryset.order_by("pk"))
        if len(records) < 2:
            self.message_user(request, _("Choose at least two records to merge."), messages.ERROR)
            return None
        keep_pk = request.POST.get("keep")
        if request.POST.get("confirm") == "yes" and keep_pk:
            keep = next((record for record in records if str(record.pk) == keep_pk), None)
            if keep is None:
                self.message_user(request, _("Choose the record to keep."), messages.ERROR)
                return None
            result = participant_merge(
                actor=request.user,
                keep=keep,
                duplicates=[record for record in records if record.pk != keep.pk],
            )
            self.message_user(
                request,
                _(
                    "Merged into %(name)s: %(attendances)d attendance marks moved, "
                    "%(doubles_undone)d double marks kept as undone, %(deleted)d records removed."
                )
                % {"name": keep.name, **result},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/events/participant_merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge person records"),
                "records": records,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: marks are made on the attendance page, so that the rules apply."""

    list_display = ["participant", "session", "marked_by", "marked_at", "source", "revoked_at"]
    list_filter = ["source", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["participant", "session__event", "marked_by"]
    search_fields = ["participant__name", "session__event__title"]
    show_full_result_count = False

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Problem)
class ProblemAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "event", "stakeholder", "status", "discussed_at"]
    list_filter = ["status"]
    list_select_related = ["event", "discussed_at"]
    search_fields = ["description", "stakeholder"]
    autocomplete_fields = ["event", "discussed_at", "regency", "library"]
    readonly_fields = ["version"]

    def get_readonly_fields(self, request, obj=None):
        # A problem stays with the event it was raised at.
        shown = super().get_readonly_fields(request, obj)
        return [*shown, "event"] if obj is not None else shown

    def create_through_service(self, request, *, values):
        return problem_add(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return problem_update(actor=request.user, problem=obj, version=version, **changes)

    delete_related = ("event",)

    def delete_through_service(self, request, obj):
        problem_delete(actor=request.user, problem=obj)


@admin.register(Award)
class AwardAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["event", "category", "rank", "library", "winner"]
    list_filter = ["category"]
    list_select_related = ["event", "library"]
    autocomplete_fields = ["event", "library"]

    def get_readonly_fields(self, request, obj=None):
        # An award stays with the PLM that gave it.
        shown = super().get_readonly_fields(request, obj)
        return [*shown, "event"] if obj is not None else shown

    def create_through_service(self, request, *, values):
        return award_add(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return award_update(actor=request.user, award=obj, **changes)

    delete_related = ("event",)

    def delete_through_service(self, request, obj):
        award_delete(actor=request.user, award=obj)


@admin.register(Certificate)
class CertificateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only: certificates are issued and revoked on the event's certificates page, where
    the rules apply and every revocation says why."""

    list_display = ["number", "name", "event", "issued_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "event__kind"]
    list_select_related = ["event"]
    search_fields = ["number", "name", "event__title"]
    show_full_result_count = False
    exclude = ["sessions"]
    readonly_fields = ["attended", "number"]

    @admin.display(description=gettext_lazy("sessions attended"))
    def attended(self, certificate):
        return ", ".join(
            f"{entry['date']} {entry['name']} {entry['start']}-{entry['end']}".strip()
            for entry in certificate.sessions
        )

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
