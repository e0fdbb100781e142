"""Filters, free-text search and ranking over a loaded catalogue."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from essmap import geo, places
from essmap.catalogue import Catalogue
from essmap.geo import Place
from essmap.i18n import _
from essmap.index import WEIGHTS, Index, bitset, positions, unpack_posting
from essmap.model import KINDS, OFFERS, PLACE_BOUND_OFFERS, SCOPES, STAGES, THEMES, Structure
from essmap.text import fold, key

if TYPE_CHECKING:
    from essmap.understand import Understanding


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
    only_national: bool = False  # `find --national` with no place and no text: the national ones only
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
            regions=tuple(places.resolve_region(v) for v in regions),
            departments=tuple(places.resolve_department(v) for v in departments),
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
    understood: Understanding | None = None  # what the text was understood to ask, when there is one


def _selection(index: Index, filters: Filters, within: int) -> tuple[int, int, int]:
    """Bitsets: what passes the filters, the national ones left out, the closed ones left out."""
    selected = within
    for chosen in (filters.regions, filters.departments, filters.communes):
        if chosen:
            selected &= index.bits("department", (d for place in chosen for d in place.departments))
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
        closed = selected & ~index.bits("listed", ("true",))
        selected &= ~closed
    national = 0
    if filters.places and not filters.include_national:
        national = selected & index.bits("national", ("true",))
        selected &= ~national
    if filters.only_national:
        selected &= index.bits("national", ("true",))
    return selected, national, closed


def stable_order(structure: Structure) -> tuple:
    """National ones last; then by first region's name, then by name."""
    region = geo.region_name(structure.regions[0]) if structure.regions else ""
    return (structure.national, fold(region), fold(structure.name))


