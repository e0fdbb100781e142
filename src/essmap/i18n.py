"""The interface's language: French where the person's locale is French, English otherwise.

Messages are written in English in the code, wrapped in `_()`, and translated through the
standard gettext machinery: `src/essmap/locale/fr/LC_MESSAGES/essmap.po` holds the French,
compiled to `essmap.mo` when the package is built (`hatch_build.py`, with Babel). `ESSMAP_LANG`
(`fr` or `en`) forces either language; otherwise the first of LANGUAGE, LC_ALL, LC_MESSAGES and
LANG that is set decides, as gettext itself reads them. Catalogue content stays French.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "essmap"
LANGUAGES = ("fr", "en")
# The language of the request being answered (essmap serve): each request says its own, and a
# context variable keeps concurrent requests apart. Unset, the process's environment decides.
_REQUEST_LANGUAGE: ContextVar[str | None] = ContextVar("essmap_language", default=None)


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Within the block, the interface speaks `lang` ('fr' or 'en')."""
    token = _REQUEST_LANGUAGE.set(lang if lang in LANGUAGES else "fr")
    try:
        yield
    finally:
        _REQUEST_LANGUAGE.reset(token)


def language() -> str:
    """'fr' or 'en': the request's (see `speaking`), else ESSMAP_LANG, then the locale variables
    in gettext's order."""
    chosen = _REQUEST_LANGUAGE.get()
    if chosen is not None:
        return chosen
    forced = os.environ.get("ESSMAP_LANG", "").strip().lower()[:2]
    if forced in LANGUAGES:
        return forced
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            first = value.split(":")[0].strip().lower()
            return "fr" if first.startswith("fr") else "en"
    return "en"


@lru_cache(maxsize=2)
def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the interface's language."""
    lang = language()
    return message if lang == "en" else _translations(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    lang = language()
    if lang == "en":
        return singular if count == 1 else plural
    return _translations(lang).ngettext(singular, plural, count)


def french() -> bool:
    return language() == "fr"
