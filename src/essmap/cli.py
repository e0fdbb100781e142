"""The command line: parse options, call the core, render. Nothing else lives here."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from essmap import __version__, completion
from essmap.errors import EssmapError, UsageError
from essmap.i18n import _

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
        metavar="FILE",
        envvar="ESSMAP_CATALOGUE",
        show_envvar=True,
        help="Catalogue file to use instead of the shipped one.",
    ),
]
OnlyStages = Annotated[
    list[str],
    typer.Option(
        "--stage",
        "-s",
        metavar="STAGE",
        help="Only these stages (repeatable).",
        autocompletion=completion.stages,
    ),
]
OnlyKinds = Annotated[
    list[str],
    typer.Option(
        "--kind", "-k", metavar="KIND", help="Only these kinds (repeatable).", autocompletion=completion.kinds
    ),
]
OnlyOffers = Annotated[
    list[str],
    typer.Option(
        "--offer",
        "-o",
        metavar="OFFER",
        help="Only what offers this (repeatable).",
        autocompletion=completion.offers,
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read the catalogue file itself, not the cache of it.")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace files essmap did not write (never the catalogue in use).")
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help="Output format: table, json, jsonl, csv or markdown."
    ),
]
FieldsOption = Annotated[
    Optional[str],
    typer.Option(
        "--fields",
        metavar="FIELDS",
        help="Comma-separated fields for json, jsonl, csv, markdown (default: all).",
    ),
]


MIN_WIDTH = 60  # below this (COLUMNS=0, a tiny pane) tables and panels are drawn at this width


def _console():
    from rich.console import Console

    console = Console(highlight=False, markup=False, emoji=False)
    if console.width < MIN_WIDTH:
        console.width = MIN_WIDTH
    return console


def _say(message: str) -> None:
    """A message for the person, on standard error: each of its lines made one printable line,
    so that no text inside it can start a line of its own (a forged `::error::` annotation)."""
    from essmap.safe import one_line

    sys.stderr.write("".join(one_line(line) + "\n" for line in message.split("\n")))
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


WORK_NOTICE_SECONDS = 1.0  # work that lasts longer shows a progress display on a terminal


@contextmanager
def _working(message: str):
    """A Rich progress display on stderr while the block runs, if it lasts over a second and
    stderr is a terminal; nothing on a pipe."""
    if not sys.stderr.isatty():
        yield
        return
    import threading

    lock = threading.Lock()
    shown: list = []
    done = False

    def show() -> None:
        from rich.console import Console

        with lock:
            if not done:
                status = Console(stderr=True).status(message)
                status.start()
                shown.append(status)

    timer = threading.Timer(WORK_NOTICE_SECONDS, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done = True
            timer.cancel()
            for status in shown:
                status.stop()


def _loaded(catalogue, no_cache: bool):
    from essmap import catalogue as catalogue_module

    with _working(_("Reading the catalogue…")):
        return catalogue_module.load(catalogue, use_cache=not no_cache)


def _renderer(value: str):
    """The renderer of the format a person asked for, drawing for a terminal when stdout is one."""
    from essmap import render

    terminal = sys.stdout.isatty()
    width = _console().width if terminal else render.FULL_WIDTH
    return render.renderer(render.Format.parse(value), terminal=terminal, width=width)


def _emit(output) -> None:
    """A renderer's output to stdout: text as is, a Rich renderable through a console."""
    if isinstance(output, str):
        _out(output)
    else:
        _console().print(output)


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
        Optional[list[str]],
        typer.Argument(metavar="QUERY", help="Free text: words of a name, a city, a theme..."),
    ] = None,
    region: Annotated[
        list[str],
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="Region, current or former (repeatable).",
            autocompletion=completion.regions,
        ),
    ] = [],
    department: Annotated[
        list[str],
        typer.Option(
            "--department",
            "-d",
            metavar="DEPARTMENT",
            help="Department code or name (repeatable).",
            autocompletion=completion.departments,
        ),
    ] = [],
    commune: Annotated[
        list[str],
        typer.Option(
            "--commune",
            metavar="COMMUNE",
            help="Commune name or postal code, e.g. Brest, 29200 (repeatable).",
        ),
    ] = [],
    stage: Annotated[
        list[str],
        typer.Option(
            "--stage",
            "-s",
            metavar="STAGE",
            help="creation, consolidation, changement-echelle (repeatable).",
            autocompletion=completion.stages,
        ),
    ] = [],
    theme: Annotated[
        list[str],
        typer.Option(
            "--theme",
            "-t",
            metavar="THEME",
            help="Theme, e.g. alimentation (repeatable).",
            autocompletion=completion.themes,
        ),
    ] = [],
    kind: Annotated[
        list[str],
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help="Kind, e.g. incubateur, dla (repeatable).",
            autocompletion=completion.kinds,
        ),
    ] = [],
    offer: Annotated[
        list[str],
        typer.Option(
            "--offer",
            "-o",
            metavar="OFFER",
            help="What it provides, e.g. financement (repeatable).",
            autocompletion=completion.offers,
        ),
    ] = [],
    national: Annotated[
        bool,
        typer.Option(
            "--national", help="With a place: also list the national structures; without one: list only them."
        ),
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
            "--limit",
            "-n",
            metavar="N",
            min=0,
            help="Show at most N (0: all). Default: 50 with a query, else all.",
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

    ```
    essmap find --region bretagne --stage creation
    essmap find --department 29 --kind dla
    essmap find --commune 29200 --offer financement
    essmap find incubateur toulouse --explain
    essmap find --region "ile de france" --theme alimentation --format csv
    ```
    """
    from dataclasses import replace

    from essmap import query as query_module
    from essmap import render

    with _errors():
        output = _renderer(format)
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
        text = " ".join(query or ())
        if national and not (region or department or commune or text.strip()):
            filters = replace(filters, only_national=True)
        loaded = _loaded(catalogue, no_cache)
        if limit is None:
            limit = query_module.DEFAULT_LIMIT if text.strip() else 0
        result = query_module.find(loaded, filters, text, limit=limit or None, literal=literal)
        understood = result.understood
        if understood is not None and (understood.places or understood.concepts):
            _say(_("understood: {summary}").format(summary=understood.summary()))
        reasons = None
        if explain:
            from essmap import explain as explain_module

            reasons = explain_module.reasons(loaded, result.structures, filters, result.scores, understood)
        _emit(output.structures(result.structures, columns, reasons))
        for line in query_module.find_notes(result, filters):
            _say(line)


@app.command()
def show(
    query: Annotated[
        str,
        typer.Argument(
            metavar="STRUCTURE",
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

    ```
    essmap show transfo
    essmap show cress-bretagne --format json
    ```
    """
    from essmap import query as query_module

    with _errors():
        output = _renderer(format)
        loaded = _loaded(catalogue, no_cache)
        chosen = query_module.pick(loaded, query)
        for line in query_module.pick_notes(query, chosen):
            _say(line)
        if chosen.structure is None:
            raise typer.Exit(2)
        _emit(output.structure(chosen.structure, query_module.relations(loaded, chosen.structure)))


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(metavar="FILE", help="Catalogue files to check (default: the shipped one)."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="Report format: text or github.")
    ] = "text",
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

    ```
    essmap validate
    essmap validate --strict data/structures.yaml
    essmap validate --format github data/structures.yaml
    essmap validate --max-age 730
    ```
    """
    from essmap import catalogue as catalogue_module
    from essmap import validate as validate_module

    with _errors():
        reporters = {"text": validate_module.format_text, "github": validate_module.format_github}
        chosen = _choice("format", reporters, format)
        files = list(paths or [catalogue_module.resolve_path(None)])
        with _working(_("Checking the catalogue…")):
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
        Optional[list[Path]],
        typer.Argument(metavar="FILE", help="Catalogue files to rewrite (default: the shipped one)."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if a file is not in canonical form.")
    ] = False,
) -> None:
    """Rewrite catalogue files in their one canonical form (entry order, key order, quoting, width).

    Examples:

    ```
    essmap fmt data/structures.yaml
    essmap fmt --check data/structures.yaml
    ```
    """
    from essmap import catalogue as catalogue_module
    from essmap import fmt as fmt_module

    with _errors():
        files = list(paths or [catalogue_module.resolve_path(None)])
        changed = [path for path in files if not fmt_module.format_file(path, check=check)]
        for path in changed:
            _say((_("would reformat {path}") if check else _("reformatted {path}")).format(path=path))
        _say(
            (
                _("{done} file(s) already canonical, {changed} not")
                if check
                else _("{done} file(s) already canonical, {changed} rewritten")
            ).format(done=len(files) - len(changed), changed=len(changed))
        )
        if check and changed:
            raise typer.Exit(1)


@app.command()
def orient(
    stage: Annotated[
        Optional[str],
        typer.Option(
            "--stage",
            "-s",
            metavar="STAGE",
            help="Where the project stands.",
            autocompletion=completion.stages,
        ),
    ] = None,
    region: Annotated[
        Optional[str],
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="Region, if that is all you know.",
            autocompletion=completion.regions,
        ),
    ] = None,
    department: Annotated[
        Optional[str],
        typer.Option(
            "--department",
            "-d",
            metavar="DEPARTMENT",
            help="Department code or name.",
            autocompletion=completion.departments,
        ),
    ] = None,
    commune: Annotated[
        Optional[str], typer.Option("--commune", metavar="COMMUNE", help="Commune name or postal code.")
    ] = None,
    need: Annotated[
        list[str],
        typer.Option(
            "--need",
            metavar="NEED",
            help="What you need, e.g. financement (repeatable).",
            autocompletion=completion.offers,
        ),
    ] = [],
    limit: Annotated[
        int, typer.Option("--limit", "-n", metavar="N", min=1, help="Show at most N structures per step.")
    ] = 5,
    format: FormatOption = "table",
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Whom to call first, and then: an ordered path for a stage, a place and needs, with reasons.

    Without options on a terminal, it asks the questions one by one.

    Examples:

    ```
    essmap orient --stage creation --department 29 --need financement --need hebergement
    essmap orient --stage consolidation --commune Lille --format json
    ```
    """
    from essmap import orient as orient_module

    with _errors():
        output = _renderer(format)
        if stage is None and not (region or department or commune or need) and _is_terminal():
            stage, place, needs = _ask_orientation()
        else:
            stage, place, needs = orient_module.request(stage, region, department, commune, need)
        loaded = _loaded(catalogue, no_cache)
        _emit(output.orientation(orient_module.orient(loaded, stage, place, needs, per_step=limit)))


