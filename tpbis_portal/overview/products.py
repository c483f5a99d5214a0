"""The public page of a province's community products.

Only products whose producer's consent to be named and shown stands (``Product.objects.public``),
with their photo, library and where to buy them. Cached like the province pages under the
province's data version: recording or withdrawing a consent renews it, so the change shows in
the same request.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from impact.products.selectors import public_products
from libraries.models import Province
from tpbis_portal.overview.addresses import canonical, province_products_url
from tpbis_portal.overview.cache import cached_public_page, render_public

PAGE_SIZE = 12


@require_GET
@cached_public_page(reads=["page"])
def province_products(request, code: str, slug: str = ""):
    province = get_object_or_404(Province, code=code)
    if response := canonical(request, province_products_url(province)):
        return response
    page = Paginator(public_products(province.code), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_public(
        request,
        "public/province_products.html",
        {"province": province, "page": page},
    )
