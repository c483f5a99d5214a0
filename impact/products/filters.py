"""Filters of the product and offer lists and their exports, with django-filter like every
list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impact.models import Product, ProductOffer
from libraries.filtering import ListFilterSet
from libraries.models import Province, Regency
from libraries.scope import Scope


def _regions_for(scope: Scope, data):
    provinces = scope.provinces()
    regencies = scope.regencies()
    province_code = (data or {}).get("province")
    # A province code is two digits; anything else (a NUL byte, say) is left to the form.
    if province_code and str(province_code).isdigit():
        regencies = regencies.filter(province=province_code)
    elif scope.sees_several_provinces:
        regencies = regencies.none()
    return provinces, regencies


class ProductFilter(ListFilterSet):
    """Filters of the product list and its exports; the choices follow the user's scope."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    province = django_filters.ModelChoiceFilter(
        field_name="library__province",
        queryset=Province.objects.none(),
        label=_("Province"),
        empty_label=_("All provinces"),
    )
    regency = django_filters.ModelChoiceFilter(
        field_name="library__regency",
        queryset=Regency.objects.none(),
        label=_("Kabupaten/kota"),
        empty_label=_("All kabupaten/kota"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Product.Kind.choices, label=_("Kind of product"), empty_label=_("All kinds")
    )
    offers = django_filters.ChoiceFilter(
        method="with_offers",
        label=_("Stakeholder offers"),
        empty_label=_("With or without"),
        choices=[("yes", _("With an offer")), ("no", _("Without an offer"))],
    )

    class Meta:
        model = Product
        fields = ["q", "province", "regency", "kind", "offers"]

    def __init__(self, data=None, queryset=None, *, scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        provinces, regencies = _regions_for(scope, data)
        self.filters["province"].queryset = provinces
        self.filters["regency"].queryset = regencies

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(producer_name__icontains=value)
            | Q(library__name__icontains=value)
        )

    def with_offers(self, queryset, name, value):
        if value == "yes":
            return queryset.with_offers()
        if value == "no":
            return queryset.exclude(pk__in=Product.objects.with_offers().values("pk"))
        return queryset


class OfferFilter(ListFilterSet):
    """Filters of the offer list (follow-ups) and its exports."""

    province = django_filters.ModelChoiceFilter(
        field_name="product__library__province",
        queryset=Province.objects.none(),
        label=_("Province"),
        empty_label=_("All provinces"),
    )
    regency = django_filters.ModelChoiceFilter(
        field_name="product__library__regency",
        queryset=Regency.objects.none(),
        label=_("Kabupaten/kota"),
        empty_label=_("All kabupaten/kota"),
    )
    kind = django_filters.ChoiceFilter(
        choices=ProductOffer.Kind.choices, label=_("Kind of offer"), empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        choices=ProductOffer.Status.choices,
        label=_("Follow-up status"),
        empty_label=_("All statuses"),
    )

    class Meta:
        model = ProductOffer
        fields = ["province", "regency", "kind", "status"]

    def __init__(self, data=None, queryset=None, *, scope, **kwargs):
        super().__init__(data, queryset, **kwargs)
        provinces, regencies = _regions_for(scope, data)
        self.filters["province"].queryset = provinces
        self.filters["regency"].queryset = regencies
