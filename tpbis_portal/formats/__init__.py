"""The portal's own date formats (FORMAT_MODULE_PATH), on top of Django's for each language.

A time shown without its zone is ambiguous in a country of three zones: the default formats of
a date with a time end with the zone's abbreviation (``T``: WIB, WITA or WIT for the zone the
value is shown in).
"""
