"""The addresses of the public pages."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify

from libraries.models import Library, Province


def province_url(province: Province) -> str:
    return reverse(
        "public:province", kwargs={"code": province.code, "slug": slugify(province.name)}
    )


def library_url(library: Library, province: Province | None = None) -> str:
    province = province or library.province
    return reverse(
        "public:library",
        kwargs={
            "code": province.code,
            "slug": slugify(province.name),
            "pk": library.pk,
            "library_slug": slugify(library.name),
        },
    )


def canonical(request, url: str):
    """Send an old or mistyped slug to the page's one address, keeping the query."""
    if request.path == url:
        return None
    query = request.META.get("QUERY_STRING")
    return redirect(f"{url}?{query}" if query else url, permanent=True)
