"""Complementary suppression: no hidden small count can be worked out from what is published.

The attacker here is independent of the rule: it enumerates every assignment of whole,
non-negative numbers to the hidden cells that agrees with everything published, and a hidden
small count is safe only if it can take more than one value.
"""

import random
from dataclasses import dataclass

import pytest

from tpbis_portal.overview.suppression import FEMALE, GENDERS, MALE, Place, suppress_by_gender


def gender_table(rows: dict[str, tuple[int, int]]) -> list[Place]:
    """Rows of (men, women) under one total row, as the open-data CSV publishes them."""
    places = [Place(name, "total", men, women) for name, (men, women) in rows.items()]
    men = sum(men for men, _women in rows.values())
    women = sum(women for _men, women in rows.values())
    return [Place("total", None, men, women), *places]


def published(places: list[Place]):
    """Every cell's value and the sums a reader can use: each place's participants (men +
    women) and each place's men and women as the sum of its children's."""
    values = {(p.key, g): p.count(g) for p in places for g in GENDERS}
    relations = [Relation(parts=((p.key, MALE), (p.key, FEMALE))) for p in places]
    for parent in {p.parent for p in places if p.parent is not None}:
        kids = [p.key for p in places if p.parent == parent]
        for gender in GENDERS:
            relations.append(
                Relation(parts=tuple((kid, gender) for kid in kids), total=(parent, gender))
            )
    return values, relations


@dataclass(frozen=True)
class Relation:
    parts: tuple
    total: tuple | None = None

    @property
    def cells(self):
        return self.parts if self.total is None else (*self.parts, self.total)


def safe(places: list[Place], hidden: set) -> bool:
    """No hidden count from 1 to 2 can be recovered by a reader of the published cells."""
    values, relations = published(places)
    sensitive = {cell for cell, value in values.items() if 0 < value <= 2}
    return not (recoverable(values, relations, hidden) & sensitive)


def _bound(cell, values, relations, hidden) -> int:
    """The largest value a hidden cell can take: no more than any published total over it."""
    totals = [
        sum(values[part] for part in relation.parts)
        if relation.total is None
        else values[relation.total]
        for relation in relations
        if cell in relation.parts and (relation.total is None or relation.total not in hidden)
    ]
    return min(totals, default=max(values.values()))


def recoverable(values, relations, hidden) -> set:
    """Hidden cells whose value every assignment consistent with the published data shares
    (a depth-first search over whole numbers, pruned as soon as a relation fails)."""
    hidden = sorted(hidden, key=repr)
    bounds = {cell: _bound(cell, values, relations, hidden) for cell in hidden}
    possible = {cell: set() for cell in hidden}

    def holds(relation, trial) -> bool:
        total = (
            trial[relation.total]
            if relation.total is not None
            else sum(values[part] for part in relation.parts)
        )
        return sum(trial[part] for part in relation.parts) == total

    def search(index: int, trial: dict) -> None:
        if index == len(hidden):
            for cell in hidden:
                possible[cell].add(trial[cell])
            return
        cell = hidden[index]
        for value in range(bounds[cell] + 1):
            trial[cell] = value
            if all(
                holds(relation, trial)
                for relation in relations
                if cell in relation.cells and all(other in trial for other in relation.cells)
            ):
                search(index + 1, trial)
            del trial[cell]

    search(0, {cell: value for cell, value in values.items() if cell not in hidden})
    return {cell for cell, seen in possible.items() if len(seen) == 1}


def _hide(places, **rows) -> set:
    return {(row, gender) for row, genders in rows.items() for gender in genders}


def test_without_complementary_cells_the_issue_s_subtraction_gives_the_count_back():
    places = gender_table({"Tanjung Pinang": (2, 9), "Batam": (30, 40)})
    values, relations = published(places)
    # Hiding only the row of the small count, as before: the total row still gives it away.
    hidden = {("Tanjung Pinang", MALE), ("Tanjung Pinang", FEMALE)}

    assert recoverable(values, relations, hidden) == hidden


def test_the_subtraction_attack_finds_nothing_after_complementary_suppression():
    places = gender_table({"Tanjung Pinang": (2, 9), "Batam": (13, 11)})

    hidden = suppress_by_gender(places, small=2)

    # The row's other gender, and the next-smallest row of each column, go too.
    assert {("Tanjung Pinang", MALE), ("Tanjung Pinang", FEMALE)} <= hidden
    assert {("Batam", MALE), ("Batam", FEMALE)} <= hidden
    assert safe(places, hidden)


