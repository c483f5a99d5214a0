"""The one filter mechanism of the portal's lists: django-filter, with Django's
``{% querystring %}`` keeping the filters in paging and export links.

Every list's FilterSet derives from ``ListFilterSet``: a value that cannot be read shows the list
empty with the form's error, never a 500 and never every row as if no filter had been asked.
"""

import django_filters


class ListFilterSet(django_filters.FilterSet):
    def filter_queryset(self, queryset):
        if self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)
