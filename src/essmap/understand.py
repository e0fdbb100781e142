"""Understanding a question typed in a person's words: places, needs, kinds, themes, stages.

"trouver un financement pour mon association à Rennes" becomes: the place Rennes (35),
the offer `financement`, the theme `vie-associative`, and the words left to search.
Places are recognised from communes (name or postal code), departments (name or code),
regions (current, former, abbreviations); needs, kinds and themes from the lexicon kept
with the vocabularies (model.LEXICON_WORDS). Words are stemmed with the Snowball French
stemmer (PyStemmer), so plurals and verb forms meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from essmap import geo
from essmap.geo import Place
from essmap.i18n import _
from essmap.model import LEXICON_AS_TYPED, LEXICON_PHRASES, LEXICON_WORDS
from essmap.text import STOPWORDS, fold, stem

# Words of a request that say nothing about what is sought.
QUERY_STOPWORDS = STOPWORDS | frozenset(
    """je j me m mon ma mes notre nos votre vos on nous il elle ce cet cette ces est suis sont
    cherche chercher recherche rechercher trouver trouve besoin veux voudrais souhaite aimerais
    faut peut pourrait aider aide aidez quelqu quelqu un qui quoi comment ou quel quelle quels
    structure structures organisme organismes projet projets mon ma moi
    i my me we our need needs looking look find help want for the a an in of to and with near
    where who which at on is are some any their own anywhere before after into from about how can could
    would like your its this that these those they them it be do does should us so just very also
    s t n c qu y ne pas plus tres tout tous toute avoir faire fait etre nous vous ils leur leurs
    petit petite petits petites vraie vrai bien beaucoup
    mais ca si ni plutot encore deja aussi trop peu chaque depuis pendant avant apres entre surtout
    juste vraiment franchement bonjour merci svp etc comme quand alors donc car voila oui non dit
    sait veut veulent voudrait voudrions aimerait aimerions existe arrive connait rien
    viens venons arriver arrivee ai as avons avez ont envie""".split()
)
# Nouns that follow a count: "10 salariés" counts people, it names no department.
COUNTED = frozenset(
    """salaries salariees salarie employes personnes benevoles membres adherents associes emplois
    postes ans annees mois semaines jours heures euros eur k etp people employees staff volunteers
    members jobs years months""".split()
)
# Words before a place: "à Rennes", "en Gironde", "near Lyon".
LOCATIVES = frozenset("a au aux en dans sur vers pres autour near in around at".split())
PLACE_ARTICLES = frozenset({"le", "la", "les"})
CONTRACTED_ARTICLES = {"au": "le", "aux": "les", "du": "le", "des": "les"}  # "au Mans", "des Abymes"
# Commune names that are also everyday words: a place only after a locative or capitalised.
_COMMON_WORDS = frozenset(
    """tours sens orange vienne bar lens nice mode sport plan aide ess reseau centre union
    pole france active initiative val mer port pont foix ile saint bois belle sud quartier
    nord cher var lot ain orne gard eure aude tarn gers somme manche marne meuse oise creuse landes""".split()
)
BIG_CITY = 100000
MIN_COMMUNE_POPULATION = 20000  # without a locative or a capital letter, only a town this large
_WORD = re.compile(r"[\w'’-]+")


@lru_cache(maxsize=1)
def _lexicon_stems() -> dict[str, tuple[tuple[str, str], ...]]:
    """The lexicon by stem, so that 'employeuse' or 'financées' find their entry."""
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for word, meaning in LEXICON_WORDS.items():
        table.setdefault(stem(word), meaning)
    return table


@dataclass(slots=True)
class Understanding:
    """What a request says, and what is left to search as text."""

    text: str
    places: list[tuple[str, Place]] = field(default_factory=list)  # (words as typed, place)
    concepts: list[tuple[str, str, str]] = field(default_factory=list)  # (word, facet, value)
    words: list[str] = field(default_factory=list)  # folded words left for the text search

    @property
    def departments(self) -> frozenset[str]:
        return frozenset(d for _, place in self.places for d in place.departments)

    def facet(self, name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value for _, facet, value in self.concepts if facet == name))

    def summary(self) -> str:
        """What was understood, for stderr: 'lieu : Rennes (35) ; besoin : Financement'."""
        from essmap.model import KINDS, OFFERS, STAGES, THEMES

        parts = [_("place: {label}").format(label=place.label) for _word, place in self.places]
        for facet, label, vocabulary in (
            ("offer", _("need: {labels}"), OFFERS),
            ("kind", _("kind: {labels}"), KINDS),
            ("theme", _("theme: {labels}"), THEMES),
            ("stage", _("stage: {labels}"), STAGES),
        ):
            values = self.facet(facet)
            if values:
                parts.append(label.format(labels=", ".join(vocabulary.label(v) for v in values)))
        return " ; ".join(parts)


HEADING_WORDS = 5  # at most this many words before a comma can be a name heading the text
NAME_PARTICLES = frozenset("de du des la le les l d sur sous en et".split())  # "La Roche-sur-Yon"


def _tokens(text: str) -> list[tuple[str, bool]]:
    """(folded word, typed as a name) for each word of the text, hyphens and apostrophes split.

    A word typed with a capital is a name, except the first words of the text, which take one
    anyway; unless they stand apart before a comma or a colon, as a place does ("Mende, notre
    centre social…", "La Flèche : on monte une asso"). Digits count only when typed as ASCII
    digits ('¼' folds to '14' but names no department)."""
    matches = list(_WORD.finditer(text))
    heading = _heading(text, matches)
    found: list[tuple[str, bool]] = []
    for n, match in enumerate(matches):
        raw = match.group()
        for part in fold(raw).split():
            if part.isdigit() and part not in raw:
                continue
            found.append((part, raw[:1].isupper() and (bool(found) or n < heading)))
    return found


def _heading(text: str, matches: list) -> int:
    """How many first words stand apart as a name before a comma or colon (0 if none)."""
    for n, match in enumerate(matches[:HEADING_WORDS]):
        if text[match.end() :].lstrip()[:1] in (",", ":", ";"):
            words = [m.group() for m in matches[: n + 1]]
            named = all(w[:1].isupper() or fold(w) in NAME_PARTICLES for w in words)
            return n + 1 if named and words[0][:1].isupper() else 0
    return 0


def _commune_place(words: list[str], capitalised: bool, after_locative: bool) -> Place | None:
    from essmap.communes import candidates, meant, name_key

    name = " ".join(words)
    if len(words) == 1 and (len(name) < 3 or name in QUERY_STOPWORDS or name.isdigit() and len(name) != 5):
        return None
    if name in _english_towns():  # "Dunkirk" is Dunkerque
        name, capitalised = _english_towns()[name], True
    # "à Carhaix" is Carhaix-Plouguer: one word typed as a name ("à prix réduit" is no "Prix-lès-Mézières")
    found = _big_city_named(name) or (meant(name) if capitalised and len(words) == 1 else candidates(name))
    if not found and len(words) == 1 and _demonyms().get(stem(name)):
        found = candidates(_demonyms()[stem(name)])
        after_locative = True  # "lilloise" says the place as clearly as "à Lille"
    if not found:
        return None
    first = found[0]
    if name.isdigit():
        # a postal code: its towns, the largest named first ("Villefranche-sur-Saône, 69400 (69)")
        departments = frozenset(c.department for c in found)
        return Place("commune", name, f"{first.name}, {name} ({', '.join(sorted(departments))})", departments)
    common = name in _COMMON_WORDS or name in LEXICON_WORDS
    if words[0] in PLACE_ARTICLES and len(words) == 2:  # "le port" is no more a place than "port"
        common = common or words[1] in _COMMON_WORDS or words[1] in LEXICON_WORDS
    if not (after_locative or capitalised) and (common or first.population < MIN_COMMUNE_POPULATION):
        return None
    if common and not after_locative and first.population < MIN_COMMUNE_POPULATION:
        return None
    # a name several large towns bear ("Saint-Denis"): all of them, else the most populous
    departments = frozenset(
        c.department for c in found if c.population * 3 >= first.population and c.population >= BIG_CITY / 2
    ) or frozenset({first.department})
    label = first.label if len(departments) == 1 else f"{first.name} ({', '.join(sorted(departments))})"
    return Place("commune", name_key(first.name).replace(" ", "-"), label, departments)


@lru_cache(maxsize=1)
def _english_towns() -> dict[str, str]:
    return {fold(english): fold(french) for english, french in geo.TOWNS_IN_ENGLISH.items()}


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    return {stem(demonym): town for demonym, town in geo.DEMONYMS.items()}


@lru_cache(maxsize=1)
def _big_cities_by_first_word() -> dict:
    """'clermont' -> Clermont-Ferrand: the city people mean by its first word alone."""
    from essmap.communes import largest, name_key

    table: dict = {}
    for commune in largest(BIG_CITY):
        words = name_key(commune.name).split()
        first = words[1] if words[0] in PLACE_ARTICLES and len(words) > 1 else words[0]  # "Le Havre"
        if first not in table or commune.population > table[first].population:
            table[first] = commune
    return table


def _big_city_named(name: str) -> list:
    """A big city called by its first word, when no smaller commune is a tenth of its size."""
    from essmap.communes import candidates

    city = _big_cities_by_first_word().get(name)
    if city is None:
        return []
    exact = candidates(name)
    return [city] if not exact or exact[0].population * 10 < city.population else exact


def _department_or_region(
    words: list[str], capitalised: bool, after_locative: bool, counted: bool = False
) -> Place | None:
    name = " ".join(words)
    if name.isdigit():
        if counted:
            return None  # "10 salariés"
        if len(name) in (2, 3) and name not in ("00",):
            return geo.find_department(name) if len(name) == 2 or name.startswith("97") else None
        return None
    place = geo.find_region(name) or geo.find_department(name)
    if place is None:
        return None
    if len(words) == 1 and (name in LEXICON_WORDS or name in _COMMON_WORDS or len(name) <= 3):
        # "nord", "cher", "lot", "ain", "var", "ara": a place only when clearly meant
        if not (after_locative or capitalised or place.kind == "region" and name not in _COMMON_WORDS):
            return None
    if place.kind == "area" and not (after_locative or capitalised):
        return None  # "brie", "berry", "provence" are cheese, fruit and a style before they are places
    return place


PLACE_TYPO_CUTOFF = 85.0
PLACE_SURE_TYPO = 92.0  # a typo that must win over a place named by the words after its first
LEXICON_TYPO_CUTOFF = 85.0


def _misspelt_lexicon(word: str, known=None) -> tuple[tuple[str, str], ...]:
    """The lexicon's meaning of a word typed with a typo ('incubatuer'), for words of 6 letters or
    more that the catalogue's own words do not hold ("couture" is no typo of "culture")."""
    if len(word) < 6 or known is not None and known(word):
        return ()
    from rapidfuzz import fuzz, process

    # a typo keeps the first letter: "remonter" is no "monter", "recreer" no "creer"
    found = process.extractOne(
        word, _lexicon_by_initial().get(word[0], ()), scorer=fuzz.ratio, score_cutoff=LEXICON_TYPO_CUTOFF
    )
    return LEXICON_WORDS[found[0]] if found else ()


@lru_cache(maxsize=1)
def _lexicon_by_initial() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for word in LEXICON_WORDS:
        table.setdefault(word[0], []).append(word)
    return table


TYPO_CITY = 50000  # towns this large are recognised through a typo too ("Marseile", "Bordeau")


@lru_cache(maxsize=1)
def _place_names() -> dict[str, Place]:
    """Names a typo may aim at: regions, former regions, departments, and the largest towns."""
    from essmap.communes import largest, name_key

    table: dict[str, Place | None] = {}
    for commune in sorted(largest(TYPO_CITY), key=lambda c: c.population):
        table[name_key(commune.name)] = Place(
            "commune",
            name_key(commune.name).replace(" ", "-"),
            commune.label,
            frozenset({commune.department}),
        )
    for region in geo.REGIONS:
        table[fold(region.name)] = geo.find_region(region.slug)
    for former in geo.FORMER_REGIONS:
        table[fold(former)] = geo.find_region(former)
    for department in geo.DEPARTMENTS:
        table[fold(department.name)] = geo.find_department(department.code)
    return {name: place for name, place in table.items() if place is not None and len(name) >= 6}


def _misspelt_place(words: list[str], cutoff: float = 0.0) -> Place | None:
    """A region or department name typed with a typo ('mozelle', 'paie de la loire')."""
    from rapidfuzz import fuzz, process

    name = " ".join(words)
    if len(name) < 6 or name in LEXICON_WORDS or _lexicon_stems().get(stem(name)):
        return None
    if any(w in QUERY_STOPWORDS or len(w) < 3 for w in (words[0], words[-1])):
        return None  # "hauts les" is no typo of a place
    names = _place_names()
    found = process.extractOne(
        name, list(names), scorer=fuzz.ratio, score_cutoff=max(cutoff, PLACE_TYPO_CUTOFF)
    )
    if found is None or found[0] == name:
        return None  # no typo; and an exact name the exact rules left out ("centre social") is no place
    # a word the lexicon understands is no part of a misspelt place: "dla sein saint denis" asks
    # for the DLA of "seine saint denis"
    if len(words) > 1 and any(w in LEXICON_WORDS for w in (words[0], words[-1])):
        return None
    return names[found[0]]


def _spans(words: list[str], i: int, longest: int = 6):
    """The spans of words starting at i that may name a place, longest first ("Provence-Alpes-Côte
    d'Azur" is five words; a typo is looked for in at most four, lest it swallow a word before)."""
    for size in range(longest, 0, -1):
        span = words[i : i + size]
        if len(span) < size:
            continue
        if span[0] in QUERY_STOPWORDS and (size == 1 or span[0] not in PLACE_ARTICLES):
            continue  # "de", "pour"... start no place; "Le Mans", "La Rochelle" do
        yield size, span


def _exact_place(
    span: list[str],
    capital: bool,
    after_locative: bool,
    counted: bool = False,
    town_after_locative: bool | None = None,
) -> Place | None:
    town = after_locative if town_after_locative is None else town_after_locative
    return _department_or_region(span, capital, after_locative, counted) or _commune_place(
        span, capital, town
    )


def _place_at(words: list[str], tokens, i: int) -> tuple[int, Place] | None:
    """(number of words, place) for a place named at word i: an exact name first, else a typo
    of one, unless the next word starts an exact name ("ess franche comte" is "Franche-Comté")."""
    capital = tokens[i][1]
    # "au Lamentin" is "à Le Lamentin" (Martinique), not Lamentin (Guadeloupe); "au" and "aux" say
    # "à le", "à les": what follows is a place only when typed as a name or a large town ("au
    # quartier", "au pont", "au Mont" are not "Le Quartier", "Pont" or "Le Mont")
    article = CONTRACTED_ARTICLES.get(words[i - 1]) if i > 0 else None
    after_locative = i > 0 and words[i - 1] in LOCATIVES and not article
    # "en" and "dans" come before a region or a department ("en Gironde"), rarely a town: after
    # them a small town must be typed as a name ("en ligne" is no "Ligné")
    town_after_locative = after_locative and words[i - 1] not in ("en", "dans")
    for size, span in _spans(words, i):
        counted = i + size < len(words) and words[i + size] in COUNTED
        place = (article and _commune_place([article, *span], capital, after_locative)) or _exact_place(
            span, capital, after_locative, counted, town_after_locative
        )
        if place is not None:
            return size, place
    if i + 1 < len(words) and any(
        _exact_place(span, tokens[i + 1][1], False) for _, span in _spans(words, i + 1)
    ):
        # the next word starts a place: only a near-certain typo covering it wins ("sein saint
        # denis" is Seine-Saint-Denis, not Saint-Denis; "ess franche comte" is Franche-Comté)
        for size, span in _spans(words, i, longest=4):
            place = _misspelt_place(span, cutoff=PLACE_SURE_TYPO) if size > 2 else None
            if place is not None:
                return size, place
        return None
    for size, span in _spans(words, i, longest=4):
        place = _misspelt_place(span)
        if place is not None:
            return size, place
    return None


def _within_broader_places(result: Understanding) -> None:
    """A town named with its department, region or area is the one there: "Villefranche dans le
    Beaujolais" is Villefranche-sur-Saône (69), not the Villefranche of the Yonne; and a small
    town found nowhere in it is no town ("les Monts d'Ardèche" names no Monts of the Indre-et-Loire)."""
    from essmap.communes import in_departments, name_key

    broader = [place for _, place in result.places if place.kind != "commune"]
    if not broader:
        return
    within = frozenset(d for place in broader for d in place.departments)
    kept = []
    for typed, place in result.places:
        if place.kind == "commune" and not place.departments <= within and not typed.isdigit():
            found = in_departments(typed, within)  # a postal code says its department(s) itself
            if found:
                town = found[0]
                key = name_key(town.name).replace(" ", "-")
                place = Place("commune", key, town.label, frozenset({town.department}))
            elif not place.departments & within and _population(typed) < MIN_COMMUNE_POPULATION:
                continue
        kept.append((typed, place))
    result.places[:] = kept


def _population(typed: str) -> int:
    from essmap.communes import meant

    found = meant(typed)
    return found[0].population if found else 0


def understand(text: str, places: bool = True, known=None) -> Understanding:
    """Places, concepts and remaining words of a request (see the module's docstring).

    `known` tells a word of the catalogue (index.Words.known): such a word is taken as typed,
    never as a typo of a lexicon word."""
    tokens = _tokens(text)
    result = Understanding(text)
    used = [False] * len(tokens)
    words = [w for w, _ in tokens]
    if places:
        i = 0
        while i < len(tokens):
            found = _place_at(words, tokens, i)
            if found is None:
                i += 1
                continue
            size, place = found
            result.places.append((" ".join(words[i : i + size]), place))
            used[i : i + size] = [True] * size
            i += size
    _within_broader_places(result)
    # phrases of the lexicon, then single words
    for phrase, meaning in LEXICON_PHRASES.items():
        size = len(phrase.split())
        for i in range(len(words) - size + 1):
            if not any(used[i : i + size]) and " ".join(words[i : i + size]) == phrase:
                result.concepts += [(phrase, facet, value) for facet, value in meaning]
                result.words += [w for facet, value in meaning if facet == "word" for w in value.split()]
                for j in range(i, i + size):
                    used[j] = True
    for i, word in enumerate(words):
        if used[i] or word in QUERY_STOPWORDS or word in LOCATIVES:
            continue
        meaning = (
            ()
            if word in LEXICON_AS_TYPED
            else LEXICON_WORDS.get(word) or _lexicon_stems().get(stem(word)) or _misspelt_lexicon(word, known)
        )
        if meaning:
            result.concepts += [(word, facet, value) for facet, value in meaning]
            translated = [value for facet, value in meaning if facet == "word"]
            result.words += translated or [word]
        else:
            result.words.append(word)
    return result
