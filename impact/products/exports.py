"""CSV and XLSX exports of products and offers. Callers pass querysets already limited to the
user's scope. The producer's name is in the export: it is a staff document, like the list."""

from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from impact.models import ProductConsent
from libraries.exports import stream_csv, xlsx_response


def _stamp() -> str:
    return timezone.localdate().isoformat()


def _product_header() -> list[str]:
    return [
        _("ID"),
        _("Product name"),
        _("Kind of product"),
        _("Producer or group"),
        _("Library"),
        _("Kabupaten/kota"),
        _("Province"),
        _("Where to buy it"),
        _("Lowest price (Rp)"),
        _("Highest price (Rp)"),
        _("Monthly income before (Rp)"),
        _("Monthly income after (Rp)"),
        _("Exhibited at PLMs"),
        _("Stakeholder offers"),
        _("Consent to be shown"),
    ]


def _product_rows(products) -> Iterator[list]:
    products = (
        products.select_related("library__province", "library__regency")
        .annotate(
            n_offers=Count("offers", distinct=True),
            n_exhibitions=Count("exhibitions", distinct=True),
            consented=Exists(ProductConsent.objects.active().filter(product=OuterRef("pk"))),
        )
        .order_by("library__province", "library__regency", "name", "pk")
    )
    for product in products.iterator(chunk_size=500):
        yield [
            product.pk,
            product.name,
            product.get_kind_display(),
            product.producer_name,
            product.library.name,
            product.library.regency.name if product.library.regency_id else "",
            product.library.province.name,
            product.sold_where,
            product.price_min,
            product.price_max,
            product.income_before,
            product.income_after,
            product.n_exhibitions,
            product.n_offers,
            _("yes") if product.consented else _("no"),
        ]


def _offer_header() -> list[str]:
    return [
        _("ID"),
        _("Product name"),
        _("Library"),
        _("Kabupaten/kota"),
        _("Province"),
        _("Stakeholder Meeting"),
        _("Kind of offer"),
        _("What is offered"),
        _("Stakeholder"),
        _("Organisation"),
        _("Follow-up status"),
        _("Follow-up"),
    ]


def _offer_rows(offers) -> Iterator[list]:
    offers = offers.select_related(
        "product__library__province", "product__library__regency", "event"
    ).order_by("product__library__province", "product__library__regency", "created_at", "pk")
    for offer in offers.iterator(chunk_size=500):
        library = offer.product.library
        yield [
            offer.pk,
            offer.product.name,
            library.name,
            library.regency.name if library.regency_id else "",
            library.province.name,
            offer.event.title,
            offer.get_kind_display(),
            offer.detail,
            offer.stakeholder,
            offer.organisation,
            offer.get_status_display(),
            offer.follow_up,
        ]


def products_response(products, fmt: str):
    filename = f"produk-{_stamp()}.{fmt}"
    if fmt == "csv":
        return stream_csv(filename, _product_header(), _product_rows(products))
    return xlsx_response(filename, _("Products"), _product_header(), _product_rows(products))


def offers_response(offers, fmt: str):
    filename = f"tawaran-produk-{_stamp()}.{fmt}"
    if fmt == "csv":
        return stream_csv(filename, _offer_header(), _offer_rows(offers))
    return xlsx_response(filename, _("Offers"), _offer_header(), _offer_rows(offers))


__all__ = ["offers_response", "products_response"]
