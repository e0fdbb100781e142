"""Filters, free-text search and ranking over a loaded catalogue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from essmap import geo
from essmap.catalogue import Catalogue
from essmap.geo import Place
from essmap.model import KINDS, OFFERS, STAGES, THEMES, Structure
from essmap.text import fold, key


@dataclass(frozen=True, slots=True)
class Filters:
    """What `find` keeps: values of one option are alternatives, options all apply."""

    regions: tuple[Place, ...] = ()
    departments: tuple[Place, ...] = ()
    stages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    include_national: bool = False
    include_closed: bool = False

    @property
    def places(self) -> tuple[Place, ...]:
        return self.regions + self.departments

    @classmethod
    def parse(
        cls,
        regions: Iterable[str] = (),
        departments: Iterable[str] = (),
        stages: Iterable[str] = (),
        themes: Iterable[str] = (),
        kinds: Iterable[str] = (),
        offers: Iterable[str] = (),
        include_national: bool = False,
        include_closed: bool = False,
    ) -> Filters:
        """Filters from values as a person types them; UnknownValue on a bad one."""
        return cls(
            regions=tuple(geo.resolve_region(v) for v in regions),
            departments=tuple(geo.resolve_department(v) for v in departments),
            stages=_resolve_all(STAGES, stages),
            themes=_resolve_all(THEMES, themes),
            kinds=_resolve_all(KINDS, kinds),
            offers=_resolve_all(OFFERS, offers),
            include_national=include_national,
            include_closed=include_closed,
        )


def _resolve_all(vocabulary, values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(vocabulary.resolve(v) for v in values))


@dataclass(slots=True)
class Result:
    """Structures found, best or stablest first, and what was left out and why."""

    structures: list[Structure]
    national_left_out: int = 0
    closed_left_out: int = 0
    scores: dict[str, float] = field(default_factory=dict)


def _places_match(structure: Structure, places: Sequence[Place]) -> bool:
    return any(structure.coverage & place.departments for place in places)


def _matches(structure: Structure, filters: Filters) -> bool:
    if filters.regions and not _places_match(structure, filters.regions):
        return False
    if filters.departments and not _places_match(structure, filters.departments):
        return False
    for wanted, have in (
        (filters.stages, structure.stages),
        (filters.themes, structure.themes),
        (filters.kinds, (structure.kind,)),
        (filters.offers, structure.offers),
    ):
        if wanted and not set(wanted) & set(have):
            return False
    return True


def stable_order(structure: Structure) -> tuple:
    """National ones last; then by first region's name, then by name."""
    region = geo.region_name(structure.regions[0]) if structure.regions else ""
    return (structure.national, fold(region), fold(structure.name))


def find(catalogue: Catalogue, filters: Filters = Filters(), text: str | None = None) -> Result:
    """The structures that pass `filters`, ranked by relevance to `text` when given."""
    result = Result([])
    placed = bool(filters.places)
    for structure in catalogue.structures:
        if not _matches(structure, filters):
            continue
        if not structure.is_active and not filters.include_closed:
            result.closed_left_out += 1
            continue
        if structure.national and placed and not filters.include_national:
            result.national_left_out += 1
            continue
        result.structures.append(structure)
    if text and text.strip():
        result.scores = TextIndex(result.structures).scores(text)
        result.structures = [s for s in result.structures if s.id in result.scores]
        result.structures.sort(key=lambda s: (-result.scores[s.id], stable_order(s)))
    else:
        result.structures.sort(key=stable_order)
    return result


# Field weights of the free-text search: a word of the name counts more than one of the description.
NAME_WEIGHT, FACET_WEIGHT, TEXT_WEIGHT = 1.0, 0.8, 0.5
MIN_SCORE = 50.0
TYPO_CUTOFF = 80.0


def _facets(structure: Structure) -> Iterable[str]:
    yield KINDS.label(structure.kind)
    yield structure.kind
    if structure.city:
        yield structure.city
    yield from (THEMES.label(t) for t in structure.themes)
    yield from (OFFERS.label(o) for o in structure.offers)
    yield from (STAGES.label(s) for s in structure.stages)
    yield from (geo.region_name(r) for r in structure.regions)
    yield from (geo.DEPARTMENT_BY_CODE[d].name for d in structure.departments)
    if structure.national:
        yield "national"


