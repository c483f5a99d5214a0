"""Pages for community products: record, list, consent, PLM exhibition and SHM offers.

Every object comes through the scope rule: another province's product answers 404; a role
that may only read it (a consultant on a librarian's record, a librarian on an event) 403.
"""

from functools import partial
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.selectors import event_for
from impact.consent_pages import (
    consent_form_response,
    signed_form_response,
    withdrawal_response,
)
from impact.forms import WithdrawForm
from impact.models import Product, ProductConsent, ProductExhibition, ProductOffer
from impact.products import exports, services
from impact.products.filters import OfferFilter, ProductFilter
from impact.products.forms import (
    ExhibitionForm,
    OfferFollowUpForm,
    OfferForm,
    ProductConsentForm,
    ProductForm,
    ProductPhotoForm,
)
from libraries.scope import Scope, get_in_scope_or_404
from libraries.storage import file_response

PAGE_SIZE = 25


def _conflict_message() -> str:
    return _(
        "This product was saved by someone else while you were editing. Your changes were not "
        "saved: reload the page, then make them again."
    )


def _product(request, pk: int, *, write: bool = False) -> Product:
    product = get_in_scope_or_404(
        request.user,
        Product.objects.select_related("library__province", "library__regency"),
        pk=pk,
    )
    if write and not Scope.for_user(request.user).reports_for(product.library):
        raise PermissionDenied
    return product


def _local_today(product: Product):
    return timezone.localdate(timezone=ZoneInfo(product.library.province.time_zone))


# Lists and exports ---------------------------------------------------------------------------


def _filtered_products(request):
    products = Product.objects.visible_to(request.user)
    product_filter = ProductFilter(
        request.GET or None, queryset=products, scope=Scope.for_user(request.user)
    )
    return product_filter, product_filter.qs


def _filtered_offers(request):
    offers = ProductOffer.objects.visible_to(request.user)
    offer_filter = OfferFilter(
        request.GET or None, queryset=offers, scope=Scope.for_user(request.user)
    )
    return offer_filter, offer_filter.qs


@login_required
@require_GET
def product_list(request):
    product_filter, products = _filtered_products(request)
    products = (
        products.select_related("library__province", "library__regency")
        .annotate(
            offer_count=Count("offers", distinct=True),
            exhibition_count=Count("exhibitions", distinct=True),
            public=Exists(ProductConsent.objects.active().filter(product=OuterRef("pk"))),
        )
        .order_by("library__province", "library__regency", "name", "pk")
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "impact/product_list.html", {"filter": product_filter, "page": page})


@login_required
@require_GET
def offer_list(request):
    """Stakeholders' offers and their follow-ups, per province and kab/kota."""
    offer_filter, offers = _filtered_offers(request)
    offers = offers.select_related(
        "product__library__province", "product__library__regency", "event"
    ).order_by("product__library__province", "product__library__regency", "-created_at", "pk")
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "impact/offer_list.html", {"filter": offer_filter, "page": page})


@login_required
@require_GET
def product_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _filter, products = _filtered_products(request)
    return exports.products_response(products, fmt)


@login_required
@require_GET
def offer_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _filter, offers = _filtered_offers(request)
    return exports.offers_response(offers, fmt)


