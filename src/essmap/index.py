"""Indexes of a catalogue: a bitset per facet value, and the words for free-text search.

A bitset is a Python int whose bit i is set when the i-th structure has the value, so
that a filter is a few `&` and `|` over whole sets instead of a scan of every entry.
The same index is built from structures in memory or read back from the cache.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache

from essmap import geo
from essmap.model import KINDS, OFFERS, STAGES, THEMES, Structure
from essmap.text import key

# Field weights of the free-text search: a word of the name or aliases counts more than one of
# the kind, offers and themes, which counts more than one of the description.
NAME, FACET, TEXT = 0, 1, 2
WEIGHTS = (3.0, 1.6, 1.0)
ESS_SPELLED_OUT = frozenset({"sociale", "solidaire"})  # with "economie": the ESS, spelled out


def facet_values(structure: Structure) -> Iterable[tuple[str, str]]:
    """The (facet, value) pairs a structure is indexed under."""
    yield from (("department", d) for d in structure.coverage)
    yield from (("stage", s) for s in structure.stages)
    yield from (("theme", t) for t in structure.themes)
    yield from (("offer", o) for o in structure.all_offers)
    yield ("kind", structure.kind)
    yield from (("carried_by", i) for i in structure.carried_by)
    yield from (("member_of", i) for i in structure.member_of)
    if structure.national:
        yield ("national", "true")
    yield ("status", structure.status)
    if structure.is_listed:
        yield ("listed", "true")


def _search_texts(structure: Structure) -> tuple[Iterable[str], Iterable[str], Iterable[str]]:
    facets = [KINDS.french(structure.kind), structure.kind, structure.city or ""]
    facets += [THEMES.french(t) for t in structure.themes] + [OFFERS.french(o) for o in structure.all_offers]
    facets += [STAGES.french(s) for s in structure.stages] + [geo.region_name(r) for r in structure.regions]
    facets += [geo.DEPARTMENT_BY_CODE[d].name for d in structure.departments]
    facets += ["national"] if structure.national else []
    return (structure.name, structure.id, *structure.aliases), facets, (structure.description,)


def words_of(structure: Structure) -> dict[str, int]:
    """Each search word and stem of a structure with the best field it appears in (NAME, FACET, TEXT)."""
    from essmap.text import stem

    found: dict[str, int] = {}
    for field, texts in zip((NAME, FACET, TEXT), _search_texts(structure)):
        for text in texts:
            words = _label_words(text) if field == FACET else key(text).split()
            for word in words:
                if word not in found:
                    found[word] = field
            if "ess" not in found and ESS_SPELLED_OUT & set(words) and "economie" in words:
                found["ess"] = field  # "économie sociale et solidaire" is what "ESS" stands for
    for word, field in list(found.items()):  # in field order: a stem keeps its best field
        found.setdefault(stem(word), field)
    return found


@lru_cache(maxsize=8192)
def _label_words(label: str) -> tuple[str, ...]:
    """The words of a vocabulary label or place name: the same few hundred texts for every entry."""
    return tuple(key(label).split())


def unpack_posting(posting: int) -> tuple[int, int]:
    """(position, field) of a posting: four bytes per word occurrence instead of a tuple."""
    return posting >> 2, posting & 3


def bitset(found: Iterable[int], size: int) -> int:
    """The bitset of the given positions, built in linear time."""
    flags = bytearray((size + 7) // 8)
    for position in found:
        flags[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(flags, "little")


def positions(bits: int) -> list[int]:
    """The positions of the set bits, in increasing order."""
    binary = bin(bits)[:1:-1]
    found, start = [], binary.find("1")
    while start != -1:
        found.append(start)
        start = binary.find("1", start + 1)
    return found


class Words:
    """A search vocabulary in memory: membership, words by prefix, the whole list for typos."""

    def __init__(self, words: list[str]):
        self._list = sorted(words)
        self._set = set(words)

    def known(self, word: str) -> bool:
        return word in self._set

    def starting(self, prefix: str) -> list[str]:
        from bisect import bisect_left

        start = bisect_left(self._list, prefix)
        found = []
        for word in self._list[start:]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def words(self) -> list[str]:
        return self._list


class Index:
    """Bitsets by facet value, entry names for `show`, and the search vocabulary."""

    def __init__(
        self,
        size: int,
        facets: dict[str, dict[str, int]],
        names: Sequence[Sequence[str]],
        postings,
        exact=None,
        name_keys: Sequence[tuple[str, int]] | None = None,
    ):
        self.size = size
        self.facets = facets
        self.names = names  # per position: id, name, aliases, former ids
        self._postings = postings  # word -> postings (see `posting`), or a lazy mapping
        self._exact = exact  # name key -> positions: a function (the cache's), else built when asked
        self._words: Words | None = None
        self._name_keys: Sequence[tuple[str, int]] | None = name_keys

    def name_keys(self) -> Sequence[tuple[str, int]]:
        """(key of a name, alias or id, its position) for every spelling: what `show` matches."""
        if self._name_keys is None:
            self._name_keys = sorted(
                {(key(spelling), position) for position, names in enumerate(self.names) for spelling in names}
            )
        return self._name_keys

    def exact(self, name_key: str) -> set[int]:
        """Positions one of whose names, aliases or ids has this key (text.key)."""
        if self._exact is None:
            table: dict[str, set[int]] = {}
            for position, spellings in enumerate(self.names):
                for spelling in spellings:
                    table.setdefault(key(spelling), set()).add(position)
            self._exact = lambda wanted: table.get(wanted, set())
        return set(self._exact(name_key))

    @classmethod
    def build(cls, structures: Sequence[Structure]) -> Index:
        members: dict[tuple[str, str], list[int]] = {}
        postings: dict[str, array] = {}
        for position, structure in enumerate(structures):
            for pair in facet_values(structure):
                members.setdefault(pair, []).append(position)
            for word, field in words_of(structure).items():
                postings.setdefault(word, array("L")).append(position << 2 | field)
        facets: dict[str, dict[str, int]] = {}
        for (facet, value), found in members.items():
            facets.setdefault(facet, {})[value] = bitset(found, len(structures))
        names = [(s.id, s.name, *s.aliases, *s.former_ids) for s in structures]
        return cls(len(structures), facets, names, postings)

    @property
    def all(self) -> int:
        return (1 << self.size) - 1

    def bits(self, facet: str, values: Iterable[str]) -> int:
        table = self.facets.get(facet, {})
        result = 0
        for value in values:
            result |= table.get(value, 0)
        return result

    @property
    def vocabulary(self) -> list[str]:
        return list(self._postings)

    @property
    def words(self) -> Words:
        """The search vocabulary, asked word by word (the cache answers from its database)."""
        if self._words is None:
            self._words = getattr(self._postings, "words", None) or Words(self.vocabulary)
        return self._words

    def postings(self, word: str) -> Sequence[int]:
        """The word's postings, each `position << 2 | field` (see `unpack_posting`)."""
        return self._postings.get(word, ())

    def referring(self, facet: str, structure_id: str) -> list[int]:
        """Positions of the structures whose `facet` (carried_by, member_of) names the id."""
        return positions(self.facets.get(facet, {}).get(structure_id, 0))
