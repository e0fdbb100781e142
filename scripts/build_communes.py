"""Regenerate src/essmap/communes.tsv.gz from Etalab's official list of French communes.

The source is the npm package @etalab/decoupage-administratif (MIT licence), which
publishes the INSEE Code officiel géographique as JSON. This script fetches the given
version with `npm pack`, keeps what essmap needs (name, department, postal codes,
population, INSEE code) for the communes of the 101 departments, and writes a compact gzipped TSV
plus communes.source.json recording the source, its version and licence.

Usage: python scripts/build_communes.py [VERSION]      (default: the version recorded)
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "essmap" / "communes.tsv.gz"
SOURCE = ROOT / "src" / "essmap" / "communes.source.json"
PACKAGE = "@etalab/decoupage-administratif"
KEPT_TYPES = ("commune-actuelle", "arrondissement-municipal", "commune-deleguee", "commune-associee")


def fetch(version: str) -> tuple[list[dict], dict]:
    with tempfile.TemporaryDirectory() as folder:
        name = (
            subprocess.run(
                ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
                cwd=folder,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        with tarfile.open(Path(folder) / name) as archive:
            communes = json.load(archive.extractfile("package/data/communes.json"))
            meta = json.load(archive.extractfile("package/package.json"))
    return communes, meta


# the INSEE code a commune's name stands for: its own as a current commune or a municipal
# arrondissement, else (a delegated or associated commune) the code of the commune it is part of
_CODE_RANK = {"commune-actuelle": 0, "arrondissement-municipal": 1}


def rows(communes: list[dict]) -> list[tuple[str, str, str, int, str]]:
    sys.path.insert(0, str(ROOT / "src"))
    from essmap.geo import DEPARTMENT_BY_CODE

    kept: dict[tuple[str, str], tuple[set[str], int, tuple[int, str]]] = {}
    for commune in communes:
        department = commune.get("departement")
        if commune.get("type") not in KEPT_TYPES or department not in DEPARTMENT_BY_CODE:
            continue
        codes, population, code = kept.get((commune["nom"], department), (set(), 0, (9, "")))
        codes.update(commune.get("codesPostaux") or ())
        rank = _CODE_RANK.get(commune["type"], 2)
        own = commune["code"] if rank < 2 else commune.get("chefLieu") or commune["code"]
        kept[(commune["nom"], department)] = (
            codes,
            max(population, commune.get("population") or 0),
            min(code, (rank, own)),
        )
    return sorted(
        (name, dep, " ".join(sorted(codes)), pop, code[1]) for (name, dep), (codes, pop, code) in kept.items()
    )


def main() -> None:
    recorded = json.loads(SOURCE.read_text(encoding="utf-8")) if SOURCE.exists() else {}
    version = sys.argv[1] if len(sys.argv) > 1 else recorded.get("version", "6.0.0")
    communes, meta = fetch(version)
    table = rows(communes)
    text = "".join(f"{name}\t{dep}\t{codes}\t{pop}\t{code}\n" for name, dep, codes, pop, code in table)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=9) as out:
        out.write(text.encode("utf-8"))
    TARGET.write_bytes(buffer.getvalue())
    SOURCE.write_text(
        json.dumps(
            {
                "package": PACKAGE,
                "version": meta["version"],
                "licence": meta.get("license"),
                "repository": meta.get("repository"),
                "file": "data/communes.json",
                "kept": list(KEPT_TYPES),
                "rows": len(table),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(table)} communes written to {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