# A product -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request):
    Scope.for_user(request.user).require(Scope.for_user(request.user).can_report)
    form = ProductForm(request.POST or None, request.FILES or None, user=request.user)
    form.keep_files(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create(
                actor=request.user,
                library=form.cleaned_data["library"],
                create_key=form.cleaned_data["create_key"],
                photo=form.cleaned_data["photo"] or None,
                photo_alt=form.cleaned_data["photo_alt"],
                **form.content(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form.release_files()
            messages.success(
                request,
                _(
                    "The product was recorded. Record the producer's consent to show it on "
                    "the public pages."
                ),
            )
            return redirect("products:detail", pk=product.pk)
    if request.method == "POST":
        # The photo chosen is not lost to another field's error.
        form.hold_files()
    return render(request, "impact/product_form.html", {"form": form, "product": None})


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk: int):
    product = _product(request, pk, write=True)
    form = ProductForm(request.POST or None, instance=product, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(
                product=product,
                actor=request.user,
                version=form.cleaned_data["version"] or 0,
                **form.content(),
            )
        except services.EditConflict:
            form.add_error(None, _conflict_message())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The product was saved."))
            return redirect("products:detail", pk=product.pk)
    return render(
        request,
        "impact/product_form.html",
        {"form": form, "product": product, "photo_form": ProductPhotoForm()},
    )


@login_required
@require_GET
def product_detail(request, pk: int):
    product = get_in_scope_or_404(
        request.user,
        Product.objects.select_related(
            "library__province", "library__regency", "recorded_by", "training_event"
        ).prefetch_related(
            Prefetch(
                "consents",
                queryset=ProductConsent.objects.select_related(
                    "recorded_by", "withdrawn_recorded_by"
                ),
            ),
            Prefetch("exhibitions", queryset=ProductExhibition.objects.select_related("event")),
            Prefetch("offers", queryset=ProductOffer.objects.select_related("event")),
            "stories",
        ),
        pk=pk,
    )
    consents = list(product.consents.all())
    return render(
        request,
        "impact/product_detail.html",
        {
            "product": product,
            "consents": consents,
            "standing": next((c for c in consents if c.is_active), None),
            "writes": Scope.for_user(request.user).reports_for(product.library),
            "manages": Scope.for_user(request.user).manages_province(product.library.province_id),
            "withdraw_form": WithdrawForm(),
            "tz": product.library.province.time_zone,
        },
    )


@login_required
@require_POST
def product_delete(request, pk: int):
    product = _product(request, pk, write=True)
    try:
        services.product_delete(product=product, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("products:detail", pk=product.pk)
    messages.success(request, _("The product was deleted."))
    return redirect("products:list")


@login_required
@require_POST
def product_photo_set(request, pk: int):
    product = _product(request, pk, write=True)
    form = ProductPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_photo_set(
                product=product,
                actor=request.user,
                photo=form.cleaned_data["photo"],
                photo_alt=form.cleaned_data["photo_alt"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The photo was saved."))
            return redirect("products:detail", pk=product.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, _("The photo was not saved: %(why)s") % {"why": error})
    return redirect("products:edit", pk=product.pk)


@login_required
@require_POST
def product_photo_remove(request, pk: int):
    product = _product(request, pk, write=True)
    services.product_photo_remove(product=product, actor=request.user)
    messages.success(request, _("The photo was removed."))
    return redirect("products:detail", pk=product.pk)


@require_GET
def product_photo(request, pk: int, size: str):
    """Product photos never have a public path: in-scope users, or the public for a product
    whose producer's consent stands."""
    if size not in ("full", "thumb"):
        raise Http404
    product = Product.objects.visible_to(request.user).filter(pk=pk).first()
    private = product is not None
    if product is None:
        product = get_object_or_404(Product.objects.public(), pk=pk)
    return file_response(
        product.photo if size == "full" else product.thumbnail,
        content_type="image/jpeg",
        # A withdrawn consent must take effect at once: nothing may serve a stale copy.
        cache_control="private, no-store" if private else "no-cache",
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_consent_add(request, pk: int):
    product = _product(request, pk, write=True)
    form = ProductConsentForm(
        request.POST or None,
        request.FILES or None,
        product=product,
        today=_local_today(product),
    )
    return consent_form_response(
        request,
        form,
        record=partial(services.product_consent_record, product=product),
        done=_("The consent was recorded; the product is shown on the public pages."),
        back=reverse("products:detail", args=[product.pk]),
        template="impact/product_consent_form.html",
        context={"product": product},
    )


@login_required
@require_POST
def product_consent_withdraw(request, pk: int):
    consent = get_in_scope_or_404(
        request.user, ProductConsent.objects.select_related("product__library"), pk=pk
    )
    return withdrawal_response(
        request,
        consent,
        withdraw=services.product_consent_withdraw,
        done=_("The withdrawal was recorded; the product is no longer public."),
        back=redirect("products:detail", pk=consent.product_id),
    )


@login_required
@require_GET
def product_consent_file(request, pk: int):
    consent = get_in_scope_or_404(request.user, ProductConsent, pk=pk)
    return signed_form_response(consent, "persetujuan-produk")


# Products at a PLM or an SHM -----------------------------------------------------------------


def _plm_candidates(event):
    """The products a PLM may have exhibited: those of its province; at the national PLM,
    those the provincial PLMs exhibited (not every product of the country on one page)."""
    products = Product.objects.select_related("library__regency").order_by("name", "pk")
    if event.kind == event.Kind.PLM_NATIONAL:
        return products.filter(
            Exists(
                ProductExhibition.objects.filter(product=OuterRef("pk")).filter(
                    Q(event__kind=event.Kind.PLM_PROVINCE) | Q(event=event)
                )
            )
        )
    return products.filter(library__province=event.province_id)


@login_required
@require_GET
def event_products(request, pk: int):
    """A PLM's exhibition (which products were shown) or an SHM's offers, product by product."""
    event = event_for(request.user, pk)
    if not (event.is_plm or event.is_shm):
        raise Http404
    manage = Scope.for_user(request.user).manages_province(event.province_id)
    context = {"event": event, "manage": manage}
    if event.is_plm:
        # A librarian invited to the event sees the products of their own scope only.
        candidates = _plm_candidates(event).visible_to(request.user)
        exhibited = list(
            ProductExhibition.objects.filter(event=event).values_list("product_id", flat=True)
        )
        context["exhibition_form"] = ExhibitionForm(
            candidates=candidates,
            initial={"products": exhibited, "shown": list(candidates.values_list("pk", flat=True))},
        )
        context["exhibited"] = candidates.filter(pk__in=exhibited)
    else:
        products = list(
            Product.objects.for_shm(event)
            .visible_to(request.user)
            .select_related("library__regency")
            .prefetch_related(
                Prefetch(
                    "offers",
                    queryset=ProductOffer.objects.filter(event=event),
                    to_attr="offers_here",
                )
            )
            .order_by("name", "pk")
        )
        context["products"] = [
            (
                product,
                OfferForm(prefix=f"n{product.pk}"),
                [
                    (offer, OfferFollowUpForm(instance=offer, prefix=f"o{offer.pk}"))
                    for offer in product.offers_here
                ],
            )
            for product in products
        ]
    return render(request, "impact/event_products.html", context)


@login_required
@require_POST
def exhibitions_save(request, pk: int):
    event = event_for(request.user, pk, manage=True)
    if not event.is_plm:
        raise Http404
    form = ExhibitionForm(request.POST, candidates=_plm_candidates(event))
    if not form.is_valid():
        messages.error(request, _("Choose products of the PLM's province; nothing was changed."))
        return redirect("products:event", pk=event.pk)
    try:
        added, removed = services.exhibitions_set(
            actor=request.user,
            event=event,
            products=form.cleaned_data["products"],
            shown=form.cleaned_data["shown"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Saved: %(added)d products marked as exhibited, %(removed)d unmarked.")
            % {"added": added, "removed": removed},
        )
    return redirect("products:event", pk=event.pk)


@login_required
@require_POST
def offer_add(request, pk: int, product_pk: int):
    event = event_for(request.user, pk, manage=True)
    if not event.is_shm:
        raise Http404
    product = get_object_or_404(Product.objects.for_shm(event), pk=product_pk)
    form = OfferForm(request.POST, prefix=f"n{product.pk}")
    if not form.is_valid():
        messages.error(
            request,
            _("The offer for “%(product)s” was not saved: %(errors)s")
            % {
                "product": product.name,
                "errors": " ".join(
                    f"{form.fields[name].label if name in form.fields else ''}: {message}"
                    for name, errors in form.errors.items()
                    for message in errors
                ),
            },
        )
        return redirect(f"{reverse('products:event', args=[event.pk])}#product-{product.pk}")
    try:
        services.offer_record(actor=request.user, event=event, product=product, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The offer for “%(product)s” was recorded.") % {"product": product.name}
        )
    return redirect(f"{reverse('products:event', args=[event.pk])}#product-{product.pk}")


@login_required
@require_POST
def offer_follow_up(request, pk: int):
    offer = get_in_scope_or_404(
        request.user, ProductOffer.objects.select_related("event", "product"), pk=pk
    )
    event = event_for(request.user, offer.event_id, manage=True)
    back = f"{reverse('products:event', args=[event.pk])}#product-{offer.product_id}"
    form = OfferFollowUpForm(request.POST, instance=offer, prefix=f"o{offer.pk}")
    if not form.is_valid():
        messages.error(
            request,
            _("The follow-up was not saved: %(errors)s")
            % {
                "errors": " ".join(message for errors in form.errors.values() for message in errors)
            },
        )
        return redirect(back)
    try:
        services.offer_update(
            actor=request.user,
            offer=offer,
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            follow_up=form.cleaned_data["follow_up"],
        )
    except services.EditConflict:
        messages.error(
            request, _("Somebody else updated this offer meanwhile; your change was not saved.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The follow-up was saved."))
    return redirect(back)
