"""What a person types, resolved to a place: a region, a department or a commune.

Names, codes, abbreviations, former regions and typos are accepted; an unknown value gets
suggestions, and a hint when it is a place of another sort ("'quimper' is a commune: use
--commune"). The regions and departments themselves are in geo.py, the communes in communes.py.
"""

from __future__ import annotations

from essmap import geo
from essmap.errors import UnknownValue, UsageError
from essmap.geo import Place
from essmap.i18n import _
from essmap.text import slugify


def resolve_region(text: str) -> Place:
    """A region (2016 map) or a former region, as typed by a person."""
    place = geo.find_region(text)
    if place is None:
        raise _unknown_place("region", text)
    return place


def resolve_department(text: str) -> Place:
    """A department by code, name or ISO code, as typed by a person."""
    place = geo.find_department(text)
    if place is None:
        raise _unknown_place("department", text)
    return place


def _unknown_place(what: str, text: str) -> UnknownValue:
    """A region or department no spelling names, with suggestions, and a hint when the text is
    a place of the other sort (or a commune)."""
    if what == "region":
        choices = [r.slug for r in geo.REGIONS] + [slugify(n) for n in geo.FORMER_REGIONS]
        spellings, other = geo.REGION_SPELLINGS, geo.find_department(text)
        other_hint = _(" ({value} is a department: use --department {id})")
    else:
        choices = [d.code for d in geo.DEPARTMENTS]
        spellings, other = geo.DEPARTMENT_SPELLINGS, geo.find_region(text)
        other_hint = _(" ({value} is a region: use --region {id})")
    hint = other_hint.format(value=repr(text), id=other.id) if other else _commune_hint(text)
    return UnknownValue(what, text, sorted(set(choices)), {k: p.id for k, p in spellings.items()}, hint)


def _commune_hint(text: str) -> str:
    from essmap.communes import candidates

    return _(" ({value} is a commune: use --commune)").format(value=repr(text)) if candidates(text) else ""


def resolve_place(text: str) -> Place:
    """A region (current or former), a department or a commune, whichever `text` names."""
    place = geo.find_region(text) or geo.find_department(text)
    if place is None:
        from essmap.communes import resolve_commune

        try:  # "Montreuil", "Carhaix", "Flers 61100", a postal code
            return resolve_commune(text)
        except UnknownValue:
            pass
        spellings = {k: p.id for k, p in {**geo.REGION_SPELLINGS, **geo.DEPARTMENT_SPELLINGS}.items()}
        choices = [r.slug for r in geo.REGIONS] + [d.code for d in geo.DEPARTMENTS]
        raise UnknownValue("place", text, choices, spellings)
    return place


def resolve_one(region: str | None, department: str | None, commune: str | None) -> Place:
    """The single place given as a region, a department or a commune (name or postal code)."""
    if sum(bool(p) for p in (region, department, commune)) != 1:
        raise UsageError(_("give one place: --region, --department or --commune"))
    if region:
        return resolve_region(region)
    if department:
        return resolve_department(department)
    from essmap.communes import resolve_commune

    assert commune is not None  # exactly one of the three was given
    return resolve_commune(commune)
