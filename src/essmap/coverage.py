"""How well each place is served: counts per stage, gaps, chains of support, staleness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from essmap import geo, places
from essmap.catalogue import Catalogue
from essmap.geo import Place
from essmap.i18n import _
from essmap.index import positions
from essmap.model import KINDS_AS_MET, STAGES, Structure, Term, Vocabulary

STALE_DAYS = 730


def grouping(text: str) -> str:
    """The grouping a person typed: 'region' or 'department' (French spellings too; a typo gets a
    suggestion)."""
    terms = (Term("region", "region", ("région",)), Term("department", "department", ("département",)))
    return Vocabulary("grouping", terms).resolve(text)


@dataclass(frozen=True, slots=True)
class Row:
    """One place: how many regional or local structures serve it, per stage."""

    place: Place
    counts: dict[str, int]
    own: dict[str, int] = field(default_factory=dict)  # of them, based in the place itself

    @property
    def worst(self) -> int:
        return min(self.counts.values())


@dataclass(slots=True)
class Coverage:
    by: str
    stages: tuple[str, ...]
    rows: list[Row]
    national: dict[str, int]
    empty_departments: dict[str, int] = field(default_factory=dict)
    hint: str | None = None
    # per stage, the departments where no structure is based (regional ones may still cover them)
    without_own: dict[str, list[str]] = field(default_factory=dict)


DLA_PROGRAMME = "dla"  # the national DLA programme's entry: it names every department's operator


def departments_without_dla(catalogue: Catalogue) -> set[str]:
    """Departments that no listed departmental DLA operator of the catalogue names."""
    index = catalogue.index
    bits = index.bits("kind", ("dla",)) & index.bits("listed", ("true",)) & ~index.bits("national", ("true",))
    named = {d for p in positions(bits) for d in catalogue.at(p).departments}
    return set(geo.ALL_DEPARTMENTS) - named


def dla_hint(catalogue: Catalogue, departments) -> str | None:
    """What to say where a department has no DLA operator in the catalogue."""
    missing = sorted(set(departments) & departments_without_dla(catalogue))
    programme = catalogue.get(DLA_PROGRAMME)
    if not missing or programme is None:
        return None
    where = ", ".join(geo.department_label(d) for d in missing[:6]) + (" …" if len(missing) > 6 else "")
    site = f" ({programme.website})" if programme.website else ""
    return _(
        "No departmental DLA in the catalogue for {count} department(s): {where}. The national programme "
        "{name}{site} gives each department's operator: essmap show {id}"
    ).format(count=len(missing), where=where, name=programme.name, site=site, id=programme.id)


def _places(by: str) -> list[Place]:
    if by == "region":
        return [places.resolve_region(r.slug) for r in geo.REGIONS]
    return [places.resolve_department(d.code) for d in geo.DEPARTMENTS]


def coverage(
    catalogue: Catalogue,
    by: str = "region",
    stages: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    offers: tuple[str, ...] = (),
) -> Coverage:
    """Counts of active structures per place and stage, worst-covered places first.

    National structures serve everywhere, so they are counted apart, once.
    """
    index = catalogue.index
    stages = stages or STAGES.ids
    base = index.bits("listed", ("true",))
    if kinds:
        base &= index.bits("kind", kinds)
    if offers:
        base &= index.bits("offer", offers)
    national = base & index.bits("national", ("true",))
    local = base & ~national
    per_stage = {s: index.bits("stage", (s,)) for s in stages}

    def counts(departments) -> dict[str, int]:
        here = local & index.bits("department", departments)
        return {s: (here & bits).bit_count() for s, bits in per_stage.items()}

    based: dict[tuple[str, str], int] = {}  # (department, stage) -> structures based there
    for position in positions(local):
        structure = catalogue.at(position)
        for department in structure.departments:
            for stage in structure.stages:
                based[department, stage] = based.get((department, stage), 0) + 1

    def own(departments) -> dict[str, int]:
        return {s: sum(based.get((d, s), 0) for d in departments) for s in stages}

    rows = [Row(place, counts(place.departments), own(place.departments)) for place in _places(by)]
    rows.sort(key=lambda row: (row.worst, sum(row.counts.values()), row.place.label))
    empty = {s: 0 for s in stages}
    without_own: dict[str, list[str]] = {s: [] for s in stages}
    for each in _places("department"):
        for stage, count in counts(each.departments).items():
            empty[stage] += count == 0
        for stage, count in own(each.departments).items():
            if count == 0:
                without_own[stage].append(each.id)
    hint = dla_hint(catalogue, geo.ALL_DEPARTMENTS) if "dla" in kinds else None
    return Coverage(
        by,
        stages,
        rows,
        {s: (national & bits).bit_count() for s, bits in per_stage.items()},
        empty,
        hint,
        without_own,
    )


def stale(catalogue: Catalogue, today: dt.date | None = None) -> dict[str, list[Structure]]:
    """Entries not checked for more than two years, by region ('national' apart)."""
    today = today or dt.date.today()
    found: dict[str, list[Structure]] = {}
    for structure in catalogue.structures:
        if (today - dt.date.fromisoformat(structure.updated)).days > STALE_DAYS:
            for region in structure.regions or ("national",):
                found.setdefault(region, []).append(structure)
    return dict(sorted(found.items()))


STALE_COLUMNS = ("region", "id", "name", "updated")


def stale_rows(catalogue: Catalogue, today: dt.date | None = None) -> list[dict]:
    """The stale entries as rows, region by region."""
    return [
        {"region": region, "id": s.id, "name": s.name, "updated": s.updated}
        for region, found in stale(catalogue, today).items()
        for s in found
    ]


def stale_summary(rows: list[dict]) -> str:
    return _("{count} entries not checked for more than two years.").format(count=len(rows))


@dataclass(frozen=True, slots=True)
class Link:
    """A structure in a chain, with who carries it and the networks it belongs to."""

    structure: Structure
    carried_by: tuple[Structure, ...]
    member_of: tuple[Structure, ...]


@dataclass(slots=True)
class Chain:
    place: Place
    heads: list[Link]
    stages: dict[str, list[Link]]


HEAD_KINDS = ("cress", "collectif-regional")


def _chain_order(link: Link) -> tuple:
    structure = link.structure
    return (KINDS_AS_MET.index(structure.kind), not structure.departments, structure.name.casefold())


def chain(catalogue: Catalogue, place: Place, stages: tuple[str, ...] = ()) -> Chain:
    """The chain of support of a place: the CRESS and regional collectives, then stage by stage."""
    index = catalogue.index
    serving = index.bits("listed", ("true",)) & ~index.bits("national", ("true",))
    serving &= index.bits("department", place.departments)

    def link(position: int) -> Link:
        structure = catalogue.at(position)
        carriers = tuple(s for s in map(catalogue.get, structure.carried_by) if s is not None)
        networks = tuple(s for s in map(catalogue.get, structure.member_of) if s is not None)
        return Link(structure, carriers, networks)

    def ordered(bits: int) -> list[Link]:
        return sorted((link(p) for p in positions(bits)), key=_chain_order)

    heads_bits = serving & index.bits("kind", HEAD_KINDS)
    by_stage = {
        stage: ordered(serving & ~heads_bits & index.bits("stage", (stage,)))
        for stage in (stages or STAGES.ids)
    }
    return Chain(place, ordered(heads_bits), by_stage)


def department_counts(
    catalogue: Catalogue,
    stages: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    offers: tuple[str, ...] = (),
) -> dict[str, int]:
    """For each department, how many active regional or local structures serve it."""
    index = catalogue.index
    base = index.bits("listed", ("true",)) & ~index.bits("national", ("true",))
    for facet, values in (("stage", stages), ("kind", kinds), ("offer", offers)):
        if values:
            base &= index.bits(facet, values)
    return {d.code: (base & index.bits("department", (d.code,))).bit_count() for d in geo.DEPARTMENTS}
