"""Filters, free-text search and ranking over a loaded catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from essmap import geo
from essmap.catalogue import Catalogue
from essmap.geo import Place
from essmap.index import WEIGHTS, Index, bitset, positions, unpack_posting
from essmap.model import KINDS, OFFERS, SCOPES, STAGES, THEMES, Structure
from essmap.text import fold, key


@dataclass(frozen=True, slots=True)
class Filters:
    """What `find` keeps: values of one option are alternatives, options all apply."""

    regions: tuple[Place, ...] = ()
    departments: tuple[Place, ...] = ()
    communes: tuple[Place, ...] = ()
    stages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    include_national: bool = False
    include_closed: bool = False

    @property
    def places(self) -> tuple[Place, ...]:
        return self.regions + self.departments + self.communes

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
        communes: Iterable[str] = (),
    ) -> Filters:
        """Filters from values as a person types them; UnknownValue on a bad one."""
        return cls(
            regions=tuple(geo.resolve_region(v) for v in regions),
            departments=tuple(geo.resolve_department(v) for v in departments),
            communes=tuple(_resolve_communes(communes)),
            stages=STAGES.resolve_all(stages),
            themes=THEMES.resolve_all(themes),
            kinds=KINDS.resolve_all(kinds),
            offers=OFFERS.resolve_all(offers),
            include_national=include_national,
            include_closed=include_closed,
        )


def _resolve_communes(values: Iterable[str]) -> Iterable[Place]:
    values = list(values)
    if values:
        from essmap.communes import resolve_commune

        yield from (resolve_commune(v) for v in values)


@dataclass(slots=True)
class Result:
    """Structures found, best or stablest first, and what was left out and why."""

    structures: list[Structure]
    total: int = 0
    national_left_out: int = 0
    closed_left_out: int = 0
    scores: dict[str, float] = field(default_factory=dict)


def _selection(index: Index, filters: Filters, within: int) -> tuple[int, int, int]:
    """Bitsets: what passes the filters, the national ones left out, the closed ones left out."""
    selected = within
    for places in (filters.regions, filters.departments, filters.communes):
        if places:
            selected &= index.bits("department", (d for place in places for d in place.departments))
    for facet, values in (
        ("stage", filters.stages),
        ("theme", filters.themes),
        ("kind", filters.kinds),
        ("offer", filters.offers),
    ):
        if values:
            selected &= index.bits(facet, values)
    closed = 0
    if not filters.include_closed:
        closed = selected & ~index.bits("active", ("true",))
        selected &= ~closed
    national = 0
    if filters.places and not filters.include_national:
        national = selected & index.bits("national", ("true",))
        selected &= ~national
    return selected, national, closed


def stable_order(structure: Structure) -> tuple:
    """National ones last; then by first region's name, then by name."""
    region = geo.region_name(structure.regions[0]) if structure.regions else ""
    return (structure.national, fold(region), fold(structure.name))


def find(
    catalogue: Catalogue, filters: Filters = Filters(), text: str | None = None, limit: int | None = None
) -> Result:
    """The structures that pass `filters`, ranked by relevance to `text` when given.

    Without text the order is stable (region, then name). `limit` keeps the first ones;
    `Result.total` counts them all.
    """
    index = catalogue.index
    scores = text_scores(index, text) if text and text.strip() else None
    within = index.all if scores is None else bitset(scores, index.size)
    selected, national, closed = _selection(index, filters, within)
    result = Result([], national_left_out=national.bit_count(), closed_left_out=closed.bit_count())
    if scores is not None:
        chosen = sorted(
            (p for p in scores if selected >> p & 1),
            key=lambda p: (-scores[p], SCOPES.index(catalogue.at(p).scope), p),
        )
        result.total = len(chosen)
        result.structures = [catalogue.at(p) for p in chosen[:limit]]
        result.scores = {s.id: scores[p] for s, p in zip(result.structures, chosen)}
    else:
        found = sorted((catalogue.at(p) for p in positions(selected)), key=stable_order)
        result.total = len(found)
        result.structures = found[:limit]
    return result


MIN_SCORE = 50.0
FALLBACK_SCORE = 25.0
TYPO_CUTOFF = 80.0


def _similar(vocabulary: list[str], known, word: str) -> dict[str, float]:
    """Words of the index like `word`: equal, starting with it, or a typo away."""
    from rapidfuzz import fuzz, process

    found = {word: 100.0} if word in known else {}
    if len(word) >= 3:
        found.update((w, 95.0) for w in vocabulary if w != word and w.startswith(word))
    if len(word) >= 4:
        for match, score, _ in process.extract(
            word, vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None
        ):
            found[match] = max(found.get(match, 0.0), score * 0.95)
    return found


def text_scores(index: Index, text: str) -> dict[int, float]:
    """Score (0-100) of each position that matches `text` well enough.

    Each word of the query scores its best match in a structure, weighted by the field
    it is found in (name, facets, description); a structure scores the mean over words.
    When some structures match every word, only they are kept.
    """
    query = list(dict.fromkeys(key(text).split()))
    if not query:
        return {}
    vocabulary = index.vocabulary
    known = set(vocabulary)
    totals: dict[int, float] = {}
    matched: dict[int, int] = {}
    informative = 0  # query words found somewhere in the catalogue; the others say nothing
    for word in query:
        best: dict[int, float] = {}
        for match, similarity in _similar(vocabulary, known, word).items():
            for posting in index.postings(match):
                position, field = unpack_posting(posting)
                value = similarity * WEIGHTS[field]
                if value > best.get(position, 0.0):
                    best[position] = value
        informative += bool(best)
        for position, value in best.items():
            totals[position] = totals.get(position, 0.0) + value
            matched[position] = matched.get(position, 0) + 1
    if not informative:
        return {}
    means = {p: total / informative for p, total in totals.items()}
    scores = {p: score for p, score in means.items() if score >= MIN_SCORE}
    if not scores:  # a long query in a person's words: its words are in descriptions, worth less each
        scores = {
            p: score
            for p, score in means.items()
            if score >= FALLBACK_SCORE and 2 * matched[p] >= informative
        }
    complete = {p: score for p, score in scores.items() if matched[p] == informative}
    return complete or scores


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
    owners: list[int] = []
    for position, spellings in enumerate(catalogue.index.names):
        for name in spellings:
            names.append(key(name))
            owners.append(position)
    exact = [catalogue.at(p) for p in dict.fromkeys(p for n, p in zip(names, owners) if n == wanted)]
    if len(exact) == 1:
        return Pick(exact[0], True)
    best: dict[int, float] = {}
    for _, score, i in process.extract(wanted, names, scorer=fuzz.WRatio, score_cutoff=50, limit=None):
        best[owners[i]] = max(best.get(owners[i], 0.0), score)
    ranked = sorted(
        ((catalogue.at(p), score) for p, score in best.items()),
        key=lambda pair: (-pair[1], stable_order(pair[0])),
    )
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

    def pointing_here(facet: str) -> tuple[Structure, ...]:
        found = (catalogue.at(p) for p in catalogue.index.referring(facet, structure.id))
        return tuple(s for s in found if s.id != structure.id)

    return Relations(
        carried_by=resolve(structure.carried_by),
        carries=pointing_here("carried_by"),
        member_of=resolve(structure.member_of),
        members=pointing_here("member_of"),
        replaced_by=resolve(structure.replaced_by),
        missing=tuple(dict.fromkeys(missing)),
    )
