"""The catalogue in data·inclusion's national schema: the `Structure` of data-inclusion-schema v1.

data·inclusion is France's common directory of the insertion offer. Its schema is published on
PyPI (`data-inclusion-schema`); tests/test_datainclusion.py validates every record written here
with it. Only what fits is written: a field whose value the schema would refuse (a description
outside 50–2000 characters, a town that names no single commune, an identifier that is only a
SIREN) is left out, never forced, and an entry that cannot be a valid record (a name outside
3–150 characters) is left out with its reason. Only active entries are written: data·inclusion
removes the structures it cannot show alive, and an unverified one would reach its users
without essmap's warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from essmap.catalogue import Catalogue
from essmap.communes import Commune, candidates
from essmap.i18n import _
from essmap.model import Structure
from essmap.safe import json_safe

SOURCE = "essmap"
FILE = "data-inclusion-structures.json"
DESCRIPTION_LENGTH = (50, 2000)  # what data·inclusion publishes as a structure's description
NAME_LENGTH = (3, 150)
# The référentiel `reseaux_porteurs` and the catalogue entries that stand for its networks:
# an entry is carried by the network when it is that entry, a member of it or carried by it.
NETWORKS = {
    "adie": "adie",
    "bge": "reseau-bge",
    "coorace": "coorace",
    "france-active": "france-active",
    "initiative-france": "initiative-france",
    "reseau-entreprendre": "reseau-entreprendre",
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


@dataclass(frozen=True, slots=True)
class LeftOut:
    id: str
    reason: str


def commune(structure: Structure) -> Commune | None:
    """The one commune an entry's town names within its departments, or None."""
    if not structure.city:
        return None
    found = [c for c in candidates(structure.city) if c.department in structure.coverage]
    return found[0] if len(found) == 1 else None


def record(structure: Structure) -> dict:
    """One data·inclusion structure (the keys the schema knows, none empty)."""
    row: dict = {
        "source": SOURCE,
        "id": f"{SOURCE}--{structure.id}",
        "nom": structure.name.rstrip("."),
        "date_maj": structure.updated,
    }
    low, high = DESCRIPTION_LENGTH
    if low <= len(structure.description) <= high:
        row["description"] = structure.description
    if structure.website:
        row["site_web"] = structure.website
    place = commune(structure)
    if place is not None:
        row["commune"] = place.name
        row["code_insee"] = place.code
        if len(place.postcodes) == 1:
            row["code_postal"] = place.postcodes[0]
    if structure.siret:
        row["siret"] = structure.siret
    if structure.email and _EMAIL.fullmatch(structure.email):
        row["courriel"] = structure.email
    if structure.phone:
        row["telephone"] = structure.phone
    networks = {
        NETWORKS[i] for i in (structure.id, *structure.member_of, *structure.carried_by) if i in NETWORKS
    }
    if networks:
        row["reseaux_porteurs"] = sorted(networks)
    return row


def records(catalogue: Catalogue) -> tuple[list[dict], list[LeftOut]]:
    """The active entries as data·inclusion structures, and the entries left out with why."""
    written: list[dict] = []
    left_out: list[LeftOut] = []
    low, high = NAME_LENGTH
    for structure in catalogue.structures:
        if not structure.is_active:
            continue
        name = structure.name.rstrip(".")
        if not low <= len(name) <= high:
            left_out.append(
                LeftOut(
                    structure.id, _("its name is not {low} to {high} characters").format(low=low, high=high)
                )
            )
            continue
        written.append(record(structure))
    return written, left_out


def text(rows: list[dict]) -> str:
    """The records as the JSON list data·inclusion reads."""
    return json_safe(json.dumps(rows, ensure_ascii=False, indent=2)) + "\n"


def ours(path: Path) -> bool:
    """Whether an existing file is one this export wrote (and so may be replaced)."""
    from essmap.files import starts_with

    return starts_with(path, b'[\n  {\n    "source": "essmap"', b"[]")
