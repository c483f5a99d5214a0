import uuid
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.db.models import Count
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from libraries.data_version import province_data_changed
from libraries.formatting import format_number, format_rupiah
from libraries.models import (
    Activity,
    ActivityEvidence,
    Agreement,
    AidItem,
    BudgetAllocation,
    District,
    Library,
    LibraryManager,
    Partner,
    Province,
    Publication,
    Regency,
    Regulation,
    ReportCardSettings,
    Skill,
    Target,
    Threshold,
    User,
    Village,
    VisitorCount,
)
from libraries.paging import CappedCountPaginator
from libraries.reporting.services import (
    activity_delete,
    activity_record,
    activity_update,
    agreement_create,
    budget_allocation_create,
    evidence_delete,
    partner_create,
    partnership_record_delete,
    partnership_record_update,
    publication_delete,
    publication_record,
    publication_update,
    regulation_create,
    report_card_settings_save,
    target_delete,
    target_save,
    threshold_delete,
    threshold_save,
    visitor_count_delete,
    visitor_count_record,
)
from libraries.scope import Scope, ScopedQuerySet
from libraries.services import (
    aid_item_add,
    aid_item_delete,
    aid_item_update,
    library_create,
    library_delete,
    library_manager_add,
    library_manager_delete,
    library_manager_update,
    library_update,
)
from libraries.versioning import ServiceAdminMixin, VersionedAdminForm

admin.site.site_header = _("TPBIS Portal administration")
admin.site.site_title = _("TPBIS Portal")
admin.site.index_title = _("Programme administration")


def _in_scope(queryset, user):
    # A model's own ``visible_to`` may combine several paths (a consent is a story's or a
    # testimony's); the admin honours it, like ``get_in_scope_or_404`` does.
    if isinstance(queryset, ScopedQuerySet):
        return queryset.visible_to(user)
    if hasattr(queryset.model, "SCOPE_PATHS"):
        return Scope.for_user(user).filter(queryset)
    return queryset


