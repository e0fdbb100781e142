"""Open-data export: the whole catalogue as JSON and CSV, described by a Data Package."""

from __future__ import annotations

import json
from pathlib import Path

from essmap import __version__
from essmap.catalogue import Catalogue
from essmap.errors import EssmapError
from essmap.render import FIELDS, records, to_csv
from essmap.safe import json_safe


def write(catalogue: Catalogue, folder: Path) -> list[Path]:
    """Write structures.json, structures.csv and datapackage.json into `folder`."""
    rows = records(list(catalogue.structures))
    document = {
        "title": "Structures d'accompagnement de l'économie sociale et solidaire (essmap)",
        "licence": catalogue.licence,
        "updated": catalogue.updated,
        "count": len(rows),
        "structures": rows,
    }
    package = {
        "name": "essmap-structures",
        "title": document["title"],
        "version": catalogue.updated,
        "licenses": [{"name": catalogue.licence}] if catalogue.licence else [],
        "created_by": f"essmap {__version__}",
        "resources": [
            {
                "name": "structures-json",
                "path": "structures.json",
                "format": "json",
                "mediatype": "application/json",
            },
            {
                "name": "structures-csv",
                "path": "structures.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": f} for f in FIELDS]},
                "dialect": {"delimiter": ",", "lineTerminator": "\\n"},
            },
        ],
    }
    files = {
        "structures.json": json_safe(json.dumps(document, ensure_ascii=False, indent=1)) + "\n",
        "structures.csv": to_csv(rows, FIELDS),
        "datapackage.json": json.dumps(package, ensure_ascii=False, indent=2) + "\n",
    }
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
            written.append(folder / name)
    except OSError as error:
        raise EssmapError(f"cannot write to {folder}: {error.strerror or error}") from None
    return written
