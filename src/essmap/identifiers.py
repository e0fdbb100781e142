"""France's official identifiers of a structure: SIREN, SIRET and the association number (RNA).

A SIREN (9 digits) names a legal unit in INSEE's SIRENE registry, a SIRET (14 digits: the SIREN
then 5 digits) one of its establishments; both end with a Luhn check digit. La Poste is the
known exception: its establishments share the SIREN 356000000 and their SIRETs do not pass
the Luhn test, but the sum of their digits is a multiple of 5. An association declared in a
prefecture has an RNA number: "W" then 9 characters (digits, and a letter for Corsica's 2A/2B
and some overseas departments, as in W2A1234567 or W9R2001234).
"""

from __future__ import annotations

import re

from essmap.i18n import _

LA_POSTE_SIREN = "356000000"
_RNA = re.compile(r"W[0-9][0-9A-Z][0-9]{7}")
FIELDS = ("siren", "siret", "rna")


def luhn(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siren_problem(value: str) -> str | None:
    """Why `value` is not a SIREN, or None."""
    if not (len(value) == 9 and value.isascii() and value.isdigit()):
        return _("a SIREN is 9 digits written together, not {value}").format(value=repr(value))
    if not luhn(value):
        return _("SIREN {value} fails its checksum (a digit is wrong)").format(value=value)
    return None


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET, or None (La Poste's establishments included)."""
    if not (len(value) == 14 and value.isascii() and value.isdigit()):
        return _("a SIRET is 14 digits written together, not {value}").format(value=repr(value))
    if value.startswith(LA_POSTE_SIREN):
        if luhn(value) or sum(int(c) for c in value) % 5 == 0:
            return None
    elif luhn(value) and luhn(value[:9]):
        return None
    return _("SIRET {value} fails its checksum (a digit is wrong)").format(value=value)


def rna_problem(value: str) -> str | None:
    """Why `value` is not an association number (RNA), or None."""
    if not _RNA.fullmatch(value):
        return _("an association number (RNA) is W and 9 characters, as W751234567, not {value}").format(
            value=repr(value)
        )
    return None


PROBLEMS = {"siren": siren_problem, "siret": siret_problem, "rna": rna_problem}


def problem(kind: str, value: str) -> str | None:
    """Why `value` is not a valid identifier of `kind` ('siren', 'siret' or 'rna'), or None."""
    return PROBLEMS[kind](value)