class LocalTimeAdminMixin:
    """Times in the admin in the zone of the place they belong to, with the zone named.

    A row's zone is its province's, reached through ``SCOPE_PATHS["province"]``; rows without
    a province are in Jakarta time (WIB). A list converts each row's times on its own; a change
    page shows and reads every time (form fields, read-only fields, inlines, history) in the
    object's zone, or for a new object in the zone of the province chosen in the form. The
    default date formats end with the zone's abbreviation (``tpbis_portal.formats``).
    """

    def _province_path(self) -> list[str]:
        path = getattr(self.model, "SCOPE_PATHS", {}).get("province")
        return path.split("__") if path else []

    @staticmethod
    def _zone_along(value, path: list[str]) -> ZoneInfo | None:
        for name in path:
            step = getattr(value, name, None)
            if step is None:
                return None
            if not isinstance(step, models.Model):
                break  # the path ends on the province's own code (the province itself)
            value = step
        return ZoneInfo(value.time_zone) if isinstance(value, Province) else None

    def zone_of(self, obj) -> ZoneInfo | None:
        """The zone of ``obj``'s province, None when it has none."""
        return self._zone_along(obj, self._province_path())

    def _zone_of_new(self, request) -> ZoneInfo | None:
        """The zone of the province chosen in a posted add form (through its first hop)."""
        path = self._province_path()
        if not path or request.method != "POST":
            return None
        try:
            related = self.model._meta.get_field(path[0]).related_model
            first = related.objects.filter(pk=request.POST.get(path[0]) or None).first()
        except (ValueError, TypeError, LookupError, AttributeError):
            return None
        return self._zone_along(first, path[1:]) if first is not None else None

    def _datetime_fields(self) -> set[str]:
        return {
            field.name
            for field in self.model._meta.concrete_fields
            if isinstance(field, models.DateTimeField)
        }

    def _local_time_column(self, name: str):
        field = self.model._meta.get_field(name)

        def column(obj):
            value = getattr(obj, name)
            if value is None:
                return self.get_empty_value_display()
            zone = self.zone_of(obj) or ZoneInfo(settings.TIME_ZONE)
            return date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")

        column.short_description = field.verbose_name
        column.admin_order_field = name
        column.__name__ = name
        return column

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        times = self._datetime_fields()
        return [self._local_time_column(n) if n in times else n for n in shown]

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        path = "__".join(self._province_path())
        shown = super().get_list_display(request)
        if not path or related is True or not self._datetime_fields() & set(shown):
            return related
        if related is False:
            # What the admin would have joined by itself: the foreign keys it shows.
            related = [
                name
                for name in shown
                if isinstance(name, str)
                and name in {f.name for f in self.model._meta.concrete_fields}
                and self.model._meta.get_field(name).is_relation
            ]
        return [*related, path]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            zone = getattr(request, "admin_time_zone", None)
            if zone is not None:
                note = gettext("Local time of the place: %(zone)s (%(name)s).") % {
                    "zone": zone.tzname(timezone.now().astimezone(zone)),
                    "name": zone.key,
                }
            else:
                note = gettext(
                    "Local time of the province chosen in this form (WIB, WITA or WIT); "
                    "stored in UTC."
                )
            field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
        return field

    def _in_zone(self, request, zone, view):
        """Run ``view`` and render its page with ``zone`` as the current time zone."""
        request.admin_time_zone = zone
        with timezone.override(zone or ZoneInfo(settings.TIME_ZONE)):
            response = view()
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    def _zone_of_id(self, request, object_id) -> ZoneInfo | None:
        obj = self.get_object(request, unquote(object_id))
        return self.zone_of(obj) or ZoneInfo(settings.TIME_ZONE)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id:
            zone = self._zone_of_id(request, object_id)
        elif self._province_path():
            zone = self._zone_of_new(request)
        else:
            zone = ZoneInfo(settings.TIME_ZONE)
        return self._in_zone(
            request,
            zone,
            lambda: super(LocalTimeAdminMixin, self).changeform_view(
                request, object_id, form_url, extra_context
            ),
        )

    def history_view(self, request, object_id, extra_context=None):
        return self._in_zone(
            request,
            self._zone_of_history(request, object_id),
            lambda: super(LocalTimeAdminMixin, self).history_view(
                request, object_id, extra_context
            ),
        )

    def delete_view(self, request, object_id, extra_context=None):
        return self._in_zone(
            request,
            self._zone_of_id(request, object_id),
            lambda: super(LocalTimeAdminMixin, self).delete_view(request, object_id, extra_context),
        )

    def _zone_of_history(self, request, object_id) -> ZoneInfo:
        # The history of a deleted object is still readable (by national users): Jakarta time.
        obj = self.model._default_manager.filter(pk=unquote(object_id)).first()
        return (self.zone_of(obj) if obj is not None else None) or ZoneInfo(settings.TIME_ZONE)


