from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345678 -> 12.345.678, the Indonesian way, whatever the active language."""
    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, Decimal | float):
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


@register.filter
def rupiah(value) -> str:
    return "Rp " + thousands(value)


@register.filter
def get_indicator(report, indicator: str):
    return report[indicator]


@register.filter
def indicator_label(value) -> str:
    return value.label
