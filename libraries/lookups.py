"""Integer lookups that match nothing, instead of failing, for values a column cannot hold.

An id typed into a URL, a form or a JSON body can be any number of digits. Since Django 5.0
``exact``, ``gt``, ``lt`` and their kin on an integer column treat a value beyond the column's
range as matching nothing (or everything), but ``in`` does not, nor does ``exact`` through a
foreign key: SQLite then raises ``OverflowError`` ("Python int too large to convert to SQLite
INTEGER") and the request answers 500, e.g. a form with ``libraries=99999999999999999999``.

The lookups below apply the same rule to those two: a value outside the range of the column
(of the referenced column, for a foreign key) cannot be stored there, so it matches no row.
Registered once in ``LibrariesConfig.ready``, they cover every query of the portal: model
choice fields, the admin's actions and filters, and the views alike.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FieldError
from django.db import models
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In


def _integer_range(field, connection) -> tuple[int | None, int | None] | None:
    """The range of values the column of ``field`` holds, or None if it is not an integer."""
    # A foreign key holds the values of the column it refers to.
    while field.is_relation:
        try:
            field = field.target_field
        except FieldError:  # a relation over several columns
            return None
    if not isinstance(field, models.IntegerField):
        return None
    return connection.ops.integer_field_range(field.get_internal_type())


def _fits(value, bounds) -> bool:
    if not isinstance(value, int) or isinstance(value, bool):
        return True
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


class _StorableValuesOnly:
    """For ``in``: leave out the values the column cannot hold (they match nothing)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _integer_range(self.lhs.output_field, connection)
            if bounds is not None:
                self.rhs = [value for value in self.rhs if _fits(value, bounds)]
        return super().process_rhs(compiler, connection)


class IntegerIn(_StorableValuesOnly, In):
    pass


class BoundedRelatedIn(_StorableValuesOnly, RelatedIn):
    pass


class BoundedRelatedExact(RelatedExact):
    """``exact`` through a foreign key: a value the column cannot hold matches no row."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            bounds = _integer_range(self.lhs.output_field, connection)
            if bounds is not None and not _fits(self.rhs, bounds):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    models.IntegerField.register_lookup(IntegerIn)
    ForeignObject.register_lookup(BoundedRelatedIn)
    ForeignObject.register_lookup(BoundedRelatedExact)
