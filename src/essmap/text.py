"""Text normalisation shared by places, vocabularies and search."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LIGATURES = (("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae"), ("ß", "ss"))

# Short French words that carry no meaning in a name ("Le Transfo", "Pays de la Loire").
STOPWORDS = frozenset(
    {
        "l",
        "le",
        "la",
        "les",
        "d",
        "de",
        "du",
        "des",
        "et",
        "en",
        "a",
        "au",
        "aux",
        "un",
        "une",
        "pour",
        "par",
        "sur",
        "avec",
        "dans",
        "qui",
        "que",
        "ou",
    }
)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form: 'Île-de-France' -> 'ile de france'."""
    if not text.isascii():
        for ligature, letters in _LIGATURES:
            if ligature in text:
                text = text.replace(ligature, letters)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def slugify(text: str) -> str:
    """The id form of a text: 'Île-de-France' -> 'ile-de-france'."""
    return fold(text).replace(" ", "-")


def key(text: str) -> str:
    """A name's matching key: folded, without French stopwords ('Le Transfo' -> 'transfo')."""
    words = [w for w in fold(text).split() if w not in STOPWORDS]
    return " ".join(words) if words else fold(text)


MAX_STEMMED = 40  # longer "words" (a hostile file's) are kept as they are


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: the Snowball stemmers compiled, fast enough to stem a whole catalogue

    return Stemmer.Stemmer("french")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball French stem of a folded word ('financements' -> 'financ')."""
    if len(word) <= 3 or len(word) > MAX_STEMMED or word.isdigit():
        return word
    return _stemmer().stemWord(word)
