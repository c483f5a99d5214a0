from django import template

from tpbis_portal.overview import public as public_views

register = template.Library()


@register.simple_tag
def province_url(province):
    return public_views.province_url(province)


@register.simple_tag
def library_url(library, province=None):
    return public_views.library_url(library, province)
