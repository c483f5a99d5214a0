"""Addresses of the earlier public schemes answer a permanent redirect to the current ones.

People bookmarked and shared them, and search engines indexed them. A story's old address
redirects only while the story is public: otherwise it is a 404 like its page, and the
redirect reveals nothing (not even the province) about a story that is not public.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from impact import selectors
from libraries.models import Library, Province
from tpbis_portal.overview.addresses import library_url, province_stories_url, story_url


def _moved(request, url: str):
    query = request.META.get("QUERY_STRING")
    return redirect(f"{url}?{query}" if query else url, permanent=True)


@require_GET
def library_moved(request, code: str, pk: int, slug: str = "", library_slug: str = ""):
    """/provinsi/<code>-<name>/<id>-<name>/ (the library page before the perpustakaan/ part)."""
    library = get_object_or_404(Library.objects.active().select_related("province"), pk=pk)
    return _moved(request, library_url(library))


@require_GET
def story_index_moved(request):
    """/cerita/publik/."""
    return _moved(request, reverse("public:stories"))


@require_GET
def province_stories_moved(request, code: str):
    """/cerita/provinsi/<code>/."""
    return _moved(request, province_stories_url(get_object_or_404(Province, code=code)))


@require_GET
def story_moved(request, pk: int):
    """/cerita/baca/<id>/."""
    story = get_object_or_404(selectors.public_stories(), pk=pk)
    return _moved(request, story_url(story))
