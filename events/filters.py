"""Filters of the event list, with django-filter like every list of the portal."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from events.models import Attendance, Event, EventSession, Registration
from libraries.filtering import ListFilterSet


class EventFilter(ListFilterSet):
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


class RosterFilter(ListFilterSet):
    """Filters of a session's participant list (the attendance page and its sign sheet)."""

    # Two letters at least, as the page's own search on the device; bounded like every search.
    q = django_filters.CharFilter(method="search", label=_("Find a person"), max_length=100)
    hadir = django_filters.ChoiceFilter(
        method="present",
        choices=[("1", _("Only people marked present"))],
        label=_("Attendance"),
        empty_label=_("Everyone on the list"),
    )

    class Meta:
        model = Registration
        fields = ["q", "hadir"]

    def __init__(self, data=None, queryset=None, *, session: EventSession, **kwargs):
        if queryset is None:
            queryset = Registration.objects.filter(event_id=session.event_id)
        super().__init__(data, queryset, **kwargs)
        self.session = session

    @property
    def query(self) -> str:
        """The search as read (empty when it could not be read or is too short to search)."""
        if not self.is_bound or not self.is_valid():
            return ""
        value = (self.form.cleaned_data.get("q") or "").strip()
        return value if len(value) >= 2 else ""

    @property
    def narrows(self) -> bool:
        """Whether the list shown is a part of the roster (a search, a choice, or an error)."""
        if not self.is_bound:
            return False
        if not self.is_valid():
            return True
        return bool(self.query or self.form.cleaned_data.get("hadir"))

    def search(self, queryset, name, value):
        value = value.strip()
        if len(value) < 2:
            return queryset
        # The person's name or where they come from: their library, else their institution.
        return queryset.filter(
            Q(participant__name__icontains=value)
            | Q(participant__library__name__icontains=value)
            | Q(participant__library__isnull=True, participant__institution__icontains=value)
        )

    def present(self, queryset, name, value):
        if value != "1":
            return queryset
        marks = Attendance.objects.active().filter(
            session=self.session, participant_id=OuterRef("participant_id")
        )
        return queryset.filter(Exists(marks))
