"""The search of a province's public library directory, with the portal's one filter
mechanism (``libraries.filtering.ListFilterSet``).

Unlike the signed-in lists, a public visitor's unreadable value (an old link, a typed
address) does not empty the directory: that field is left out of the search, the form says
why, and the other fields still apply. The page cache keys a copy on ``PARAMETERS`` only.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.filtering import ListFilterSet
from libraries.models import Library


class LibraryDirectoryFilter(ListFilterSet):
    # Bounded: SQLite refuses a LIKE pattern above 50,000 bytes (a 500, not an empty list).
    q = django_filters.CharFilter(
        method="search", label=_("Library, kab/kota or village name"), max_length=100
    )
    regency = django_filters.ChoiceFilter(
        label=_("Kabupaten/kota"), empty_label=_("All kabupaten/kota")
    )
    level = django_filters.ChoiceFilter(
        choices=Library.Level.choices, label=_("Level"), empty_label=_("All levels")
    )
    cohort = django_filters.ChoiceFilter(
        field_name="cohort_year", label=_("Cohort year"), empty_label=_("All cohorts")
    )

    class Meta:
        model = Library
        fields = ["q", "regency", "level", "cohort"]

    def __init__(self, data=None, queryset=None, *, summary, **kwargs):
        """``summary``: the province's figures, whose kab/kota and cohorts are the choices."""
        super().__init__(data, queryset, **kwargs)
        self.filters["regency"].extra["choices"] = [
            (regency.code, regency.name) for regency in summary.regencies
        ]
        self.filters["cohort"].extra["choices"] = [
            (year, year) for year in summary.totals.cohort_years
        ]

    def filter_queryset(self, queryset):
        # What the form could read (cleaned_data holds the valid fields only), not nothing.
        return django_filters.FilterSet.filter_queryset(self, queryset)

    @property
    def searching(self) -> bool:
        """Whether the visitor asked for anything the search could read."""
        return self.is_bound and any(
            value not in (None, "") for value in self.form.cleaned_data.values()
        )

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(name__icontains=text)
            | Q(village__name__icontains=text)
            | Q(regency__name__icontains=text)
        )


#: The query parameters of the directory's page: its search and its page number.
PARAMETERS = (*LibraryDirectoryFilter.base_filters, "page")