def find(
    catalogue: Catalogue,
    filters: Filters = Filters(),
    text: str | None = None,
    limit: int | None = None,
    literal: bool = False,
) -> Result:
    """The structures that pass `filters`, ranked by relevance to `text` when given.

    The text is understood first (understand.py): a place it names becomes a place
    filter (unless `literal`, or a place option is given), and its words are matched
    by field and by meaning. An exact name, acronym or alias ranks first; then relevance,
    weighed by proximity to the place and by lifecycle (unverified after active).
    Without text the order is stable (region, then name). `limit` keeps the first ones;
    `Result.total` counts them all.
    """
    from essmap.understand import understand

    index = catalogue.index
    understanding: Understanding | None = None
    if text and text.strip():
        understanding = understand(text, places=not literal and not filters.places, known=index.words.known)
        if understanding.places:
            places = tuple(place for _, place in understanding.places)
            filters = replace(filters, communes=filters.communes + places, include_national=True)
    # the better half is judged among the structures of the place asked for, not the whole country
    scores = text_scores(index, understanding, floor=False) if understanding else None
    exact = exact_names(index, text) if understanding and text else set()
    if text and understanding is not None and understanding.places and not exact:
        # a name with the place it is asked for ("ecossolies nantes"): the name alone is exact
        # ("dla metz" asks for the DLA there, not for the programme named "DLA" everywhere)
        typed_places = set(key(" ".join(typed for typed, _ in understanding.places)).split())
        named = exact_names(index, " ".join(w for w in key(text).split() if w not in typed_places))
        there = index.bits("department", understanding.departments) & ~index.bits("national", ("true",))
        exact = {p for p in named if there >> p & 1}
    if understanding is not None and scores is not None:
        for position in exact:
            scores[position] = 100.0
        if not scores and understanding.places and not (understanding.words or understanding.concepts):
            # only a place was asked for: every structure there, the nearest first
            scores = {p: 100.0 for p in positions(index.bits("department", understanding.departments))}
    within = index.all if scores is None else bitset(scores, index.size)
    selected, national, closed = _selection(index, filters, within)
    departments = frozenset(d for place in filters.places for d in place.departments)
    city = next((p.label.split(",")[0] for p in filters.places if p.kind == "commune"), None)
    place_words = set(key(" ".join(t for t, _ in understanding.places)).split()) if understanding else set()
    towns = (
        [t for t, place in understanding.places if place.kind == "commune" and not t.isdigit()]
        if understanding
        else []
    )
    town_words = set(key(" ".join(towns)).split())
    # premises asked for a place: a national structure has them only where its sites are
    place_bound = bool(
        understanding and departments and PLACE_BOUND_OFFERS & set(understanding.facet("offer"))
    )
    factors: dict[int, float] = {}
    # a structure whose own text names the town asked for works there, whatever its area says
    # ("Adesk, pôle ESS du Centre-Ouest Bretagne, à Carhaix")
    in_town = _naming(index, understanding) if understanding else set()

    def factor(position: int) -> float:
        """What proximity and lifecycle make of a structure's relevance: the same commune, then
        the department, the region, national; an unverified one after an active one."""
        if position not in factors:
            structure = catalogue.at(position)
            weight = 1.0
            if departments:
                near = proximity(structure, departments, city)
                if position in in_town and not structure.national:
                    near = PROXIMITY["city"]
                weight *= near
                if place_bound and structure.national:
                    weight *= PROXIMITY["national"]
                if place_words:  # (place_words holds town_words)
                    named = set(key(" ".join((structure.name, *structure.aliases))).split())
                    if town_words and town_words <= named:
                        weight *= TOWN_IN_NAME
                    elif place_words <= named:
                        weight *= PLACE_IN_NAME
            elif structure.national:
                weight *= PROXIMITY["region"]
            if structure.status != "active":
                weight *= UNVERIFIED_FACTOR
            factors[position] = weight
        return factors[position]

    if scores is not None:
        # the better half of what would be ranked: relevance weighed by proximity and lifecycle,
        # so that a national structure matching more words does not push out the local one
        here = {p: scores[p] for p in positions(selected)}
        kept = weighed_better_half(here, factor) if here else better_half(scores)
        scores = {p: v for p, v in scores.items() if p in kept or p in exact}
        selected &= bitset(scores, index.size)
    if understanding is not None and scores is not None and not selected and understanding.words:
        # nothing here: the words may be typos of a name ("kaleidoscop strasbourg")
        scores = text_scores(index, understanding, typos=True)
        for position in exact:
            scores[position] = 100.0
        selected, national, closed = _selection(index, filters, bitset(scores, index.size))
    if exact and understanding is not None and understanding.places:
        # an exact name is what was asked for, even when words of it read as a place
        alive = index.all if filters.include_closed else index.bits("listed", ("true",))
        selected |= bitset(exact, index.size) & alive
    result = Result([], national_left_out=national.bit_count(), closed_left_out=closed.bit_count())
    result.understood = understanding

    def rank(position: int) -> tuple:
        structure = catalogue.at(position)
        score = (scores[position] if scores is not None else 0.0) * factor(position)
        return (
            position not in exact,
            -score,
            structure.national,
            not structure.is_active,
            SCOPES.index(structure.scope),
            stable_order(structure),
        )

    if scores is not None:
        ranked = sorted((p for p in scores if selected >> p & 1), key=rank)
        result.total = len(ranked)
        result.structures = [catalogue.at(p) for p in ranked[:limit]]
        result.scores = {s.id: scores[p] for s, p in zip(result.structures, ranked)}
    else:
        chosen = sorted(positions(selected), key=rank) if departments else None
        found = (
            [catalogue.at(p) for p in chosen]
            if chosen is not None
            else sorted((catalogue.at(p) for p in positions(selected)), key=stable_order)
        )
        result.total = len(found)
        result.structures = found[:limit]
    return result


# Free-text ranking (see `text_scores`): each item of the request (a word, or a word the
# lexicon understands as an offer, kind, theme or stage) scores its best match in a
# structure, weighted by field and by rarity; a structure's relevance is the share of the
# request's weight it matches.
CONCEPT_WEIGHTS = {"kind": 3.0, "offer": 2.0, "theme": 1.4, "stage": 0.6}  # a kind counts as a name word
CONCEPT_TEXT_WEIGHTS = (WEIGHTS[1], WEIGHTS[1], WEIGHTS[2])
PLACE_IN_NAME = 1.15  # "France Active Franche-Comté" for "financement Franche-Comté"
# "ADESS Pays de Morlaix" for "pôle ESS près de Morlaix": the town's own, wherever its seat
TOWN_IN_NAME = 1.3
MIN_RELEVANCE = 0.2
# Words every structure of the field is about: found in a name they say little of what is sought
# ("une épicerie solidaire" asks for no structure named "solidaire")
DOMAIN_WORDS = frozenset(
    "solidaire solidaires solidarite sociale social sociales sociaux economie entreprise entreprises".split()
)
TYPO_CUTOFF = 80.0
SHORT_TYPO_CUTOFF = 88.0  # for a word of four letters
GLUED_SIMILARITY = 0.9
FEW = 3  # fewer answers than this to a sentence: its better three quarters are kept
PREFIX_SIMILARITY = 0.9
UNVERIFIED_FACTOR = 0.8  # an unverified structure ranks after an active one of equal relevance
PROXIMITY = {"city": 1.0, "department": 0.96, "region": 0.88, "national": 0.4}


