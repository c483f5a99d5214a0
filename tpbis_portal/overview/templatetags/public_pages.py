from django import template

from tpbis_portal.overview import addresses

register = template.Library()


@register.simple_tag
def province_url(province):
    return addresses.province_url(province)


@register.simple_tag
def library_url(library, province=None):
    return addresses.library_url(library, province)


@register.simple_tag
def province_stories_url(province):
    return addresses.province_stories_url(province)


@register.simple_tag
def story_url(story, province=None):
    return addresses.story_url(story, province)


@register.simple_tag
def regency_url(regency, province=None):
    return addresses.regency_url(regency, province)


@register.simple_tag
def regency_url_of(province, code, name):
    return addresses.regency_url_of(province, code, name)


@register.simple_tag
def province_data_url(province, fmt="csv"):
    return addresses.province_data_url(province, fmt)


@register.simple_tag
def province_products_url(province):
    return addresses.province_products_url(province)
