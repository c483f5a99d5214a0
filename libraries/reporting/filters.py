"""Filters of the activity list and its exports, with django-filter like every list."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from libraries.filtering import ListFilterSet
from libraries.models import Activity, Library, Publication, Strategy
from libraries.reporting.forms import PeriodForm


class ActivityPeriodForm(PeriodForm):
    """The list may span every year; indicator pages always cover one period."""

    def __init__(self, data=None, **kwargs):
        super().__init__(data, all_years=True, **kwargs)


class ActivityFilter(ListFilterSet):
    strategi = django_filters.ChoiceFilter(
        field_name="strategy",
        choices=Strategy.choices,
        label=_("Strategy"),
        empty_label=_("All strategies"),
    )
    # Set by the links of a library's page; kept, not shown.
    perpustakaan = django_filters.ModelChoiceFilter(
        field_name="library",
        queryset=Library.objects.none(),
        label=_("Library"),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Activity
        fields = ["strategi", "perpustakaan"]
        form = ActivityPeriodForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["perpustakaan"].queryset = Library.objects.visible_to(user)

    def filter_queryset(self, queryset):
        if self.form.errors:
            # A filter that cannot be read shows nothing rather than everything.
            return queryset.none()
        # The period's fields belong to the form, not to a filter: apply them apart.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        period = self.form.period() if self.form.is_valid() else None
        if period is not None:
            queryset = queryset.between(period.start, period.end)
        return queryset


class PublicationFilter(ListFilterSet):
    saluran = django_filters.ChoiceFilter(
        field_name="channel",
        choices=Publication.Channel.choices,
        label=_("Channel"),
        empty_label=_("All channels"),
    )
    # Set by the link of a library's report card; kept, not shown.
    perpustakaan = django_filters.ModelChoiceFilter(
        field_name="library",
        queryset=Library.objects.none(),
        label=_("Library"),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Publication
        fields = ["saluran", "perpustakaan"]
        form = ActivityPeriodForm

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["perpustakaan"].queryset = Library.objects.visible_to(user)

    def filter_queryset(self, queryset):
        if self.form.errors:
            # A filter that cannot be read shows nothing rather than everything.
            return queryset.none()
        # The period's fields belong to the form, not to a filter: apply them apart.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        period = self.form.period() if self.form.is_valid() else None
        if period is not None:
            queryset = queryset.between(period.start, period.end, "published_on")
        return queryset
