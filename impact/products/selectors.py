"""Reads of community products that the public pages and the dashboards share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Window

from impact.models import Product, ProductExhibition, ProductOffer

# What a public card reads of a product: nothing about a producer without consent, since only
# products whose consent stands are read at all.
PUBLIC_FIELDS = (
    "pk",
    "name",
    "kind",
    "description",
    "producer_name",
    "producer_is_group",
    "sold_where",
    "price_min",
    "price_max",
    "photo",
    "photo_alt",
    "library__id",
    "library__name",
    "library__province_id",
    "library__regency__name",
)


def public_products(province_code: str):
    """The consented products of a province, newest first, with their library's region."""
    return (
        Product.objects.public()
        .filter(library__province=province_code)
        .select_related("library__regency")
        .only(*PUBLIC_FIELDS)
        .order_by("-created_at", "-pk")
    )


def public_product_cards(*, province_code: str, limit: int = 6):
    """The newest public products of a province and how many there are, in one query."""
    cards = list(public_products(province_code).annotate(total=Window(Count("pk")))[:limit])
    return cards, (cards[0].total if cards else 0)


@dataclass(frozen=True)
class ProductFigures:
    """Counts for the indicators: products recorded, with a stakeholder offer, exhibited,
    and offers realised."""

    products: int = 0
    with_offer: int = 0
    exhibited: int = 0
    offers_done: int = 0


def product_figures(
    *,
    province_codes: tuple[str, ...] | None = None,
    regency_code: str | None = None,
    library_id: int | None = None,
) -> ProductFigures:
    """Counts of all recorded products of an area (consented or not: counts name nobody)."""
    products = Product.objects.all()
    if province_codes is not None:
        products = products.filter(library__province__in=province_codes)
    if regency_code is not None:
        products = products.filter(library__regency=regency_code)
    if library_id is not None:
        products = products.filter(library=library_id)
    # One query: the join with the offers repeats a product once per offer, hence distinct.
    counts = products.aggregate(
        products=Count("pk", distinct=True),
        with_offer=Count("pk", distinct=True, filter=Q(offers__isnull=False)),
        exhibited=Count(
            "pk",
            distinct=True,
            filter=Q(Exists(ProductExhibition.objects.filter(product=OuterRef("pk")))),
        ),
        offers_done=Count("offers", filter=Q(offers__status=ProductOffer.Status.DONE)),
    )
    return ProductFigures(**counts)