class ScopedAdminMixin(LocalTimeAdminMixin):
    """Admin pages that show each user only their scope, with the portal's scope rule.

    Perpusnas staff and consultants may use the admin; consultants only inside their
    provinces. An object outside the scope answers 404, like everywhere else in the portal.
    Related choices (autocomplete included) are limited to the scope as well.
    """

    #: Consultants may only look, not change (regions, for example).
    read_only_for_consultants = False
    # Large tables at national scale: never count the whole table, count a filtered list only
    # up to a cap (libraries.paging).
    show_full_result_count = False
    paginator = CappedCountPaginator
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _scope(self, request):
        return Scope.for_user(request.user)

    def get_queryset(self, request):
        return _in_scope(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _ensure_in_scope(self, request, object_id):
        # National users may still read the history of a deleted object.
        if not self._scope(request).national:
            self.get_object(request, unquote(object_id))

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ensure_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _admits(self, request):
        user = request.user
        return user.is_active and user.is_staff and self._scope(request).sees_provinces

    def has_module_permission(self, request):
        return self._admits(request)

    def has_view_permission(self, request, obj=None):
        return self._admits(request)

    def _changes(self, request):
        scope = self._scope(request)
        if self.read_only_for_consultants and not scope.national:
            return False
        return self._admits(request) and scope.can_manage

    def has_add_permission(self, request, *args):
        return self._changes(request)

    def has_change_permission(self, request, obj=None):
        return self._changes(request)

    def has_delete_permission(self, request, obj=None):
        return self._changes(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _in_scope(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = _in_scope(field.queryset, request.user)
        return field


class ScopedRelatedListFilter(admin.RelatedFieldListFilter):
    """A sidebar filter offering only the related objects inside the user's scope."""

    def field_choices(self, field, request, model_admin):
        related = _in_scope(field.related_model._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in related]


class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The register is loaded from the official file; only superusers correct it by hand."""

    search_fields = ["code", "name"]
    list_display = ["code", "name"]
    show_full_result_count = False
    list_per_page = 50

    def _changes(self, request):
        return request.user.is_superuser


@admin.register(Province)
class ProvinceAdmin(RegionAdmin):
    list_display = ["code", "name", "time_zone"]
    list_filter = ["time_zone"]


@admin.register(Regency)
class RegencyAdmin(RegionAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]


@admin.register(District)
class DistrictAdmin(RegionAdmin):
    list_display = ["code", "name", "regency"]
    list_select_related = ["regency"]


@admin.register(Village)
class VillageAdmin(RegionAdmin):
    list_display = ["code", "name", "kind", "district", "regency_name"]
    list_filter = ["kind"]
    list_select_related = ["district__regency"]

    @admin.display(description=_("kabupaten/kota"))
    def regency_name(self, village):
        return village.district.regency.name

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete labels name the kecamatan and kab/kota: many villages share a name.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("district__regency"), may_have_duplicates


class RegencyListFilter(admin.SimpleListFilter):
    """Kab/kota of the province chosen in the province filter, never all 514 at once."""

    title = _("kabupaten/kota")
    parameter_name = "regency"

    def lookups(self, request, model_admin):
        province = request.GET.get("province__code__exact")
        scope = Scope.for_user(request.user)
        regencies = Regency.objects.all()
        if province:
            regencies = regencies.filter(province=province)
        elif scope.sees_several_provinces:
            return []
        regencies = _in_scope(regencies, request.user)
        return [(regency.code, regency.name) for regency in regencies]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(regency=self.value())
        return queryset


class AidItemInline(admin.TabularInline):
    model = AidItem
    extra = 0
    fields = ["kind", "description", "quantity", "received_on"]


class LibraryManagerInline(admin.TabularInline):
    model = LibraryManager
    extra = 0
    fields = ["name", "position", "phone", "email", "decree_number", "active"]


class ScopedInlineMixin:
    def has_add_permission(self, request, obj=None):
        return Scope.for_user(request.user).can_manage

    def has_change_permission(self, request, obj=None):
        return Scope.for_user(request.user).can_manage

    def has_delete_permission(self, request, obj=None):
        return Scope.for_user(request.user).can_manage

    def has_view_permission(self, request, obj=None):
        return not Scope.for_user(request.user).is_empty


class ScopedAidItemInline(ScopedInlineMixin, AidItemInline):
    pass


class ScopedLibraryManagerInline(ScopedInlineMixin, LibraryManagerInline):
    pass


class LibraryAdminForm(VersionedAdminForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Library
        fields = [
            "name",
            "level",
            "status",
            "npp",
            "province",
            "regency",
            "village",
            "cohort_year",
            "support_tier",
            "address",
            "phone",
            "email",
            "website",
        ]


@admin.register(Library)
class LibraryAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = LibraryAdminForm
    list_display = [
        "name",
        "npp",
        "level",
        "province",
        "regency",
        "cohort_year",
        "support_tier",
        "status",
    ]
    list_filter = [
        ("province", ScopedRelatedListFilter),
        RegencyListFilter,
        "level",
        "cohort_year",
        "support_tier",
        "status",
    ]
    list_select_related = ["province", "regency"]
    search_fields = ["name", "npp", "village__name", "regency__name", "village__code"]
    autocomplete_fields = ["province", "regency", "village"]
    inlines = [ScopedAidItemInline, ScopedLibraryManagerInline]
    readonly_fields = ["version", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "level", "status", "npp"]}),
        (_("Region"), {"fields": ["province", "regency", "village"]}),
        (_("Programme"), {"fields": ["cohort_year", "support_tier"]}),
        (_("Contact"), {"fields": ["address", "phone", "email", "website"]}),
        (_("Record"), {"fields": ["version", "created_at", "updated_at", "seen_version"]}),
    ]

    def create_through_service(self, request, *, values):
        # Registered with the rules of every other place a library is created (region, scope).
        return library_create(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return library_update(actor=request.user, library=obj, version=version, **changes)

    def save_formset(self, request, form, formset, change):
        # The aid package and the managers through their services: what the library's
        # support tier receives, one active head. The library's own save above checked the
        # version the editor opened, so a stale page saves none of its rows either.
        library, actor = form.instance, request.user
        # Sorts the rows into new, changed and deleted (the change message reads them).
        formset.save(commit=False)
        if formset.model is AidItem:
            add, update, delete, noun = aid_item_add, aid_item_update, aid_item_delete, "item"
        else:
            add, update, delete, noun = (
                library_manager_add,
                library_manager_update,
                library_manager_delete,
                "manager",
            )
        for row in formset.deleted_objects:
            delete(actor=actor, **{noun: row})
        editable = formset.form.base_fields
        for row, changed in formset.changed_objects:
            changes = {name: getattr(row, name) for name in changed if name in editable}
            update(actor=actor, **{noun: row}, **changes)
        for row in formset.new_objects:
            add(actor=actor, library=library, **{name: getattr(row, name) for name in editable})

    def delete_through_service(self, request, obj):
        library_delete(actor=request.user, library=obj)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Accounts and roles: Perpusnas staff only."""

    list_display = ["username", "first_name", "last_name", "role", "library", "is_active"]
    list_filter = ["role", "is_active", "provinces"]
    list_select_related = ["library"]
    autocomplete_fields = ["library"]
    filter_horizontal = ["provinces", "groups", "user_permissions"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Role in the programme"), {"fields": ["role", "provinces", "library", "phone"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (_("Role in the programme"), {"fields": ["role", "library"]}),
    ]

    # Only a superuser grants superuser status, groups or raw permissions; otherwise a
    # Perpusnas account could raise itself above its role.
    SUPERUSER_ONLY_FIELDS = ("is_superuser", "groups", "user_permissions")

    def _admits_national(self, request):
        user = request.user
        return user.is_active and user.is_staff and Scope.for_user(user).can_publish

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        field
                        for field in options["fields"]
                        if field not in self.SUPERUSER_ONLY_FIELDS
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def has_module_permission(self, request):
        return self._admits_national(request)

    def has_view_permission(self, request, obj=None):
        return self._admits_national(request)

    def has_add_permission(self, request):
        return self._admits_national(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return self._admits_national(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# Activity reporting. Consultants correct reports of their provinces here; every change is
# kept in the record's history. Targets and thresholds are Perpusnas staff's alone.


class ActivityEvidenceInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityEvidence
    extra = 0
    fields = ["kind", "file_link", "content_type", "uploaded_at"]
    readonly_fields = ["kind", "file_link", "content_type", "uploaded_at"]

    @admin.display(description=_("file"))
    def file_link(self, evidence):
        # Private files have no media URL; the portal's view checks the reader's scope.
        if not evidence.pk:
            return None
        extension = "pdf" if evidence.is_pdf else "jpg"
        return format_html(
            '<a href="{}">bukti-{}-{}.{}</a>',
            reverse("reporting:evidence-file", args=[evidence.pk]),
            evidence.activity_id,
            evidence.pk,
            extension,
        )

    def has_add_permission(self, request, obj=None):
        # New evidence goes through the portal's upload checks, never straight to storage.
        return False


@admin.register(Activity)
class ActivityAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "date", "library", "strategy", "kind", "participants"]
    list_filter = ["strategy", "kind", "library__province", "catalogue_skills"]
    list_select_related = ["library"]
    search_fields = ["title", "library__name"]
    date_hierarchy = "date"
    autocomplete_fields = ["library", "partners", "catalogue_skills"]
    readonly_fields = ["participants_total", "recorded_by", "created_at", "updated_at"]
    inlines = [ActivityEvidenceInline]
    show_full_result_count = False

    @admin.display(description=_("participants"), ordering="participants_total")
    def participants(self, activity):
        return format_number(activity.participants_total)

    def create_through_service(self, request, *, values):
        # A report added here by a corrector is recorded once, like one sent from a phone.
        activity, _created = activity_record(
            actor=request.user, idempotency_key=uuid.uuid4(), **values
        )
        return activity

    def update_through_service(self, request, obj, *, version, changes):
        return activity_update(actor=request.user, activity=obj, version=version, **changes)

    def save_formset(self, request, form, formset, change):
        # Evidence is only ever removed here, through the service that removes its files.
        formset.save(commit=False)
        for evidence in formset.deleted_objects:
            evidence_delete(actor=request.user, evidence=evidence)

    # Deletes go through the service, which removes the evidence files (personal data).

    delete_related = ("library",)

    def delete_through_service(self, request, obj):
        activity_delete(actor=request.user, activity=obj)


class PartnershipRecordAdminMixin:
    """Partners, agreements, regulations and budget allocations are corrected and deleted
    through the partnership services: the corrector's scope, a partner named in agreements
    or activities kept, the indicators of both provinces refreshed, the document removed
    once its row is gone."""

    def update_through_service(self, request, obj, *, version, changes):
        return partnership_record_update(actor=request.user, record=obj, **changes)

    delete_related = ("library",)

    def delete_through_service(self, request, obj):
        partnership_record_delete(actor=request.user, record=obj)


@admin.register(Partner)
class PartnerAdmin(
    PartnershipRecordAdminMixin, ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["name", "kind", "library"]
    list_filter = ["kind"]
    list_select_related = ["library"]
    search_fields = ["name", "library__name"]
    autocomplete_fields = ["library"]

    def create_through_service(self, request, *, values):
        return partner_create(actor=request.user, **values)


@admin.register(VisitorCount)
class VisitorCountAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["library", "month", "visitor_count"]
    list_select_related = ["library"]
    search_fields = ["library__name"]
    autocomplete_fields = ["library"]
    readonly_fields = ["recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        # A count is the count of its library and month: a wrong month is deleted, not moved.
        shown = super().get_readonly_fields(request, obj)
        return [*shown, "library", "month"] if obj is not None else shown

    def create_through_service(self, request, *, values):
        count, _created = visitor_count_record(actor=request.user, **values)
        return count

    def update_through_service(self, request, obj, *, version, changes):
        count, _created = visitor_count_record(
            actor=request.user,
            library=obj.library,
            month=obj.month,
            visitors=changes.get("visitors", obj.visitors),
        )
        return count

    delete_related = ("library",)

    def delete_through_service(self, request, obj):
        visitor_count_delete(actor=request.user, count=obj)

    @admin.display(description=_("visitors"), ordering="visitors")
    def visitor_count(self, count):
        return format_number(count.visitors)


class DocumentLinkMixin(PartnershipRecordAdminMixin):
    """Shows a record's PDF through the portal's scoped view: private files have no media URL.

    Documents are uploaded in the portal, where their content is checked; never here.
    """

    #: The kind of partnership record in the portal's document URL.
    document_kind: str
    exclude = ["document"]
    readonly_fields = ["document_link"]

    @admin.display(description=_("document (PDF)"))
    def document_link(self, record):
        if not record.pk or not record.document:
            return None
        url = reverse("reporting:partnership-document", args=[self.document_kind, record.pk])
        return format_html('<a href="{}">{}</a>', url, _("Document"))


@admin.register(Agreement)
class AgreementAdmin(
    DocumentLinkMixin,
    ServiceAdminMixin,
    ScopedAdminMixin,
    SimpleHistoryAdmin,
):
    list_display = ["title", "kind", "partner", "library", "signed_on", "valid_until"]
    list_filter = ["kind"]
    list_select_related = ["library", "partner"]
    search_fields = ["title", "number", "partner__name", "library__name"]
    autocomplete_fields = ["library", "partner"]
    document_kind = "kesepakatan"

    def create_through_service(self, request, *, values):
        return agreement_create(actor=request.user, **values)


@admin.register(Regulation)
class RegulationAdmin(
    DocumentLinkMixin,
    ServiceAdminMixin,
    ScopedAdminMixin,
    SimpleHistoryAdmin,
):
    list_display = ["title", "kind", "number", "library", "issued_on"]
    list_filter = ["kind"]
    list_select_related = ["library"]
    search_fields = ["title", "number", "library__name"]
    autocomplete_fields = ["library"]
    document_kind = "regulasi"

    def create_through_service(self, request, *, values):
        return regulation_create(actor=request.user, **values)


@admin.register(BudgetAllocation)
class BudgetAllocationAdmin(
    PartnershipRecordAdminMixin, ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    list_display = ["library", "source", "rupiah", "decided_on"]
    list_filter = ["source"]
    list_select_related = ["library"]
    search_fields = ["purpose", "library__name"]
    autocomplete_fields = ["library"]

    @admin.display(description=_("amount"), ordering="amount")
    def rupiah(self, allocation):
        return format_rupiah(allocation.amount)

    def create_through_service(self, request, *, values):
        return budget_allocation_create(actor=request.user, **values)


class PerpusnasOnlyAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    def _changes(self, request):
        return self._admits(request) and self._scope(request).can_set_targets


class RefreshesAllIndicatorsMixin:
    """A setting that colours or labels every province's figures (the open-data licence),
    saved by the admin itself where no service writes it."""

    def _refresh(self):
        province_data_changed(*Province.objects.values_list("code", flat=True))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._refresh()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._refresh()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._refresh()


@admin.register(Target)
class TargetAdmin(ServiceAdminMixin, PerpusnasOnlyAdmin):
    list_display = ["indicator", "level", "cohort_year", "year", "per_month"]
    list_filter = ["year", "indicator", "level"]
    readonly_fields = ["set_by"]

    def create_through_service(self, request, *, values):
        return target_save(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return target_save(actor=request.user, target=obj, **changes)

    def delete_through_service(self, request, obj):
        target_delete(actor=request.user, target=obj)


@admin.register(Threshold)
class ThresholdAdmin(ServiceAdminMixin, PerpusnasOnlyAdmin):
    list_display = ["indicator", "yellow_from", "green_from"]

    def get_readonly_fields(self, request, obj=None):
        # One threshold per indicator: the service finds it by its indicator.
        shown = super().get_readonly_fields(request, obj)
        return [*shown, "indicator"] if obj is not None else shown

    def create_through_service(self, request, *, values):
        return threshold_save(actor=request.user, **values)

    def update_through_service(self, request, obj, *, version, changes):
        return threshold_save(
            actor=request.user,
            indicator=obj.indicator,
            yellow_from=changes.get("yellow_from", obj.yellow_from),
            green_from=changes.get("green_from", obj.green_from),
        )

    def delete_through_service(self, request, obj):
        threshold_delete(actor=request.user, threshold=obj)


@admin.register(Publication)
class PublicationAdmin(ServiceAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "channel", "library", "published_on"]
    list_filter = ["channel", "library__province"]
    list_select_related = ["library"]
    search_fields = ["title", "url", "library__name"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["library"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]
    show_full_result_count = False

    def create_through_service(self, request, *, values):
        publication, _created = publication_record(
            actor=request.user, idempotency_key=uuid.uuid4(), **values
        )
        return publication

    def update_through_service(self, request, obj, *, version, changes):
        return publication_update(actor=request.user, publication=obj, version=version, **changes)

    delete_related = ("library",)

    def delete_through_service(self, request, obj):
        publication_delete(actor=request.user, publication=obj)


@admin.register(ReportCardSettings)
class ReportCardSettingsAdmin(ServiceAdminMixin, PerpusnasOnlyAdmin):
    """One row: the weights and cut-offs of every report card."""

    list_display = [
        "__str__",
        "weight_engagement",
        "weight_publication",
        "weight_advocacy",
        "green_above",
        "yellow_from",
    ]
    readonly_fields = ["updated_by"]

    def has_add_permission(self, request, *args):
        # There is one row (number 1); the list makes it with the defaults when missing, so
        # that staff only ever change it, and no admin page pays a query to ask.
        return False

    def changelist_view(self, request, extra_context=None):
        if self._changes(request):
            ReportCardSettings.objects.get_or_create(pk=ReportCardSettings.current().pk)
        return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False

    def update_through_service(self, request, obj, *, version, changes):
        return report_card_settings_save(actor=request.user, **changes)


@admin.register(Skill)
class SkillAdmin(PerpusnasOnlyAdmin):
    """The catalogue of skills taught: Perpusnas staff keep it; everyone in a scope reads it."""

    list_display = ["name", "active", "activity_count"]
    list_filter = ["active"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(activity_count=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, skill):
        return format_number(skill.activity_count)

    def get_actions(self, request):
        # No bulk delete: a skill that activities name is retired (not offered), never lost.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.activities.exists():
            return False
        return super().has_delete_permission(request, obj)
