from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from libraries import exports
from libraries.filters import LibraryFilter
from libraries.forms import LibraryEditForm
from libraries.models import Library, LibraryManager
from libraries.scope import Scope, get_in_scope_or_404
from libraries.services import EditConflict, library_update

PAGE_SIZE = 50


def _filtered_libraries(request):
    scope = Scope.for_user(request.user)
    queryset = Library.objects.visible_to(request.user).with_regions()
    return LibraryFilter(request.GET, queryset=queryset, scope=scope)


@login_required
@require_GET
def library_list(request):
    library_filter = _filtered_libraries(request)
    page = Paginator(library_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "libraries/library_list.html",
        {
            "filter": library_filter,
            "page": page,
            "scope": Scope.for_user(request.user),
        },
    )


@login_required
@require_GET
def library_export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    library_filter = _filtered_libraries(request)
    if not library_filter.is_valid():
        messages.error(request, _("The filters are not valid; nothing was exported."))
        return redirect("libraries:list")
    rows = library_filter.qs.annotate(aid_item_count=Count("aid_items"))
    if fmt == "csv":
        return exports.libraries_csv(rows)
    return exports.libraries_xlsx(rows)


@login_required
@require_GET
def library_detail(request, pk: int):
    library = get_in_scope_or_404(
        request.user,
        Library.objects.with_regions().prefetch_related(
            "aid_items",
            Prefetch("managers", queryset=LibraryManager.objects.filter(active=True)),
        ),
        pk=pk,
    )
    return render(
        request,
        "libraries/library_detail.html",
        {"library": library, "can_manage": Scope.for_user(request.user).can_manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_edit(request, pk: int):
    library = get_in_scope_or_404(request.user, Library.objects.with_regions(), manage=True, pk=pk)
    form = LibraryEditForm(request.POST or None, instance=library)
    if request.method == "POST" and form.is_valid():
        try:
            library_update(
                actor=request.user,
                library=library,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except EditConflict:
            form.add_error(
                None,
                _(
                    "Somebody else saved this library while you were editing. Your changes "
                    "were not saved: reload the page to see the current data, then edit again."
                ),
            )
        else:
            messages.success(request, _("The library was saved."))
            return redirect("libraries:detail", pk=library.pk)
    return render(request, "libraries/library_edit.html", {"library": library, "form": form})
