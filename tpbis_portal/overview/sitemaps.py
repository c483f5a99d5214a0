"""What search engines read: the sitemaps (an index of sections) and robots.txt."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemaps_views
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from impact.models import Product, Story
from libraries.models import Library, Province, Regency
from tpbis_portal.overview.addresses import (
    library_url,
    province_products_url,
    province_url,
    regency_url,
    story_url,
)
from tpbis_portal.overview.cache import cached_public_page


class PublicPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "public:provinces", "public:stories", "public:open-data"]

    def location(self, item):
        return reverse(item)


class ProvinceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Province.objects.order_by("code")

    def location(self, item):
        return province_url(item)


class RegencySitemap(Sitemap):
    """The kab/kota with a participating library (the others' pages say there is none)."""

    changefreq = "weekly"

    def items(self):
        return (
            Regency.objects.filter(code__in=Library.objects.active().values("regency"))
            .select_related("province")
            .order_by("code")
        )

    def location(self, item):
        return regency_url(item, item.province)


class LibrarySitemap(Sitemap):
    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return Library.objects.active().select_related("province").order_by("pk")

    def location(self, item):
        return library_url(item)

    def lastmod(self, item):
        return item.updated_at


class StorySitemap(Sitemap):
    """Published stories whose consent stands; a withdrawn one leaves at once."""

    changefreq = "monthly"
    limit = 10_000

    def items(self):
        return (
            Story.objects.public()
            .select_related("library__province")
            .only("pk", "published_at", "library__province__code", "library__province__name")
            .order_by("pk")
        )

    def location(self, item):
        return story_url(item)

    def lastmod(self, item):
        return item.published_at


class ProductPagesSitemap(Sitemap):
    """The product pages of the provinces with a product whose producer consented."""

    changefreq = "weekly"

    def items(self):
        shown = Product.objects.public().filter(library__province=OuterRef("code"))
        return Province.objects.filter(Exists(shown)).order_by("code")

    def location(self, item):
        return province_products_url(item)


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "provinces": ProvinceSitemap,
    "regencies": RegencySitemap,
    "libraries": LibrarySitemap,
    "stories": StorySitemap,
    "products": ProductPagesSitemap,
}


# The sitemaps list every participating library and public story: thousands of addresses that
# take seconds to render. They are cached like the pages (renewed with the country's data
# version, so a withdrawn story leaves with the next change) and split into an index of
# sections.
sitemap_index = require_GET(cached_public_page()(sitemaps_views.index))
sitemap_section = require_GET(cached_public_page(reads=["p"])(sitemaps_views.sitemap))


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /akun/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
