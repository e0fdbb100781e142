"""The command line: parse options, call the core, render. Nothing else lives here."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from essmap import __version__, completion
from essmap.errors import EssmapError, UsageError

HELP = """Find the structures that support France's social and solidarity economy (ESS).

Examples:

```
essmap find --region bretagne --stage creation
essmap show transfo
essmap orient --stage creation --commune Brest --need financement
essmap coverage --by department --stage creation
essmap map --stage creation
essmap validate
```
"""

app = typer.Typer(
    name="essmap",
    help=HELP,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)

CatalogueOption = Annotated[
    Optional[Path],
    typer.Option(
        "--catalogue",
        "-c",
        envvar="ESSMAP_CATALOGUE",
        show_envvar=True,
        help="Catalogue file to use instead of the shipped one.",
    ),
]
OnlyStages = Annotated[
    list[str],
    typer.Option("--stage", "-s", help="Only these stages (repeatable).", autocompletion=completion.stages),
]
OnlyKinds = Annotated[
    list[str],
    typer.Option("--kind", "-k", help="Only these kinds (repeatable).", autocompletion=completion.kinds),
]
OnlyOffers = Annotated[
    list[str],
    typer.Option(
        "--offer", "-o", help="Only what offers this (repeatable).", autocompletion=completion.offers
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read the catalogue file itself, not the cache of it.")
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output format: table, json, jsonl, csv or markdown.")
]
FieldsOption = Annotated[
    Optional[str],
    typer.Option("--fields", help="Comma-separated fields for json, jsonl, csv, markdown (default: all)."),
]


def _console():
    from rich.console import Console

    return Console(highlight=False, markup=False, emoji=False)


def _say(message: str) -> None:
    """A message for the person, on standard error, made printable."""
    from essmap.safe import printable

    sys.stderr.write(printable(message) + "\n")
    sys.stderr.flush()


def _out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


@contextmanager
def _errors():
    """Turn the core's errors into a message on stderr and an exit code; never a traceback."""
    try:
        yield
    except EssmapError as error:
        for line in str(error).splitlines() or ["error"]:
            _say(f"essmap: {line}")
        raise typer.Exit(error.exit_code) from None
    except BrokenPipeError:
        sys.stderr.close()
        raise typer.Exit(0) from None


def _choice(what: str, names, value: str) -> str:
    """One of a few fixed names (a format, a grouping), typos suggested like every vocabulary."""
    from essmap.model import Term, Vocabulary

    return Vocabulary(what, tuple(Term(name, name) for name in names)).resolve(value)


def _format(value: str):
    from essmap.render import Format

    return Format(_choice("format", [f.value for f in Format], value))


