from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from impact.models import Story
from libraries.models import Library, Province
from tpbis_portal.overview.public import library_url, province_url


class PublicPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "public:provinces"]

    def location(self, item):
        return reverse(item)


class ProvinceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Province.objects.order_by("code")

    def location(self, item):
        return province_url(item)


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
        return Story.objects.public().only("pk", "published_at").order_by("pk")

    def location(self, item):
        return reverse("impact:public-story", args=[item.pk])

    def lastmod(self, item):
        return item.published_at


SITEMAPS = {
    "pages": PublicPagesSitemap,
    "provinces": ProvinceSitemap,
    "libraries": LibrarySitemap,
    "stories": StorySitemap,
}