def test_complement_is_the_next_smallest_row_not_the_largest():
    places = gender_table(
        {"Bintan": (2, 9), "Karimun": (4, 5), "Batam": (30, 40), "Lingga": (7, 6)}
    )

    hidden = suppress_by_gender(places, small=2)

    assert hidden == {(row, g) for row in ("Bintan", "Karimun") for g in GENDERS}
    assert safe(places, hidden)


def test_a_small_count_alone_in_its_column_takes_the_total_with_it():
    # No other row has men: hiding a zero would protect nothing, so the column total goes
    # (and through the total row, the total of women).
    places = gender_table({"Natuna": (1, 6), "Anambas": (0, 8)})

    hidden = suppress_by_gender(places, small=2)

    assert {("total", MALE), ("total", FEMALE)} <= hidden
    assert safe(places, hidden)


def test_unpublished_rows_count_as_hidden_and_are_protected_when_small():
    # A withdrawn library: its row is on no page, yet the total minus the others gives it.
    places = [
        Place("total", None, 13, 12),
        Place("Kampung Baru", "total", 1, 3, published=False),
        Place("Barat", "total", 12, 9),
    ]

    hidden = suppress_by_gender(places, small=2)

    assert {("Barat", MALE), ("Barat", FEMALE)} <= hidden
    assert safe(places, hidden)


def test_nothing_is_hidden_without_a_small_count():
    places = gender_table({"Bintan": (3, 9), "Batam": (0, 40)})

    assert suppress_by_gender(places, small=2) == set()


def test_hidden_zeros_do_not_count_as_protection():
    # Men hidden in the two small rows add up to 5 - 5 = 0, so both are 0 and each row's
    # women follow from its total: another row has to give up its cells too.
    places = gender_table({"Natuna": (0, 2), "Batam": (5, 6), "Lingga": (0, 1)})
    values, relations = published(places)
    naive = {(row, g) for row in ("Natuna", "Lingga") for g in GENDERS}
    assert recoverable(values, relations, naive)

    hidden = suppress_by_gender(places, small=2)

    assert safe(places, hidden)


def test_a_single_library_hides_its_province_s_split_too():
    places = [
        Place("province", None, 2, 0),
        Place("kab/kota", "province", 2, 0),
        Place("library", "kab/kota", 2, 0),
    ]

    hidden = suppress_by_gender(places, small=2)

    assert hidden == {(key, g) for key in ("province", "kab/kota", "library") for g in GENDERS}
    assert safe(places, hidden)


def _random_counts(generator, rows: int):
    return [
        (generator.choice([0, 0, 1, 2, 3, 5]), generator.choice([0, 1, 2, 4, 6]))
        for _row in range(rows)
    ]


@pytest.mark.parametrize("seed", range(100))
def test_random_tables_leave_no_small_count_recoverable(seed):
    generator = random.Random(seed)
    places = gender_table(
        {f"row{index}": counts for index, counts in enumerate(_random_counts(generator, 4))}
    )

    assert safe(places, suppress_by_gender(places, small=2))


def province_places(libraries: dict[str, list[tuple[int, int]]], withdrawn=()) -> list[Place]:
    """A province of kab/kota of libraries; ``withdrawn`` libraries are shown nowhere."""
    places = []
    for regency, counts in libraries.items():
        for index, (men, women) in enumerate(counts):
            key = f"{regency}{index}"
            places.append(Place(key, regency, men, women, published=key not in withdrawn))
        men = sum(m for m, _f in counts)
        women = sum(f for _m, f in counts)
        places.append(Place(regency, "P", men, women))
    men = sum(p.male for p in places if p.parent == "P")
    women = sum(p.female for p in places if p.parent == "P")
    return [Place("P", None, men, women), *places]


@pytest.mark.parametrize("seed", range(150))
def test_random_provinces_leave_no_small_count_recoverable_across_levels(seed):
    generator = random.Random(seed)
    libraries = {name: _random_counts(generator, 2) for name in ("A", "B")}
    withdrawn = {"A1"} if seed % 3 == 0 else set()
    places = province_places(libraries, withdrawn)

    assert safe(places, suppress_by_gender(places, small=2))


def test_a_chain_of_subtractions_across_levels_is_caught():
    """Province = kab/kota A + B; A = libraries a0 + a1. A's men minus a1's give a0's."""
    places = province_places({"A": [(2, 10), (4, 10)], "B": [(10, 20)]})

    hidden = suppress_by_gender(places, small=2)

    assert safe(places, hidden)
    assert ("P", MALE) not in hidden