def _similar(vocabulary, known, word: str, typos: bool = False) -> dict[str, float]:
    """Index words and stems like `word`: itself or its stem, words starting with it, or a typo away."""
    from rapidfuzz import fuzz, process

    from essmap.understand import stem

    found = {form: 1.0 for form in (word, stem(word)) if known(form)}
    if len(word) >= 4:
        found.update((w, PREFIX_SIMILARITY) for w in vocabulary.starting(word) if w not in found)
    if len(word) >= 4 and (typos or not found):
        # a short word needs a closer typo: "wila" for "willa" (one letter of five), not "vila" for "ville"
        cutoff = TYPO_CUTOFF if len(word) >= 5 else SHORT_TYPO_CUTOFF
        for match, score, _ in process.extract(
            word, vocabulary.words(), scorer=fuzz.ratio, score_cutoff=cutoff, limit=8
        ):
            found[match] = max(found.get(match, 0.0), score / 100 * 0.9)
    if not found and len(word) >= 6:
        # two words typed as one ("femuqui" for "Femu Quì"): each half a word of the index, or
        # a stopword the index leaves out beside a word of four letters or more
        from essmap.text import STOPWORDS

        for cut in range(3, len(word) - 2):
            halves = (word[:cut], word[cut:])
            words = [h for h in halves if known(h)]
            if len(words) == 2 or (words and len(words[0]) >= 4 and set(halves) - set(words) <= STOPWORDS):
                found = dict.fromkeys(words, GLUED_SIMILARITY)
                break
    return found


def _rarity(count: int, size: int) -> float:
    return math.log(1 + size / max(count, 1))


def text_scores(index: Index, understanding, typos: bool = False, floor: bool = True) -> dict[int, float]:
    """Relevance (0-100) of each position for an understood request (understand.Understanding).

    Each item is one word of the request: the best of its text matches (by field: name
    and aliases, then kind, offers, themes, then description) and, for a word the
    lexicon understands, of the structures having that offer, kind, theme or stage.
    Items weigh by rarity, so that "ess" counts less than "scop".
    """
    size = max(index.size, 1)
    vocabulary = index.words
    known = vocabulary.known
    concepts: dict[str, list[tuple[str, str]]] = {}
    for word, facet, value in understanding.concepts:
        if facet in CONCEPT_WEIGHTS:
            concepts.setdefault(word, []).append((facet, value))
    items = list(dict.fromkeys(understanding.words + list(concepts)))
    totals: dict[int, float] = {}
    possible = 0.0
    for item in items:
        best: dict[int, float] = {}
        weight = 0.0
        if item in understanding.words or item not in concepts:
            forms = _similar(vocabulary, known, item, typos) if item else {}
            # a word the lexicon understands ("association", "financement") is a need or a theme:
            # found in a name it weighs no more than in the offers or themes
            weights = CONCEPT_TEXT_WEIGHTS if item in concepts or item in DOMAIN_WORDS else WEIGHTS
            for match, similarity in forms.items():
                postings = index.postings(match)
                rarity = _rarity(len(postings), size)
                weight = max(weight, rarity * weights[0] * similarity)
                for posting in postings:
                    position, field = unpack_posting(posting)
                    value = similarity * weights[field] * rarity
                    if value > best.get(position, 0.0):
                        best[position] = value
        for facet, value in concepts.get(item, ()):
            bits = index.bits(facet, (value,))
            found = positions(bits)
            rarity = _rarity(len(found), size)
            value_weight = CONCEPT_WEIGHTS[facet] * rarity
            weight = max(weight, value_weight)
            for position in found:
                if value_weight > best.get(position, 0.0):
                    best[position] = value_weight
        if not best:
            continue  # a word found nowhere says nothing about what is sought
        possible += weight
        for position, value in best.items():
            totals[position] = totals.get(position, 0.0) + value
    if not possible:
        return {}
    scores = {p: 100 * min(total / possible, 1.0) for p, total in totals.items()}
    return better_half(scores) if floor else scores


