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
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "essmap"
LANGUAGES = ("fr", "en")


def language() -> str:
    """'fr' or 'en', from ESSMAP_LANG, then the locale variables in gettext's order."""
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