def _version(value: bool) -> None:
    if value:
        _out(f"essmap {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Options that apply before any command."""


@app.command()
def find(
    query: Annotated[
        Optional[list[str]], typer.Argument(help="Free text: words of a name, a city, a theme...")
    ] = None,
    region: Annotated[
        list[str],
        typer.Option(
            "--region",
            "-r",
            help="Region, current or former (repeatable).",
            autocompletion=completion.regions,
        ),
    ] = [],
    department: Annotated[
        list[str],
        typer.Option(
            "--department",
            "-d",
            help="Department code or name (repeatable).",
            autocompletion=completion.departments,
        ),
    ] = [],
    commune: Annotated[
        list[str],
        typer.Option("--commune", help="Commune name or postal code, e.g. Brest, 29200 (repeatable)."),
    ] = [],
    stage: Annotated[
        list[str],
        typer.Option(
            "--stage",
            "-s",
            help="creation, consolidation, changement-echelle (repeatable).",
            autocompletion=completion.stages,
        ),
    ] = [],
    theme: Annotated[
        list[str],
        typer.Option(
            "--theme", "-t", help="Theme, e.g. alimentation (repeatable).", autocompletion=completion.themes
        ),
    ] = [],
    kind: Annotated[
        list[str],
        typer.Option(
            "--kind", "-k", help="Kind, e.g. incubateur, dla (repeatable).", autocompletion=completion.kinds
        ),
    ] = [],
    offer: Annotated[
        list[str],
        typer.Option(
            "--offer",
            "-o",
            help="What it provides, e.g. financement (repeatable).",
            autocompletion=completion.offers,
        ),
    ] = [],
    national: Annotated[
        bool, typer.Option("--national", help="With a place: also list the national structures.")
    ] = False,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Also list closed or merged structures.")
    ] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each structure is listed.")] = False,
    literal: Annotated[
        bool,
        typer.Option("--literal", help="Search the text as typed: no place understood in it."),
    ] = False,
    limit: Annotated[
        Optional[int],
        typer.Option(
            "--limit", "-n", min=0, help="Show at most N (0: all). Default: 50 with a query, else all."
        ),
    ] = None,
    format: FormatOption = "table",
    fields: FieldsOption = None,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """List the structures that match every option given, and the free-text query.

    Values of one option are alternatives; different options all apply.

    Examples:

        essmap find --region bretagne --stage creation
        essmap find --department 29 --kind dla
        essmap find --commune 29200 --offer financement
        essmap find incubateur toulouse --explain
        essmap find --region "ile de france" --theme alimentation --format csv
    """
    from essmap import catalogue as catalogue_module
    from essmap import query as query_module
    from essmap import render

    with _errors():
        output = _format(format)
        columns = render.parse_fields(fields)
        filters = query_module.Filters.parse(
            region,
            department,
            stage,
            theme,
            kind,
            offer,
            include_national=national,
            include_closed=include_closed,
            communes=commune,
        )
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        text = " ".join(query or ())
        if limit is None:
            limit = DEFAULT_QUERY_LIMIT if text.strip() else 0
        result = query_module.find(loaded, filters, text, limit=limit or None, literal=literal)
        understood = result.understood
        if understood is not None and (understood.places or understood.concepts):
            _say(f"compris : {understood.summary()}")
        reasons = None
        if explain:
            from essmap import explain as explain_module

            reasons = explain_module.reasons(loaded, result.structures, filters, result.scores, understood)
        _print_structures(result.structures, output, columns, reasons)
        for line in _find_notes(result, filters):
            _say(line)


DEFAULT_QUERY_LIMIT = 50


def _print_structures(structures, output, columns, reasons=None) -> None:
    """Data to stdout: a Rich table on a terminal, aligned plain text to a pipe, or a data format."""
    from essmap import render

    if output is not render.Format.table:
        rows = render.records(structures, columns)
        if reasons is not None:
            columns = (*columns, "reasons")
            for row, structure in zip(rows, structures):
                row["reasons"] = reasons[structure.id]
        _out(render.data(rows, columns, output))
    elif structures and sys.stdout.isatty():
        _console().print(render.table(structures, reasons))
    elif structures:
        _out(render.to_text(structures, reasons))


def _find_notes(result, filters) -> list[str]:
    count = result.total
    notes = [f"{count} structure{'s' if count != 1 else ''} found." if count else "No structure matches."]
    if len(result.structures) < count:
        notes.append(f"Showing the best {len(result.structures)}: add --limit 0 to list them all.")
    if result.national_left_out:
        places = ", ".join(p.label for p in filters.places)
        notes.append(
            f"{result.national_left_out} national structure{'s' if result.national_left_out > 1 else ''} "
            f"also serve{'s' if result.national_left_out == 1 else ''} {places}: add --national to list them."
        )
    if result.closed_left_out:
        notes.append(
            f"{result.closed_left_out} closed or merged left out: add --include-closed to list them."
        )
    return notes


@app.command()
def show(
    query: Annotated[
        str,
        typer.Argument(
            help="An id, a name, an alias, or a loose spelling of one.",
            autocompletion=completion.structure_ids,
        ),
    ],
    format: FormatOption = "table",
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show everything known about one structure, found by id, name or a loose name.

    Examples:

        essmap show transfo
        essmap show cress-bretagne --format json
    """
    from essmap import catalogue as catalogue_module
    from essmap import query as query_module
    from essmap import render

    with _errors():
        output = _format(format)
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        chosen = query_module.pick(loaded, query)
        if chosen.structure is None:
            _say_candidates(query, chosen)
            raise typer.Exit(2)
        structure = chosen.structure
        if not chosen.exact:
            _say(f"Taking {structure.name} ({structure.id}), the closest match for {query!r}.")
        elif query.strip().lower() in structure.former_ids:
            _say(f"{query.strip()!r} is a former id of {structure.id}.")
        if structure.status == "merged" and structure.replaced_by:
            _say(
                f"{structure.name} is merged into {', '.join(structure.replaced_by)}: essmap show {structure.replaced_by[0]}"
            )
        if output is render.Format.json:
            _out(render.to_json_one(structure))
        elif output is not render.Format.table:
            _out(render.data(render.records([structure]), render.FIELDS, output))
        else:
            _console().print(render.panel(structure, query_module.relations(loaded, structure)))


def _say_candidates(query: str, chosen) -> None:
    if not chosen.candidates:
        _say(f"essmap: no structure matches {query!r}.")
    elif chosen.candidates[0][1] >= 75:
        _say(f"essmap: {query!r} matches several structures; give one of these ids:")
    else:
        _say(f"essmap: no structure matches {query!r}; did you mean:")
    for structure, _score in chosen.candidates:
        _say(f"  {structure.id}  ({structure.name})")


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Catalogue files to check (default: the shipped one).")
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Report format: text or github.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
    max_age: Annotated[
        Optional[int],
        typer.Option(
            "--max-age",
            min=1,
            metavar="DAYS",
            help="Also warn about entries not checked for more than DAYS days (off by default).",
        ),
    ] = None,
) -> None:
    """Check catalogue files and report every problem as path:line:column.

    Exit code 0 when no error is found, 1 otherwise.

    Examples:

        essmap validate
        essmap validate --strict data/structures.yaml
        essmap validate --format github data/structures.yaml
        essmap validate --max-age 730
    """
    from essmap import catalogue as catalogue_module
    from essmap import validate as validate_module

    with _errors():
        reporters = {"text": validate_module.format_text, "github": validate_module.format_github}
        chosen = _choice("format", reporters, format)
        files = list(paths or [catalogue_module.resolve_path(None)])
        problems = [
            p for path in files for p in validate_module.validate(path, strict=strict, max_age=max_age)
        ]
        _out("".join(reporters[chosen](p) + "\n" for p in problems))
        _say(validate_module.summary(problems, files))
        if any(p.severity == "error" for p in problems):
            raise typer.Exit(1)


@app.command()
def fmt(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Catalogue files to rewrite (default: the shipped one).")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file is not in canonical form.")
    ] = False,
) -> None:
    """Rewrite catalogue files in their one canonical form (entry order, key order, quoting, width).

    Examples:

        essmap fmt data/structures.yaml
        essmap fmt --check data/structures.yaml
    """
    from essmap import catalogue as catalogue_module
    from essmap import fmt as fmt_module

    with _errors():
        files = list(paths or [catalogue_module.resolve_path(None)])
        changed = [path for path in files if not fmt_module.format_file(path, check=check)]
        for path in changed:
            _say(f"{'would reformat' if check else 'reformatted'} {path}")
        _say(
            f"{len(files) - len(changed)} file(s) already canonical, {len(changed)} {'not' if check else 'rewritten'}"
        )
        if check and changed:
            raise typer.Exit(1)


@app.command()
def orient(
    stage: Annotated[
        Optional[str],
        typer.Option("--stage", "-s", help="Where the project stands.", autocompletion=completion.stages),
    ] = None,
    region: Annotated[
        Optional[str],
        typer.Option(
            "--region", "-r", help="Region, if that is all you know.", autocompletion=completion.regions
        ),
    ] = None,
    department: Annotated[
        Optional[str],
        typer.Option(
            "--department", "-d", help="Department code or name.", autocompletion=completion.departments
        ),
    ] = None,
    commune: Annotated[Optional[str], typer.Option("--commune", help="Commune name or postal code.")] = None,
    need: Annotated[
        list[str],
        typer.Option(
            "--need",
            "-n",
            help="What you need, e.g. financement (repeatable).",
            autocompletion=completion.offers,
        ),
    ] = [],
    limit: Annotated[int, typer.Option("--limit", min=1, help="Structures per step.")] = 5,
    format: Annotated[str, typer.Option("--format", "-f", help="Output format: text or json.")] = "text",
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Whom to call first, and then: an ordered path for a stage, a place and needs, with reasons.

    Without options on a terminal, it asks the questions one by one.

    Examples:

        essmap orient --stage creation --department 29 --need financement --need hebergement
        essmap orient --stage consolidation --commune Lille --format json
        essmap orient
    """
    from essmap import catalogue as catalogue_module
    from essmap import orient as orient_module
    from essmap import places
    from essmap.model import OFFERS, STAGES

    with _errors():
        output = _choice("format", ("text", "json"), format)
        given = [p for p in (region, department, commune) if p]
        if stage is None and not given and not need and _is_terminal():
            stage, place, needs = _ask_orientation()
        else:
            missing = [name for name, given in (("--stage", stage), ("a place", given)) if not given]
            if missing or stage is None:
                raise UsageError(
                    "orient needs "
                    + " and ".join(missing)
                    + " (a place is --region, --department or --commune); "
                    "on a terminal, run `essmap orient` without options to be asked"
                )
            stage = STAGES.resolve(stage)
            place = places.resolve_one(region, department, commune)
            needs = OFFERS.resolve_all(need)
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        result = orient_module.orient(loaded, stage, place, needs, per_step=limit)
        if output == "json":
            import json

            from essmap.safe import json_safe

            _out(json_safe(json.dumps(orient_module.as_record(result), ensure_ascii=False, indent=2)) + "\n")
        else:
            _out(orient_module.as_text(result))


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(question: str, resolve, default: str | None = None):
    """Ask until the answer resolves; a typo gets its suggestion and the question again."""
    for _ in range(5):
        answer = typer.prompt(question, default=default, show_default=bool(default))
        try:
            return resolve(answer)
        except UsageError as error:
            _say(str(error))
    raise UsageError("no valid answer after 5 tries")


def _ask_orientation():
    from essmap import places
    from essmap.model import OFFERS, STAGES

    stage = _ask(f"Étape ({', '.join(STAGES.ids)})", STAGES.resolve)
    place = _ask("Où ? (région, département, commune ou code postal)", places.resolve_place)
    _say("Besoins possibles : " + ", ".join(OFFERS.ids))

    def needs(answer: str) -> tuple[str, ...]:
        return OFFERS.resolve_all(n.strip() for n in answer.replace(";", ",").split(",") if n.strip())

    return stage, place, _ask("Besoins (séparés par des virgules, vide si aucun)", needs, default="")


@app.command()
def coverage(
    by: Annotated[str, typer.Option("--by", help="region or department.")] = "region",
    stage: OnlyStages = [],
    kind: OnlyKinds = [],
    offer: OnlyOffers = [],
    stale: Annotated[
        bool, typer.Option("--stale", help="List entries not checked for two years, by region.")
    ] = False,
    format: FormatOption = "table",
    fields: Annotated[
        Optional[str],
        typer.Option("--fields", help="Comma-separated columns for json, jsonl, csv, markdown."),
    ] = None,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Count, for each place, the structures that serve each stage; worst-covered first.

    Regional and local structures are counted per place; national ones apart, once.

    Examples:

        essmap coverage
        essmap coverage --by department --stage creation
        essmap coverage --kind dla --format csv
        essmap coverage --stale
    """
    from essmap import catalogue as catalogue_module
    from essmap import coverage as coverage_module
    from essmap import render
    from essmap.model import KINDS, OFFERS, STAGES

    with _errors():
        output = _format(format)
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        if stale:
            found = coverage_module.stale(loaded)
            rows = [
                {"region": r, "id": s.id, "name": s.name, "updated": s.updated}
                for r, ss in found.items()
                for s in ss
            ]
            if output is not render.Format.table:
                _out(
                    render.data(
                        rows, render.parse_fields(fields, ("region", "id", "name", "updated")), output
                    )
                )
            else:
                _out("".join(f"{row['region']}  {row['id']}  {row['updated']}\n" for row in rows))
            _say(f"{len(rows)} entr{'ies' if len(rows) != 1 else 'y'} not checked for more than two years.")
            return
        result = coverage_module.coverage(
            loaded,
            _choice("grouping", ("region", "department"), by),
            STAGES.resolve_all(stage),
            KINDS.resolve_all(kind),
            OFFERS.resolve_all(offer),
        )
        if output is not render.Format.table:
            columns = render.parse_fields(fields, render.coverage_columns(result))
            _out(render.data(render.coverage_rows(result), columns, output))
        elif sys.stdout.isatty():
            _console().print(render.coverage_table(result, colour=True))
        else:
            _out(render.coverage_text(result))
        _say(render.coverage_summary(result))


@app.command()
def chain(
    place: Annotated[str, typer.Argument(help="A region or a department, as you would write it.")],
    stage: OnlyStages = [],
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show the chain of support of a region or department as a tree.

    The CRESS and regional collectives first, then stage by stage the structures that
    serve the place, with who carries them and the networks they belong to.

    Examples:

        essmap chain bretagne --stage creation
        essmap chain 29
    """
    from essmap import catalogue as catalogue_module
    from essmap import coverage as coverage_module
    from essmap import places, render
    from essmap.model import STAGES

    with _errors():
        where = places.resolve_place(place)
        stages = STAGES.resolve_all(stage)
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        _console().print(render.chain_tree(coverage_module.chain(loaded, where, stages)))


@app.command(name="map")
def map_(
    stage: OnlyStages = [],
    kind: OnlyKinds = [],
    offer: OnlyOffers = [],
    svg: Annotated[
        Optional[Path], typer.Option("--svg", help="Write the map as a standalone SVG file.")
    ] = None,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Draw France, one tile per department, shaded by how many structures serve it.

    Examples:

        essmap map --stage creation
        essmap map --kind dla --svg dla.svg
    """
    from essmap import catalogue as catalogue_module
    from essmap import coverage as coverage_module
    from essmap import maps
    from essmap.model import KINDS, OFFERS, STAGES

    with _errors():
        stages = STAGES.resolve_all(stage)
        kinds = KINDS.resolve_all(kind)
        offers = OFFERS.resolve_all(offer)
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        counts = coverage_module.department_counts(loaded, stages, kinds, offers)
        what = " ; ".join(
            part
            for part in (
                ", ".join(STAGES.label(s) for s in stages),
                ", ".join(KINDS.label(k) for k in kinds),
                ", ".join(OFFERS.label(o) for o in offers),
            )
            if part
        )
        title = "Structures d'accompagnement de l'ESS par département" + (f" : {what}" if what else "")
        if svg is None:
            _console().print(maps.terminal(counts, title))
            return
        subtitle = (
            f"Structures régionales et locales en activité ; catalogue essmap du {loaded.updated or 'jour'}"
        )
        try:
            svg.write_text(maps.svg(counts, title, subtitle), encoding="utf-8")
        except OSError as error:
            _say(f"essmap: cannot write {svg}: {error.strerror or error}")
            raise typer.Exit(1) from None
        _say(f"Map written to {svg}.")


@app.command()
def export(
    folder: Annotated[
        Path, typer.Argument(help="Folder to write structures.json, structures.csv, datapackage.json.")
    ],
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write the whole catalogue as JSON and CSV, with its date and licence, for open-data portals.

    Examples:

        essmap export build/open-data
    """
    from essmap import catalogue as catalogue_module
    from essmap import export as export_module

    with _errors():
        loaded = catalogue_module.load(catalogue, use_cache=not no_cache)
        written = export_module.write(loaded, folder)
        _say(f"{len(loaded)} structures written to " + ", ".join(str(p) for p in written) + ".")


def main() -> None:
    app(prog_name="essmap")