def better_half(scores: dict[int, float]) -> dict[int, float]:
    """A long sentence in a person's words matches no structure wholly: keep the better half."""
    floor = min(100 * MIN_RELEVANCE, max(scores.values(), default=0) / 2)
    return {p: score for p, score in scores.items() if score >= floor}


def weighed_better_half(scores: dict[int, float], factor) -> set[int]:
    """The positions whose relevance weighed by `factor` (proximity and lifecycle, see `find`) is
    in the better half; `factor` is asked only where its bounds leave a position in doubt, since
    asking it reads the structure (on 50,000 entries, reading them all cost a free-text call
    half its time)."""
    low = min(PROXIMITY.values()) ** 2 * UNVERIFIED_FACTOR
    high = max(PROXIMITY.values()) * TOWN_IN_NAME
    best = 0.0
    for position, score in sorted(scores.items(), key=lambda item: -item[1]):
        if score * high <= best:
            break  # no later one can weigh more
        best = max(best, score * factor(position))
    kept: set[int] = set()
    for floor in (min(100 * MIN_RELEVANCE, best / 2), best / 4):
        for position, score in scores.items():
            if score * low >= floor or (score * high >= floor and score * factor(position) >= floor):
                kept.add(position)
        if len(kept) >= FEW:
            break  # else a person's question deserves a few more answers: the better three quarters
    return kept


def _naming(index: Index, understanding: Understanding) -> set[int]:
    """Positions whose name, aliases or description hold every word of a town of the request."""
    found: set[int] = set()
    for typed, place in understanding.places:
        if place.kind != "commune" or typed.isdigit():
            continue
        holding: set[int] | None = None
        for word in key(typed).split():
            here = {unpack_posting(p)[0] for p in index.postings(word)}
            holding = here if holding is None else holding & here
        found |= holding or set()
    return found


def exact_names(index: Index, text: str) -> set[int]:
    """Positions whose id, name, alias or former id is exactly the text (folded, no stopwords)."""
    wanted = key(text)
    return index.exact(wanted) if wanted else set()


def proximity(structure: Structure, departments: frozenset[str], city: str | None) -> float:
    """How close a structure is to the place asked for: its city, a department it names, its region, or national."""
    if structure.national:
        return PROXIMITY["national"]
    if city and structure.city and fold(structure.city) == fold(city):
        return PROXIMITY["city"]
    if set(structure.departments) & departments:
        return PROXIMITY["department"]
    return PROXIMITY["region"]


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
    exact = [catalogue.at(p) for p in sorted(catalogue.index.exact(wanted))]
    if len(exact) == 1:
        return Pick(exact[0], True)
    pairs = catalogue.index.name_keys()
    names = [name for name, _position in pairs]
    best: dict[int, float] = {}
    for _name, score, i in process.extract(wanted, names, scorer=fuzz.WRatio, score_cutoff=50, limit=None):
        owner = pairs[i][1]
        best[owner] = max(best.get(owner, 0.0), score)
    top = sorted(best.items(), key=lambda item: -item[1])
    if top and top[0][1] >= SHOW_CUTOFF:  # only the candidates close to the best are decoded
        top = [item for item in top if item[1] >= top[0][1] - AMBIGUITY_MARGIN][:50]
    else:
        top = top[:5]
    ranked = sorted(
        ((catalogue.at(p), score) for p, score in top), key=lambda pair: (-pair[1], stable_order(pair[0]))
    )
    if exact:
        return Pick(None, False, tuple((s, 100.0) for s in exact))
    if not ranked or ranked[0][1] < SHOW_CUTOFF:
        return Pick(None, False, tuple(ranked[:5]))
    # A word that many names hold whole ("incubateur") names none of them
    words = wanted.split()
    holding = {p for name, p in pairs if _contains(name, words, whole=True)}
    if len(holding) > 1:
        listed = sorted(
            ((catalogue.at(p), best.get(p, 0.0)) for p in holding),
            key=lambda pair: (-pair[1], stable_order(pair[0])),
        )
        return Pick(None, False, tuple(listed[:8]))
    # A whole-name match beats a name that only contains the words: judged on the whole name
    whole = sorted(
        ((max(fuzz.ratio(wanted, n) for n in _spellings(s)), s) for s, _ in ranked),
        key=lambda pair: (-pair[0], stable_order(pair[1])),
    )
    runner_up = whole[1][0] if len(whole) > 1 else 0.0
    if whole[0][0] >= WHOLE_NAME and whole[0][0] - runner_up >= AMBIGUITY_MARGIN:
        return Pick(whole[0][1], False, ((whole[0][1], whole[0][0]),))
    # the start of a word that many names contain
    containing = [(s, score) for s, score in ranked if any(_contains(n, words) for n in _spellings(s))]
    if len(containing) > 1:
        return Pick(None, False, tuple(containing[:8]))
    close = [pair for pair in ranked if pair[1] >= ranked[0][1] - AMBIGUITY_MARGIN]
    if len(close) > 1:
        return Pick(None, False, tuple(close[:8]))
    return Pick(ranked[0][0], False, tuple(ranked[:1]))