def _is_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask(question: str, resolve, default: str | None = None):
    """Ask until the answer resolves; a typo gets its suggestion and the question again."""
    for _attempt in range(5):
        answer = typer.prompt(question, default=default, show_default=bool(default))
        try:
            return resolve(answer)
        except UsageError as error:
            _say(str(error))
    raise UsageError(_("no valid answer after 5 tries"))


def _ask_orientation():
    from essmap import places
    from essmap.model import OFFERS, STAGES

    stage = _ask(_("Stage ({stages})").format(stages=", ".join(STAGES.ids)), STAGES.resolve)
    place = _ask(_("Where? (region, department, commune or postal code)"), places.resolve_place)
    _say(_("Possible needs: {needs}").format(needs=", ".join(OFFERS.ids)))

    def needs(answer: str) -> tuple[str, ...]:
        return OFFERS.resolve_all(n.strip() for n in answer.replace(";", ",").split(",") if n.strip())

    return stage, place, _ask(_("Needs (separated by commas, empty if none)"), needs, default="")


@app.command()
def coverage(
    by: Annotated[str, typer.Option("--by", metavar="GROUPING", help="region or department.")] = "region",
    stage: OnlyStages = [],
    kind: OnlyKinds = [],
    offer: OnlyOffers = [],
    stale: Annotated[
        bool, typer.Option("--stale", help="List entries not checked for two years, by region.")
    ] = False,
    format: FormatOption = "table",
    fields: Annotated[
        Optional[str],
        typer.Option(
            "--fields", metavar="FIELDS", help="Comma-separated columns for json, jsonl, csv, markdown."
        ),
    ] = None,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Count, for each place, the structures that serve each stage; worst-covered first.

    Regional and local structures are counted per place; national ones apart, once.

    Examples:

    ```
    essmap coverage
    essmap coverage --by department --stage creation
    essmap coverage --kind dla --format csv
    essmap coverage --stale
    ```
    """
    from essmap import coverage as coverage_module
    from essmap import render
    from essmap.model import KINDS, OFFERS, STAGES

    with _errors():
        output = _renderer(format)
        loaded = _loaded(catalogue, no_cache)
        if stale:
            rows = coverage_module.stale_rows(loaded)
            _emit(output.stale(rows, render.parse_fields(fields, coverage_module.STALE_COLUMNS)))
            _say(coverage_module.stale_summary(rows))
            return
        result = coverage_module.coverage(
            loaded,
            coverage_module.grouping(by),
            STAGES.resolve_all(stage),
            KINDS.resolve_all(kind),
            OFFERS.resolve_all(offer),
        )
        _emit(output.coverage(result, render.parse_fields(fields, render.coverage_columns(result))))
        _say(render.coverage_summary(result))


@app.command()
def chain(
    place: Annotated[
        str, typer.Argument(metavar="PLACE", help="A region or a department, as you would write it.")
    ],
    stage: OnlyStages = [],
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show the chain of support of a region or department as a tree.

    The CRESS and regional collectives first, then stage by stage the structures that
    serve the place, with who carries them and the networks they belong to.

    Examples:

    ```
    essmap chain bretagne --stage creation
    essmap chain 29
    ```
    """
    from essmap import coverage as coverage_module
    from essmap import places, render
    from essmap.model import STAGES

    with _errors():
        where = places.resolve_place(place)
        stages = STAGES.resolve_all(stage)
        loaded = _loaded(catalogue, no_cache)
        _emit(render.chain_tree(coverage_module.chain(loaded, where, stages)))


@app.command(name="map")
def map_(
    stage: OnlyStages = [],
    kind: OnlyKinds = [],
    offer: OnlyOffers = [],
    svg: Annotated[
        Optional[Path],
        typer.Option(
            "--svg", metavar="FILE", help="Write the map as a standalone SVG file (- for standard output)."
        ),
    ] = None,
    force: ForceOption = False,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Draw France, one tile per department, shaded by how many structures serve it.

    Examples:

    ```
    essmap map --stage creation
    essmap map --kind dla --svg dla.svg
    ```
    """
    from essmap import coverage as coverage_module
    from essmap import maps
    from essmap.model import KINDS, OFFERS, STAGES

    with _errors():
        stages = STAGES.resolve_all(stage)
        kinds = KINDS.resolve_all(kind)
        offers = OFFERS.resolve_all(offer)
        loaded = _loaded(catalogue, no_cache)
        counts = coverage_module.department_counts(loaded, stages, kinds, offers)
        title = maps.title(stages, kinds, offers)
        if svg is None:
            _emit(maps.terminal(counts, title))
            return
        drawing = maps.svg(counts, title, maps.subtitle(loaded.updated))
        if str(svg) == "-":
            _out(drawing)
            return
        maps.write(drawing, svg, force, protected=Path(loaded.path))
        _say(_("Map written to {path}.").format(path=svg))


@app.command()
def export(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER",
            help="Folder to write structures.json, structures.csv, datapackage.json, essmap.db "
            "(data-inclusion: data-inclusion-structures.json; - prints it).",
        ),
    ],
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="open-data (the four files) or data-inclusion (the national schema's structures).",
        ),
    ] = "open-data",
    force: ForceOption = False,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Write the whole catalogue as JSON and CSV, with its date and licence, for open-data portals.

    Examples:

    ```
    essmap export build/open-data
    essmap export --format data-inclusion build/data-inclusion
    ```
    """
    from essmap import export as export_module

    with _errors():
        chosen = export_module.ExportFormat.parse(format)
        loaded = _loaded(catalogue, no_cache)
        if chosen is export_module.ExportFormat.data_inclusion:
            with _working(_("Writing the export…")):
                written, left_out = export_module.write_data_inclusion(loaded, folder, force)
            if written is None:
                return
            _say(
                _("{count} active structures written to {files}.").format(
                    count=written.records, files=written.path
                )
            )
            for item in left_out:
                _say(_("left out: {id}: {reason}").format(id=item.id, reason=item.reason))
            return
        if str(folder) == "-":
            raise UsageError(_("export writes four files into a folder; give a folder, not -"))
        with _working(_("Writing the export…")):
            paths = export_module.write(loaded, folder, force)
        _say(
            _("{count} structures written to {files}.").format(
                count=len(loaded), files=", ".join(str(p) for p in paths)
            )
        )


@app.command()
def check(
    ids: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="ID",
            help="Only these structures (default: all).",
            autocompletion=completion.structure_ids,
        ),
    ] = None,
    online: Annotated[
        bool, typer.Option("--online", help="Ask the registry and the websites (the network is used).")
    ] = False,
    report: Annotated[
        Optional[Path],
        typer.Option("--report", metavar="FILE", help="Also write the report as JSON to FILE."),
    ] = None,
    suggest_ids: Annotated[
        bool,
        typer.Option("--suggest-ids", help="Search the registry for entries without an identifier."),
    ] = False,
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="Output format: text or json.")
    ] = "text",
    time_limit: Annotated[
        float, typer.Option("--time-limit", metavar="SECONDS", help="Stop asking after this long.")
    ] = 600.0,
    concurrency: Annotated[
        int, typer.Option("--concurrency", metavar="N", help="Requests at once (1 to 8).")
    ] = 4,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Ask again, ignoring the answers kept from the last 7 days.")
    ] = False,
    catalogue: CatalogueOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Check the catalogue against the official registry and the web; it never edits the file.

    Entries with a SIREN, SIRET or RNA number are looked up in the public Recherche
    d'entreprises API; every website is asked for. What disagrees with the catalogue is
    printed. Exit code 0 when nothing disagrees, 1 otherwise.

    Examples:

    ```
    essmap check --online --report check.json
    essmap check --online --suggest-ids cress-bretagne
    ```
    """
    from essmap import online as online_module
    from essmap import render

    with _errors():
        chosen = _choice("format", ("text", "json"), format)
        if not online:
            raise UsageError(
                _("the check asks the registry and the websites over the network: add --online to run it")
            )
        loaded = _loaded(catalogue, no_cache)
        with _working(_("Asking the registry and the websites…")):
            result = online_module.check(
                loaded,
                ids or (),
                suggest=suggest_ids,
                concurrency=concurrency,
                time_limit=time_limit,
                cache_days=0 if fresh else online_module.CACHE_DAYS,
            )
        if report is not None:
            online_module.write_report(result, report)
        if chosen == "json":
            import json

            from essmap.safe import json_safe

            _out(json_safe(json.dumps(result.as_json(), ensure_ascii=False, indent=2)) + "\n")
        else:
            _out(render.check_report_text(result))
        _say(
            _(
                "{registry} checked in the registry, {websites} websites checked: {findings} to look at."
            ).format(
                registry=result.registry_checked,
                websites=result.websites_checked,
                findings=len(result.findings),
            )
        )
        if result.findings:
            raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", metavar="HOST", help="Address to listen on (other machines: 0.0.0.0).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    region: Annotated[
        Optional[str],
        typer.Option(
            "--region",
            "-r",
            metavar="REGION",
            help="A search that names no place looks in this region (a CRESS's site).",
            autocompletion=completion.regions,
        ),
    ] = None,
    catalogue: CatalogueOption = None,
) -> None:
    """Serve the same answers as web pages and a JSON API (needs essmap[web]).

    It binds to 127.0.0.1 unless told otherwise, stores nothing about its visitors, and
    reloads the catalogue when its file changes. Put it behind a reverse proxy to publish it.

    Examples:

    ```
    essmap serve
    essmap serve --host 0.0.0.0 --port 8080 --region bretagne
    ```
    """
    with _errors():
        if region:
            from essmap import places

            places.resolve_region(region)  # a typo is said before the server starts
        try:
            from essmap import web
        except ImportError:
            raise UsageError(
                _("essmap serve needs the web extra; install it with: pip install 'essmap[web]'")
            ) from None
        _say(_("Serving essmap on http://{host}:{port}/ (Ctrl+C stops).").format(host=host, port=port))
        web.serve(host, port, catalogue, region)


def main() -> None:
    """Run the command line. A call that names its command gets an app with that command
    alone, so that Typer builds one command rather than all of them (help, completion and an
    unknown command get the whole app)."""
    import typer.main

    args = sys.argv[1:]
    named = _named_command(args)
    command = typer.main.get_command(app if named is None else _app_with(named))
    _localize(command, help_shown=not args or any(a in ("--help", "-h") for a in args))
    try:
        code = command.main(args, prog_name="essmap", standalone_mode=False)
    except click_exceptions().UsageError as error:
        _say("essmap: " + usage_message(error))
        where = f"{error.ctx.command_path} --help" if error.ctx else "essmap --help"
        _say(_("Try `{command}`.").format(command=where))
        code = 2
    except typer.Abort:
        _say("essmap: " + _("aborted"))
        code = 1
    raise SystemExit(code if isinstance(code, int) else 0)


_PARSER_LOCALIZED = False


def _localize_parser() -> None:
    """The parser's own words: "Usage:", and the help option's help."""
    global _PARSER_LOCALIZED
    if _PARSER_LOCALIZED:
        return
    _PARSER_LOCALIZED = True
    from typer._click import core, formatting

    write_usage = formatting.HelpFormatter.write_usage

    def usage(self, prog, args="", prefix=None):
        return write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    get_help_option = core.Command.get_help_option

    def help_option(self, ctx):
        option = get_help_option(self, ctx)
        if option is not None and option.help:
            option.help = _(option.help)
        return option

    core.Command.get_help_option = help_option  # type: ignore[method-assign]


def click_exceptions():
    from typer._click import exceptions

    return exceptions


# Messages of the command-line parser (Typer's click), as it writes them, and their msgids.
_PARSER_MESSAGES = (
    (
        r"^No such option: (?P<option>\S+)(?: \(Possible options: (?P<hint>[^)]+)\)| Did you mean (?P<hint2>.+)\?)?$",
        "no such option: {option}",
    ),
    (
        r"^No such command '(?P<command>[^']*)'\.?(?: Did you mean '(?P<hint>[^']+)'\?)?$",
        "no such command: {command}",
    ),
    (r"^Missing option '(?P<option>[^']+)'.*$", "missing option {option}"),
    (r"^Missing argument '(?P<argument>[^']+)'.*$", "missing argument {argument}"),
    (r"^Option '(?P<option>[^']+)' requires an argument\.?$", "option {option} needs a value"),
    (r"^Got unexpected extra arguments? \((?P<args>.*)\)$", "unexpected argument(s): {args}"),
    (
        r"^Invalid value for '?(?P<option>[^:']+)'?(?: / '[^']+')?: '?(?P<value>[^']*)'? is not a valid (?:integer|int range)\.?$",
        "{option} takes a whole number, not {value}",
    ),
    (
        r"^Invalid value for '?(?P<option>[^:']+)'?(?: / '[^']+')?: (?P<value>\S+) is not in the range (?P<range>.+?)\.?$",
        "{option} takes a number {range}, not {value}",
    ),
)


def usage_message(error) -> str:
    """A parser error said in the interface's language (known forms) or as the parser put it."""
    import re

    text = error.format_message().strip()
    for pattern, msgid in _PARSER_MESSAGES:
        found = re.match(pattern, text, re.S)
        if found:
            fields = {k: v for k, v in found.groupdict().items() if not k.startswith("hint")}
            message = _(msgid).format(**fields)
            hint = found.groupdict().get("hint") or found.groupdict().get("hint2")
            return message + (_("; did you mean {suggestion}?").format(suggestion=hint) if hint else "")
    return text


