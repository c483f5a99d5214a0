"""Filters of the story list (the moderation queue), with django-filter like every list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from impact.models import Story
from libraries.filtering import ListFilterSet
from libraries.models import FIRST_COHORT_YEAR, Province


class StoryFilter(ListFilterSet):
    province = django_filters.ModelChoiceFilter(
        field_name="library__province",
        queryset=Province.objects.none(),
        label=_("Province"),
        empty_label=_("All provinces"),
    )
    status = django_filters.ChoiceFilter(
        choices=Story.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    domain = django_filters.ChoiceFilter(
        choices=Story.Domain.choices, label=_("Domain of change"), empty_label=_("All domains")
    )
    cohort = django_filters.NumberFilter(
        field_name="library__cohort_year",
        label=_("Cohort year"),
        min_value=FIRST_COHORT_YEAR,
        max_value=2100,
    )

    class Meta:
        model = Story
        fields = ["province", "status", "domain", "cohort"]

    def __init__(self, data=None, queryset=None, *, scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["province"].queryset = scope.provinces().order_by("code")
