import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from libraries.filtering import ListFilterSet
from libraries.models import FIRST_COHORT_YEAR, Library, Province, Regency


class LibraryFilter(ListFilterSet):
    """Filters of the registry list and its exports; the choices follow the user's scope."""

    # Bounded: SQLite refuses a LIKE pattern above 50,000 bytes (a 500, not an empty list).
    q = django_filters.CharFilter(method="search", label=_("Name, place or NPP"), max_length=100)
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.none(), label=_("Province"), empty_label=_("All provinces")
    )
    regency = django_filters.ModelChoiceFilter(
        queryset=Regency.objects.none(),
        label=_("Kabupaten/kota"),
        empty_label=_("All kabupaten/kota"),
    )
    level = django_filters.ChoiceFilter(
        choices=Library.Level.choices, label=_("Level"), empty_label=_("All levels")
    )
    cohort_year = django_filters.NumberFilter(
        label=_("Cohort year"), min_value=FIRST_COHORT_YEAR, max_value=2100
    )
    support_tier = django_filters.ChoiceFilter(
        choices=Library.SupportTier.choices, label=_("Support tier"), empty_label=_("All tiers")
    )
    status = django_filters.ChoiceFilter(
        choices=Library.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = Library
        fields = ["q", "province", "regency", "level", "cohort_year", "support_tier", "status"]

    def __init__(self, data=None, queryset=None, *, scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        provinces = scope.provinces()
        regencies = scope.regencies()
        # Only the kab/kota of the chosen province, never all 514 in one dropdown.
        province_code = (data or {}).get("province")
        if province_code:
            regencies = regencies.filter(province=province_code)
        elif scope.sees_several_provinces:
            regencies = regencies.none()
        self.filters["province"].queryset = provinces
        self.filters["regency"].queryset = regencies

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(village__name__icontains=value)
            | Q(regency__name__icontains=value)
            # The NPP as people copy it, spaces and dots included.
            | Q(npp__icontains=re.sub(r"[\s.\-]", "", value).upper() or value)
        )