def _localize(command, help_shown: bool = True) -> None:
    """Help texts, metavars and the parser's headings in the interface's language (the help's
    renderer, Rich, is loaded only when help is shown)."""
    import copy

    from typer.core import TyperArgument

    from essmap.i18n import french

    command.help = _(command.help) if command.help else command.help
    command.options_metavar = _("[OPTIONS]")
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
        if getattr(param, "metavar", None):
            param.metavar = _(param.metavar)
        if isinstance(param, TyperArgument):  # the metavar says what it is; no Python type beside it
            param.type = copy.copy(param.type)
            param.type.get_metavar = lambda *args, **kwargs: ""  # type: ignore[method-assign]
    for child in getattr(command, "commands", {}).values():
        _localize(child, help_shown=False)
    _localize_parser()
    if not help_shown:
        return
    import typer.rich_utils as rich

    rich.RANGE_STRING = ""  # ranges are said in the option's help, in words
    if french():
        rich.ARGUMENTS_PANEL_TITLE = "Arguments"
        rich.OPTIONS_PANEL_TITLE = "Options"
        rich.COMMANDS_PANEL_TITLE = "Commandes"
        rich.ERRORS_PANEL_TITLE = "Erreur"
        rich.ABORTED_TEXT = "Abandon."
        rich.DEFAULT_STRING = "[défaut : {}]"
        rich.ENVVAR_STRING = "[variable : {}]"
        rich.REQUIRED_LONG_STRING = "[obligatoire]"


def _named_command(args: list[str]):
    if not args or args[0].startswith("-") or any(k.endswith("_COMPLETE") for k in os.environ):
        return None
    return next((c for c in app.registered_commands if _name(c) == args[0]), None)


def _name(command) -> str:
    return command.name or getattr(command.callback, "__name__", "")


def _app_with(command) -> typer.Typer:
    single = typer.Typer(
        name=app.info.name,
        help=app.info.help,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=app.rich_markup_mode,
        context_settings=app.info.context_settings,
    )
    single.registered_callback = app.registered_callback
    single.registered_commands = [command]
    return single
