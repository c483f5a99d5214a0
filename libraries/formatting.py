"""Counts and amounts written the way of the page's language.

English groups thousands with a comma and writes decimals with a dot (5,408 and 519.8);
Indonesian the other way round (5.408 and 519,8). Django knows both from its locale formats;
these helpers ask it, so that no page mixes the two. ``USE_THOUSAND_SEPARATOR`` stays off: it
would also group ids, years and versions written into links and hidden inputs.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def format_number(value) -> str:
    """A whole number grouped by thousands; other numbers with one decimal; "-" for nothing."""
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        value = Decimal(str(value))
    if isinstance(value, Decimal) and value != value.to_integral_value():
        rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return number_format(rounded, decimal_pos=1, use_l10n=True, force_grouping=True)
    return number_format(int(value), use_l10n=True, force_grouping=True)


def format_score(value) -> str:
    """A report-card score with two decimals (81,00 in Indonesian); "-" for no score."""
    if value is None or value == "":
        return "-"
    rounded = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=2, use_l10n=True, force_grouping=True)


def format_rupiah(value) -> str:
    return "Rp " + format_number(value)
