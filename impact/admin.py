"""Read-only admin pages: stories change state only through the portal's services, which
check consent and record every step; the admin is for looking things up."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from impact.models import (
    Consent,
    Photo,
    Product,
    ProductConsent,
    ProductExhibition,
    ProductOffer,
    ReviewEvent,
    SelectionDecision,
    Story,
    Testimony,
)
from libraries.admin import ScopedAdminMixin


class ReadOnlyScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = [
        "kind",
        "photo",
        "given_by",
        "guardian_relation",
        "method",
        "witness",
        "given_on",
        "recorded_by",
        "recorded_at",
        "withdrawn_at",
        "withdrawn_reason",
        "superseded_at",
        "superseded_reason",
        "superseded_by",
    ]
    readonly_fields = fields


class ReviewEventInline(ReadOnlyInline):
    model = ReviewEvent
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields


class SelectionInline(ReadOnlyInline):
    model = SelectionDecision
    fields = ["level", "reason", "decided_by", "decided_at"]
    readonly_fields = fields


@admin.register(Story)
class StoryAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "library", "status", "domain", "age_group", "updated_at"]
    list_filter = ["status", "domain", "library__province", "library__cohort_year"]
    list_select_related = ["library"]
    search_fields = ["title", "library__name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ConsentInline, ReviewEventInline, SelectionInline]

    @admin.display(description=_("title"), ordering="title")
    def name(self, story):
        # A draft without a title still needs a name to click on.
        return str(story)


@admin.register(Photo)
class PhotoAdmin(ReadOnlyScopedAdmin):
    list_display = ["alt_text", "story", "shows_face", "uploaded_at", "removed_at"]
    list_select_related = ["story"]


class TestimonyConsentInline(ConsentInline):
    fields = [name for name in ConsentInline.fields if name != "photo"]
    readonly_fields = fields


@admin.register(Testimony)
class TestimonyAdmin(ReadOnlyScopedAdmin):
    list_display = ["__str__", "library", "status", "given_on", "story"]
    list_filter = ["status", "library__province"]
    list_select_related = ["library", "story"]
    search_fields = ["quote", "library__name"]
    readonly_fields = ["created_at", "updated_at", "published_at"]
    inlines = [TestimonyConsentInline]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "story",
        "testimony",
        "kind",
        "given_by",
        "method",
        "recorded_at",
        "withdrawn_at",
        "superseded_at",
    ]
    list_filter = ["kind", "method"]
    list_select_related = ["story", "testimony"]
    exclude = ["signed_form"]
    readonly_fields = ["signed_form_link"]

    @admin.display(description=_("signed form"))
    def signed_form_link(self, consent):
        # Private files have no media URL (the read-only page would fail on it); the portal's
        # view checks the reader's scope.
        if not consent.signed_form:
            return None
        return format_html(
            '<a href="{}">{}</a>', reverse("impact:consent-file", args=[consent.pk]), _("Open")
        )


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["story", "from_status", "to_status", "actor", "created_at"]
    list_select_related = ["story", "actor"]


@admin.register(SelectionDecision)
class SelectionDecisionAdmin(ReadOnlyScopedAdmin):
    list_display = ["story", "level", "decided_by", "decided_at"]
    list_filter = ["level"]
    list_select_related = ["story", "decided_by"]


class ProductConsentInline(ReadOnlyInline):
    model = ProductConsent
    fields = [
        "given_by",
        "method",
        "witness",
        "given_on",
        "recorded_by",
        "recorded_at",
        "withdrawn_at",
        "withdrawn_reason",
    ]
    readonly_fields = fields


class ProductExhibitionInline(ReadOnlyInline):
    model = ProductExhibition
    fields = ["event", "recorded_by", "recorded_at"]
    readonly_fields = fields


class ProductOfferInline(ReadOnlyInline):
    model = ProductOffer
    fields = ["event", "kind", "detail", "organisation", "stakeholder", "status", "follow_up"]
    readonly_fields = fields


@admin.register(Product)
class ProductAdmin(ReadOnlyScopedAdmin):
    list_display = ["name", "kind", "producer_name", "library", "created_at"]
    list_filter = [
        "kind",
        "library__province",
        "library__level",
        "exhibitions__event__kind",
        "offers__kind",
        "offers__status",
    ]
    list_select_related = ["library"]
    search_fields = ["name", "producer_name", "library__name"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ProductConsentInline, ProductExhibitionInline, ProductOfferInline]


@admin.register(ProductOffer)
class ProductOfferAdmin(ReadOnlyScopedAdmin):
    list_display = ["product", "kind", "organisation", "event", "status", "updated_at"]
    list_filter = ["kind", "status", "product__library__province", "event__kind"]
    list_select_related = ["product", "event"]
    search_fields = ["product__name", "organisation", "stakeholder"]


@admin.register(ProductConsent)
class ProductConsentAdmin(ReadOnlyScopedAdmin):
    list_display = ["product", "given_by", "method", "recorded_at", "withdrawn_at"]
    list_filter = ["method"]
    list_select_related = ["product"]
    exclude = ["signed_form"]
    readonly_fields = ["signed_form_link"]

    @admin.display(description=_("signed form"))
    def signed_form_link(self, consent):
        # As for a story's consent: no media URL for a private file, the scoped view instead.
        if not consent.signed_form:
            return None
        return format_html(
            '<a href="{}">{}</a>', reverse("products:consent-file", args=[consent.pk]), _("Open")
        )