WHOLE_NAME = 80.0  # a loose spelling of a whole name ("premiere brik" for "Première Brique")


def _spellings(structure: Structure) -> list[str]:
    return [key(n) for n in (structure.name, *structure.aliases) if key(n)]


def _contains(name: str, words: list[str], whole: bool = False) -> bool:
    """Whether the name holds every word, whole or (by default) as the start of one of its words."""
    have = name.split()
    return all(any(h == w if whole else h.startswith(w) for h in have) for w in words)


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


DEFAULT_LIMIT = 50  # structures shown for a free-text query unless --limit says otherwise


def find_notes(result: Result, filters: Filters) -> list[str]:
    """What a person should know about a list of results: how many, what was left out and how
    to see it."""
    from essmap.i18n import ngettext

    count = result.total
    found = ngettext("{count} structure found.", "{count} structures found.", count)
    notes = [found.format(count=count) if count else _("No structure matches.")]
    if len(result.structures) < count:
        notes.append(
            _("Showing the best {shown}: add --limit 0 to list them all.").format(
                shown=len(result.structures)
            )
        )
    if result.national_left_out:
        places = ", ".join(p.label for p in filters.places)
        national = ngettext(
            "{count} national structure also serves {places}: add --national to list them.",
            "{count} national structures also serve {places}: add --national to list them.",
            result.national_left_out,
        )
        notes.append(national.format(count=result.national_left_out, places=places))
    if result.closed_left_out:
        notes.append(
            _("{count} closed or merged left out: add --include-closed to list them.").format(
                count=result.closed_left_out
            )
        )
    return notes


def pick_notes(text: str, chosen: Pick) -> list[str]:
    """What `show` says about how it chose: a loose match, a former id, a merged body's successor;
    or, when it could not choose, the candidates."""
    structure = chosen.structure
    if structure is None:
        if not chosen.candidates:
            return ["essmap: " + _("no structure matches {text}.").format(text=repr(text))]
        several = chosen.candidates[0][1] >= SHOW_CUTOFF
        head = "essmap: " + (
            _("{text} matches several structures; give one of these ids:")
            if several
            else _("no structure matches {text}; did you mean:")
        ).format(text=repr(text))
        return [head, *(f"  {s.id}  ({s.name})" for s, _score in chosen.candidates)]
    notes = []
    if not chosen.exact:
        notes.append(
            _("Taking {name} ({id}), the closest match for {text}.").format(
                name=structure.name, id=structure.id, text=repr(text)
            )
        )
    elif text.strip().lower() in structure.former_ids:
        notes.append(_("{text} is a former id of {id}.").format(text=repr(text.strip()), id=structure.id))
    if structure.status == "merged" and structure.replaced_by:
        notes.append(
            _("Merged into {ids}: {name} (essmap show {first})").format(
                ids=", ".join(structure.replaced_by), name=structure.name, first=structure.replaced_by[0]
            )
        )
    return notes
