"""Small counts of people by gender, hidden so that no published figure gives them back.

A count of one or two people of a gender in a small place could point at a person, so it is
hidden (primary suppression). That is not enough when it can be worked out from what is
published: the province's men minus the men of every other kab/kota give it back, and so does
a place's participants minus its women. Complementary (secondary) suppression hides further
cells until no hidden small count can be derived.

The published figures form a tree of places (the province, its kab/kota, their libraries),
each with its men and women; a place's participants (men + women) are always published, and a
place's men (and women) are the sum of its children's. A place that is not published anywhere
(a withdrawn library has no page) starts with both cells hidden.

The rule, repeated until nothing changes:

1. Every relation (a place's men + women = its participants; a place's men = the sum of its
   children's men, and so for women) with exactly one hidden cell gives that cell away by
   subtraction: hide the next-smallest published part as well (a non-zero one where there is
   one; the total when no part is left).
2. Then check each hidden small count against chains of subtractions across levels and the
   fact that counts are never negative. A hidden count is safe when a different table agrees
   with every published figure: one where a person of the place is counted under the other
   gender, and so are the places above it up to where its path meets that of another place
   where someone is counted the other way round (or up to the top, whose participants are all
   that is published about it). Every place on the way must have both cells hidden and
   someone to recount. Since the relations are sums along a tree, any table that agrees with
   the published figures differs from the true one by such changes; where none exists, hide
   the next-smallest neighbouring place as well, and go back to 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

MALE, FEMALE = "male", "female"
GENDERS = (MALE, FEMALE)


@dataclass(frozen=True)
class Place:
    key: Hashable
    parent: Hashable | None
    male: int
    female: int
    #: False for a place shown nowhere (its cells are unknown to readers from the start).
    published: bool = True

    def count(self, gender: str) -> int:
        return self.male if gender == MALE else self.female


Cell = tuple  # (place key, gender)


def suppress_by_gender(places: Iterable[Place], *, small: int) -> set[Cell]:
    """The cells ``(place key, gender)`` to hide: every count from 1 to ``small``, and what
    would let one be worked out."""
    tree = _Tree(list(places))
    sensitive = {
        (place.key, gender)
        for place in tree.places.values()
        for gender in GENDERS
        if 0 < place.count(gender) <= small
    }
    hidden = set(sensitive)
    hidden |= {(p.key, g) for p in tree.places.values() if not p.published for g in GENDERS}
    while True:
        tree.close_single_gaps(hidden)
        unsafe = [cell for cell in sorted(sensitive, key=repr) if not tree.movable(cell[0], hidden)]
        if not unsafe:
            return hidden
        extra = next((found for key, _g in unsafe if (found := tree.partner(key, hidden))), None)
        if extra is None:  # pragma: no cover - the root's cells can always be hidden
            raise ValueError("No cell left to hide, yet a small count can be derived.")
        hidden |= extra


class _Tree:
    def __init__(self, places: list[Place]):
        self.places = {place.key: place for place in places}
        self.children: dict[Hashable, list[Hashable]] = defaultdict(list)
        for place in places:
            if place.parent is not None:
                self.children[place.parent].append(place.key)
        # total cell (or None for a place's own participants) -> part cells
        self.relations: list[tuple[Cell | None, list[Cell]]] = [
            (None, [(key, MALE), (key, FEMALE)]) for key in self.places
        ]
        for parent, kids in self.children.items():
            if parent not in self.places:
                raise ValueError(f"The parent {parent!r} is not one of the places.")
            for gender in GENDERS:
                self.relations.append(((parent, gender), [(kid, gender) for kid in kids]))

    def value(self, cell: Cell) -> int:
        return self.places[cell[0]].count(cell[1])

    # Step 1: the brief rule of rows and columns.

    def close_single_gaps(self, hidden: set[Cell]) -> None:
        changed = True
        while changed:
            changed = False
            for total, parts in self.relations:
                cells = parts if total is None else [*parts, total]
                if sum(cell in hidden for cell in cells) != 1:
                    continue
                shown = [cell for cell in parts if cell not in hidden]
                # The next-smallest part; a hidden zero protects nobody, so a part that counts
                # someone comes first.
                shown.sort(key=lambda cell: (self.value(cell) == 0, self.value(cell), repr(cell)))
                if shown:
                    hidden.add(shown[0])
                elif total is not None and total not in hidden:
                    hidden.add(total)
                else:
                    continue
                changed = True

    # Step 2: moves of one person that keep every published figure.

    def _both_hidden(self, key, hidden: set[Cell]) -> bool:
        return (key, MALE) in hidden and (key, FEMALE) in hidden

    def _can_step(self, key, hidden: set[Cell], gains: str) -> bool:
        """One more of ``gains`` and one fewer of the other gender, unseen by any reader."""
        loses = FEMALE if gains == MALE else MALE
        return self._both_hidden(key, hidden) and self.places[key].count(loses) >= 1

    def _reaches_a_library(self, key, hidden: set[Cell], gains: str) -> bool:
        """Whether a path of such steps runs from ``key`` down to a place without children."""
        if not self._can_step(key, hidden, gains):
            return False
        kids = self.children.get(key)
        return not kids or any(self._reaches_a_library(kid, hidden, gains) for kid in kids)

    def movable(self, key, hidden: set[Cell]) -> bool:
        """Whether one person can be moved through ``key`` without changing anything shown."""
        for gains in GENDERS:
            other = FEMALE if gains == MALE else MALE
            if not self._reaches_a_library(key, hidden, gains):
                continue
            # Up from ``key`` through places that can take the step, until the path meets one
            # coming down to another place, or reaches the top (whose participants are all
            # that is published above it).
            current = key
            while True:
                parent = self.places[current].parent
                if parent is None:
                    return True
                if any(
                    self._reaches_a_library(sibling, hidden, other)
                    for sibling in self.children[parent]
                    if sibling != current
                ):
                    return True
                if not self._can_step(parent, hidden, gains):
                    break
                current = parent
        return False

    def partner(self, key, hidden: set[Cell]) -> set[Cell] | None:
        """Cells to hide so that ``key`` gets a hidden neighbour to move a person with: the
        smallest sibling that counts someone, else the parent (and so on up)."""
        current = key
        while True:
            parent = self.places[current].parent
            if parent is None:
                return None
            siblings = sorted(
                (
                    sibling
                    for sibling in self.children[parent]
                    if sibling != current
                    and not self._both_hidden(sibling, hidden)
                    and (self.places[sibling].male or self.places[sibling].female)
                ),
                key=lambda s: (self.places[s].male + self.places[s].female, repr(s)),
            )
            if siblings:
                return {(siblings[0], gender) for gender in GENDERS}
            if not self._both_hidden(parent, hidden):
                return {(parent, gender) for gender in GENDERS}
            current = parent
