"""Filters of the event list, with django-filter like every list of the portal."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event


class EventFilter(django_filters.FilterSet):
    # Bounded: a LIKE pattern of megabytes is refused by some databases (a 500, not a list).
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    kind = django_filters.ChoiceFilter(
        choices=Event.Kind.choices, label=_("Type"), empty_label=_("All types")
    )
    status = django_filters.ChoiceFilter(
        choices=Event.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    year = django_filters.NumberFilter(
        field_name="starts_at", lookup_expr="year", label=_("Year"), min_value=2018, max_value=2100
    )

    class Meta:
        model = Event
        fields = ["q", "kind", "status", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(venue__icontains=value))