class TextIndex:
    """Pre-normalised words of each structure, searched with rapidfuzz in one batch."""

    def __init__(self, structures: Sequence[Structure]):
        self.words: dict[str, dict[str, float]] = {}
        for structure in structures:
            self._add(structure.id, NAME_WEIGHT, (structure.name, structure.id, *structure.aliases))
            self._add(structure.id, FACET_WEIGHT, _facets(structure))
            self._add(structure.id, TEXT_WEIGHT, (structure.description,))
        self.vocabulary = list(self.words)

    def _add(self, structure_id: str, weight: float, texts: Iterable[str]) -> None:
        for text in texts:
            for word in key(text).split():
                owners = self.words.setdefault(word, {})
                if owners.get(structure_id, 0.0) < weight:
                    owners[structure_id] = weight

    def _similar(self, word: str) -> dict[str, float]:
        """Words of the index like `word`: equal, starting with it, or a typo away."""
        from rapidfuzz import fuzz, process

        found = {word: 100.0} if word in self.words else {}
        if len(word) >= 3:
            found.update((w, 95.0) for w in self.vocabulary if w != word and w.startswith(word))
        if len(word) >= 4:
            for match, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None
            ):
                found[match] = max(found.get(match, 0.0), score * 0.95)
        return found

    def scores(self, text: str) -> dict[str, float]:
        """Score (0-100) of each structure that matches `text` well enough."""
        query = key(text).split()
        if not query:
            return {}
        totals: dict[str, float] = {}
        for word in query:
            best: dict[str, float] = {}
            for match, similarity in self._similar(word).items():
                for structure_id, weight in self.words[match].items():
                    value = similarity * weight
                    if value > best.get(structure_id, 0.0):
                        best[structure_id] = value
            for structure_id, value in best.items():
                totals[structure_id] = totals.get(structure_id, 0.0) + value
        return {sid: total / len(query) for sid, total in totals.items() if total / len(query) >= MIN_SCORE}


@dataclass(frozen=True, slots=True)
class Pick:
    """What `show` chose: one structure, or the close candidates when it cannot choose."""

    structure: Structure | None
    exact: bool
    candidates: tuple[tuple[Structure, float], ...] = ()


SHOW_CUTOFF = 75.0
AMBIGUITY_MARGIN = 4.0


def pick(catalogue: Catalogue, query: str) -> Pick:
    """An exact id, name or alias wins; else the single best fuzzy match of names."""
    from rapidfuzz import fuzz, process

    wanted = key(query)
    if not wanted:
        return Pick(None, False)
    by_id = catalogue.get(query.strip().lower())
    if by_id is not None:
        return Pick(by_id, True)
    names: list[str] = []
    owners: list[Structure] = []
    for structure in catalogue.structures:
        for name in (structure.name, *structure.aliases, structure.id):
            names.append(key(name))
            owners.append(structure)
    exact = list(dict.fromkeys(s for n, s in zip(names, owners) if n == wanted))
    if len(exact) == 1:
        return Pick(exact[0], True)
    best: dict[str, tuple[Structure, float]] = {}
    for _, score, index in process.extract(wanted, names, scorer=fuzz.WRatio, score_cutoff=50, limit=None):
        structure = owners[index]
        if score > best.get(structure.id, (None, -1.0))[1]:
            best[structure.id] = (structure, score)
    ranked = sorted(best.values(), key=lambda pair: (-pair[1], stable_order(pair[0])))
    if exact:
        return Pick(None, False, tuple((s, 100.0) for s in exact))
    if not ranked or ranked[0][1] < SHOW_CUTOFF:
        return Pick(None, False, tuple(ranked[:5]))
    close = [pair for pair in ranked if pair[1] >= ranked[0][1] - AMBIGUITY_MARGIN]
    if len(close) > 1:
        return Pick(None, False, tuple(close[:8]))
    return Pick(ranked[0][0], False, tuple(ranked[:1]))


@dataclass(frozen=True, slots=True)
class Relations:
    """Who a structure is linked to, both ways; ids that name nothing are kept apart."""

    carried_by: tuple[Structure, ...]
    carries: tuple[Structure, ...]
    member_of: tuple[Structure, ...]
    members: tuple[Structure, ...]
    replaced_by: tuple[Structure, ...]
    missing: tuple[str, ...]


def relations(catalogue: Catalogue, structure: Structure) -> Relations:
    """One level of links each way: terminates on cycles and on missing ids."""
    missing: list[str] = []

    def resolve(ids: tuple[str, ...]) -> tuple[Structure, ...]:
        found = []
        for other_id in ids:
            other = catalogue.get(other_id)
            if other is None:
                missing.append(other_id)
            elif other.id != structure.id:
                found.append(other)
        return tuple(found)

    def pointing_here(attribute: str) -> tuple[Structure, ...]:
        return tuple(
            s for s in catalogue.structures if structure.id in getattr(s, attribute) and s.id != structure.id
        )

    return Relations(
        carried_by=resolve(structure.carried_by),
        carries=pointing_here("carried_by"),
        member_of=resolve(structure.member_of),
        members=pointing_here("member_of"),
        replaced_by=resolve(structure.replaced_by),
        missing=tuple(dict.fromkeys(missing)),
    )
