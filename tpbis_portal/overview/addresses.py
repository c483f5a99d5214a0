"""The addresses of the public pages: one scheme, everything under its province.

    /provinsi/                                          the provinces
    /provinsi/cerita/                                   the provinces with published stories
    /provinsi/data-terbuka/                             national open data, dictionary, licence
    /provinsi/<code>-<name>/                            a province
    /provinsi/<code>-<name>/data.csv (.xlsx)            its open data
    /provinsi/<code>-<name>/kab/<code>-<name>/          one of its kab/kota
    /provinsi/<code>-<name>/perpustakaan/<id>-<name>/   one of its libraries
    /provinsi/<code>-<name>/cerita/                     its published stories
    /provinsi/<code>-<name>/cerita/<id>/                one story
    /provinsi/<code>-<name>/produk/                     its community products (consented)

The code and the id find the page; a missing or outdated name answers a permanent redirect to
the current address (``canonical``), and so do the addresses of the earlier schemes
(``overview/moved.py``). A story's address carries no title: a title may name a person, and
an address outlives an edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify

from libraries.models import Library, Province, Regency

if TYPE_CHECKING:
    from impact.models import Story


def _province_kwargs(province: Province) -> dict:
    return {"code": province.code, "slug": slugify(province.name)}


def province_url(province: Province) -> str:
    return reverse("public:province", kwargs=_province_kwargs(province))


def regency_url(regency: Regency, province: Province | None = None) -> str:
    """The public page of a kab/kota; ``province`` spares a query when the caller has it."""
    province = province or regency.province
    return reverse(
        "public:regency",
        kwargs={
            **_province_kwargs(province),
            "regency_code": regency.code,
            "regency_slug": slugify(regency.name),
        },
    )


def regency_url_of(province: Province, code: str, name: str) -> str:
    """The same from a kab/kota's code and name (a row of the aggregates)."""
    return reverse(
        "public:regency",
        kwargs={**_province_kwargs(province), "regency_code": code, "regency_slug": slugify(name)},
    )


def library_url(library: Library, province: Province | None = None) -> str:
    province = province or library.province
    return reverse(
        "public:library",
        kwargs={
            **_province_kwargs(province),
            "pk": library.pk,
            "library_slug": slugify(library.name),
        },
    )


def province_stories_url(province: Province) -> str:
    return reverse("public:province-stories", kwargs=_province_kwargs(province))


def province_products_url(province: Province) -> str:
    return reverse("public:province-products", kwargs=_province_kwargs(province))


def story_url(story: Story, province: Province | None = None) -> str:
    """The public page of a story; ``province`` spares a query when the caller has it."""
    province = province or story.library.province
    return reverse("public:story", kwargs={**_province_kwargs(province), "pk": story.pk})


def story_card_url(story: Story, *, pdf: bool = False) -> str:
    """The printable card of a public story, next to its page."""
    name = "public:story-card-pdf" if pdf else "public:story-card"
    return reverse(name, kwargs={**_province_kwargs(story.library.province), "pk": story.pk})


def province_data_url(province: Province, fmt: str = "csv") -> str:
    """A province's open data, as ``csv`` or ``xlsx``."""
    return reverse(f"public:province-{fmt}", kwargs=_province_kwargs(province))


def canonical(request, url: str):
    """Send an old or mistyped slug to the page's one address, keeping the query."""
    if request.path == url:
        return None
    query = request.META.get("QUERY_STRING")
    return redirect(f"{url}?{query}" if query else url, permanent=True)
