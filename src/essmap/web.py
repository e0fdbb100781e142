"""`essmap serve`: the CLI's answers as web pages and a JSON API, on the same core.

Every answer comes from the functions the CLI calls (query.find, query.pick, orient.orient,
coverage.coverage, explain.reasons) and every JSON body from the CLI's own JSON renderer, so
that nothing of the search, the ranking or the orientation is written twice. The pages are
server-rendered (Jinja2, autoescaped) and work without JavaScript; one small script of ours
adds live suggestions to the search box. The app stores nothing about its visitors.

FastAPI, Jinja2 and Uvicorn come with the `web` extra (`pip install 'essmap[web]'`); the
CLI imports this module only for `essmap serve`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from essmap import __version__, i18n
from essmap.catalogue import Catalogue
from essmap.errors import EssmapError, UsageError
from essmap.i18n import _
from essmap.model import KINDS, OFFERS, STAGES, STATUSES, THEMES, Structure

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
MAX_VALUE = 200  # characters of one query parameter
MAX_VALUES = 10  # values of one repeated parameter
MAX_QUERY = 2000  # characters of a whole query string
PAGE_SIZE = 20
RELOAD_CHECK = 1.0  # seconds between two looks at the catalogue file
API_MAX_AGE = 300  # seconds a client may keep an API answer before asking again (ETag)
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
DOWNLOADS = (
    ("structures.json", "application/json"),
    ("structures.csv", "text/csv; charset=utf-8"),
    ("datapackage.json", "application/json"),
    ("essmap.db", "application/vnd.sqlite3"),
    ("data-inclusion-structures.json", "application/json"),
)


# ---- the catalogue, loaded once and again when its file changes -----------------------------


class State:
    """The catalogue being served, its version (a digest of the file), and its exports."""

    def __init__(self, path: Path | None):
        from essmap.catalogue import resolve_path

        self.path = resolve_path(path)
        self.lock = threading.Lock()
        self.checked = 0.0
        self.stamp: tuple[int, int] | None = None
        self.catalogue: Catalogue | None = None
        self.version = ""
        self.exports: Path | None = None
        self.work = Path(tempfile.mkdtemp(prefix="essmap-serve-"))
        self.current()

    def _stamp(self) -> tuple[int, int]:
        info = os.stat(self.path)
        return info.st_size, info.st_mtime_ns

    def current(self) -> Catalogue:
        """The catalogue, reloaded when its file changed (looked at once a second at most)."""
        now = time.monotonic()
        if self.catalogue is not None and now - self.checked < RELOAD_CHECK:
            return self.catalogue
        with self.lock:
            self.checked = now
            try:
                stamp = self._stamp()
            except OSError:
                stamp = None
            if self.catalogue is None or (stamp is not None and stamp != self.stamp):
                self._load(stamp)
            assert self.catalogue is not None
            return self.catalogue

    def _load(self, stamp: tuple[int, int] | None) -> None:
        from essmap.catalogue import load

        try:
            digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:16]
            catalogue = load(self.path)
        except (OSError, EssmapError) as error:
            if self.catalogue is None:
                raise
            print(
                f"essmap serve: the catalogue could not be reloaded, still serving the last one: {error}",
                file=sys.stderr,
            )
            self.stamp = stamp
            return
        self.catalogue, self.version, self.stamp, self.exports = catalogue, digest, stamp, None

    def export_folder(self) -> Path:
        """The export's files for this version of the catalogue, written on first request."""
        from essmap import export

        with self.lock:
            if self.exports is None:
                assert self.catalogue is not None
                folder = self.work / self.version
                if not folder.is_dir():
                    export.write(self.catalogue, folder)
                    export.write_data_inclusion(self.catalogue, folder)
                self.exports = folder
            return self.exports

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


# ---- language and security, for every response ----------------------------------------------


def chosen_language(query_string: bytes, accept_language: str) -> tuple[str, bool]:
    """('fr' or 'en', whether the address asked for it): `?lang=` first, then the browser's
    Accept-Language (its first language that is French or English), French by default."""
    for name, value in parse_qsl(query_string.decode("latin-1")):
        if name == "lang" and value in i18n.LANGUAGES:
            return value, True
    ranked = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower()[:2]
        if primary in i18n.LANGUAGES and weight > 0:
            ranked.append((-weight, position, primary))
    return (min(ranked)[2] if ranked else "fr"), False


class Manners:
    """ASGI middleware: the language of each request, and the security headers of each answer."""

    def __init__(self, app: FastAPI):
        self.app = app
        self.state: State | None = None  # the catalogue served (set by create_app)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        query = scope.get("query_string", b"")
        accepted = headers.get(b"accept-language", b"")[:MAX_VALUE].decode("latin-1")
        lang, explicit = chosen_language(query[:MAX_QUERY], accepted)
        scope.setdefault("state", {})["language"] = (lang, explicit)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                added = [*SECURITY_HEADERS, (b"content-language", lang.encode())]
                message["headers"] = [*message.get("headers", ()), *added]
            await send(message)

        with i18n.speaking(lang):
            if len(query) > MAX_QUERY:
                body = _("the address is too long").encode()
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 414,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
            await self.app(scope, receive, send_with_headers)


# ---- reading what a person asked ------------------------------------------------------------


def values(request: Request, *names: str) -> list[str]:
    """The non-empty values of a parameter (any of its names), bounded; UsageError beyond."""
    found = []
    for name in names:
        for value in request.query_params.getlist(name):
            value = value.strip()
            if len(value) > MAX_VALUE:
                raise UsageError(
                    _("{name} is too long (at most {most} characters)").format(name=name, most=MAX_VALUE)
                )
            if value:
                found.append(value)
    if len(found) > MAX_VALUES:
        raise UsageError(
            _("{name} is given too many times (at most {most})").format(name=names[0], most=MAX_VALUES)
        )
    return found


def value(request: Request, *names: str) -> str:
    found = values(request, *names)
    return found[0] if found else ""


def flag(request: Request, name: str) -> bool:
    return value(request, name).lower() in ("1", "true", "oui", "yes", "on")


def number(request: Request, name: str, default: int, least: int = 0, most: int = 1000) -> int:
    text = value(request, name)
    if not text:
        return default
    if not text.isdigit() or not least <= int(text) <= most:
        raise UsageError(
            _("{name} must be a number from {least} to {most}").format(name=name, least=least, most=most)
        )
    return int(text)


# ---- the pages' shared pieces ---------------------------------------------------------------


@dataclass(frozen=True)
class Facet:
    name: str  # the page's parameter
    title: str
    entries: list[tuple[str, str, int, str]]  # value, label, count, address with it added


def _with(request: Request, **changes: Any) -> str:
    """The current address with some parameters changed (None removes one); a page number is
    dropped unless given."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes and k != "page"]
    for name, change in changes.items():
        if change is None:
            continue
        for item in change if isinstance(change, (list, tuple)) else [change]:
            params.append((name, str(item)))
    query = urlencode(params)
    return request.url.path + ("?" + query if query else "")


def facets(request: Request, structures: list[Structure]) -> list[Facet]:
    """Counts of the structures found by region, department, stage, kind and offer, each a link
    that narrows the search to it."""
    from collections import Counter

    from essmap import geo

    counters: dict[str, Counter] = {
        name: Counter() for name in ("region", "departement", "etape", "type", "offre")
    }
    for s in structures:
        counters["region"].update(s.regions)
        counters["departement"].update(s.departments)
        counters["etape"].update(s.stages)
        counters["type"].update([s.kind])
        counters["offre"].update(s.all_offers)
    labels = {
        "region": geo.region_name,
        "departement": geo.department_label,
        "etape": STAGES.label,
        "type": KINDS.label,
        "offre": OFFERS.label,
    }
    titles = {
        "region": _("Region"),
        "departement": _("Department"),
        "etape": _("Stage"),
        "type": _("Kind"),
        "offre": _("Offer"),
    }
    chosen = {name: set(request.query_params.getlist(name)) for name in counters}
    found = []
    for name, counter in counters.items():
        entries = [
            (v, labels[name](v), n, _with(request, **{name: [*request.query_params.getlist(name), v]}))
            for v, n in sorted(counter.items(), key=lambda item: (-item[1], labels[name](item[0])))
            if v not in chosen[name]
        ]
        if entries:
            found.append(Facet(name, titles[name], entries))
    return found


def environment() -> Environment:
    from essmap import render

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        _=_,
        ngettext=i18n.ngettext,
        STAGES=STAGES,
        KINDS=KINDS,
        OFFERS=OFFERS,
        THEMES=THEMES,
        STATUSES=STATUSES,
        where=render.where,
        version=__version__,
    )
    return env


# ---- the application ------------------------------------------------------------------------


def create_app(catalogue_path: Path | None = None, region: str | None = None) -> Manners:
    """The web application serving the catalogue at `catalogue_path` (the shipped one by default).
    With `region` (as people write it), a search that names no place looks in that region: the
    site of a CRESS for its region."""
    from essmap import coverage as coverage_module
    from essmap import explain as explain_module
    from essmap import orient as orient_module
    from essmap import places, render
    from essmap import query as query_module
    from essmap.render import Format

    home_region = places.resolve_region(region) if region else None
    state = State(catalogue_path)
    templates = environment()
    as_json = render.renderer(Format.json)
    app = FastAPI(
        title="essmap",
        version=__version__,
        description="Les structures d'accompagnement de l'économie sociale et solidaire (ESS) : "
        "recherche, fiche, orientation et couverture, comme la ligne de commande essmap.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # their pages load scripts from elsewhere
        redoc_url=None,
    )
    app.state.essmap = state
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang, explicit = request.scope["state"]["language"]
        loaded = state.current()

        def link(path: str, **params: Any) -> str:
            """An address of the site, keeping the language the address asked for."""
            given = {**({"lang": lang} if explicit else {}), **params}
            query = urlencode([(k, v) for k, v in given.items() if v not in (None, "", [])], doseq=True)
            return path + ("?" + query if query else "")

        context.update(
            request=request,
            lang=lang,
            other_lang="en" if lang == "fr" else "fr",
            switch=_with(request, lang="en" if lang == "fr" else "fr"),
            explicit=explicit,
            link=link,
            updated=loaded.updated,
            count=len(loaded),
            home_region=home_region.label if home_region is not None else "",
        )
        return HTMLResponse(templates.get_template(name).render(**context), status_code=status)

    def api(request: Request, body: object) -> Response:
        """A JSON answer (the JSON renderer's text) with its ETag, tied to the catalogue's version."""
        assert isinstance(body, str)
        etag = f'"{state.version}-{request.scope["state"]["language"][0]}"'
        headers = {"ETag": etag, "Cache-Control": f"public, max-age={API_MAX_AGE}", "Vary": "Accept-Language"}
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(EssmapError)
    async def essmap_error(request: Request, error: EssmapError):
        status = 400 if isinstance(error, UsageError) else 500
        if is_api(request):
            return JSONResponse({"error": str(error)}, status_code=status)
        return page(request, "error.html", status, title=_("That did not work"), message=str(error))

    def not_found_page(request: Request):
        return page(
            request,
            "error.html",
            404,
            title=_("Page not found"),
            message=_("There is no page at this address."),
        )

    @app.exception_handler(404)
    async def not_found(request: Request, error: Exception):
        if is_api(request):
            return JSONResponse({"error": _("no such address")}, status_code=404)
        return not_found_page(request)

    @app.exception_handler(Exception)
    async def failure(request: Request, error: Exception):
        print(f"essmap serve: {request.url.path}: {type(error).__name__}: {error}", file=sys.stderr)
        if is_api(request):
            return JSONResponse({"error": _("internal error")}, status_code=500)
        return HTMLResponse(_("Something went wrong on our side."), status_code=500)

    # ---- search --------------------------------------------------------------------------

    def search(request: Request, limit: int | None):
        from dataclasses import replace

        from essmap.understand import understand

        filters = query_module.Filters.parse(
            values(request, "region"),
            values(request, "departement", "department"),
            values(request, "etape", "stage"),
            values(request, "theme"),
            values(request, "type", "kind"),
            values(request, "offre", "offer"),
            include_national=flag(request, "national"),
            include_closed=flag(request, "fermees") or flag(request, "include_closed"),
            communes=values(request, "commune"),
        )
        place = value(request, "lieu", "place")
        if place:  # the page's one place field: a region, a department or a commune
            where = places.resolve_place(place)
            if where.kind == "region":
                filters = replace(filters, regions=(*filters.regions, where))
            elif where.kind == "department":
                filters = replace(filters, departments=(*filters.departments, where))
            else:
                filters = replace(filters, communes=(*filters.communes, where))
        text = value(request, "q")
        if home_region is not None and not filters.places and not (text and understand(text).places):
            filters = replace(filters, regions=(home_region,))
        loaded = state.current()
        result = query_module.find(loaded, filters, text, limit=limit, literal=flag(request, "literal"))
        return loaded, filters, text, result

    @app.api_route("/", response_class=HTMLResponse, include_in_schema=False, methods=["GET", "HEAD"])
    async def home(request: Request):
        from essmap import maps

        loaded = state.current()
        counts = coverage_module.department_counts(loaded, (), (), ())
        lang, explicit = request.scope["state"]["language"]
        suffix = f"&lang={lang}" if explicit else ""
        drawing = maps.svg(
            counts,
            _("ESS support structures by department"),
            maps.subtitle(loaded.updated),
            link=lambda code: f"/trouver?departement={code}{suffix}",
        )
        drawing = drawing.split("\n", 1)[1]  # without the file's mark
        return page(request, "home.html", drawing=drawing)

    @app.api_route("/trouver", response_class=HTMLResponse, include_in_schema=False, methods=["GET", "HEAD"])
    async def results(request: Request):
        loaded, filters, text, result = search(request, None)
        everything = result.structures
        current = number(request, "page", 1, 1, 10_000)
        pages = max(1, -(-len(everything) // PAGE_SIZE))
        shown = everything[(current - 1) * PAGE_SIZE : current * PAGE_SIZE]
        reasons = explain_module.reasons(loaded, shown, filters, result.scores, result.understood)
        understood = (
            result.understood.summary()
            if result.understood and (result.understood.places or result.understood.concepts)
            else ""
        )
        return page(
            request,
            "results.html",
            structures=shown,
            total=len(everything),
            reasons=reasons,
            notes=query_module.find_notes(result, filters)[1:],
            understood=understood,
            in_home_region=home_region is not None
            and home_region in filters.regions
            and not values(request, "region", "lieu", "place", "departement", "department", "commune"),
            facets=facets(request, everything),
            current=current,
            pages=pages,
            previous=_with(request, page=current - 1) if current > 1 else "",
            next=_with(request, page=current + 1) if current < pages else "",
            q=text,
            lieu=value(request, "lieu", "place"),
            chosen=[
                (name, v, _with(request, **{name: [x for x in request.query_params.getlist(name) if x != v]}))
                for name in ("region", "departement", "commune", "etape", "theme", "type", "offre")
                for v in request.query_params.getlist(name)
            ],
        )

    @app.api_route(
        "/structures/{structure_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
        methods=["GET", "HEAD"],
    )
    async def structure_page(request: Request, structure_id: str):
        loaded = state.current()
        found = _structure_or_redirect(request, loaded, structure_id, "/structures/")
        if isinstance(found, Response):
            return found
        relations = query_module.relations(loaded, found)
        return page(request, "structure.html", s=found, relations=relations)

    def _structure_or_redirect(request: Request, loaded: Catalogue, structure_id: str, prefix: str):
        if len(structure_id) > MAX_VALUE:
            raise UsageError(_("no structure matches {text}.").format(text=repr(structure_id[:40] + "…")))
        found = loaded.resolve(structure_id)
        if found is not None and found.id == structure_id:
            return found
        if found is not None:  # a former id: the structure's address now
            target = prefix + found.id + ("?" + request.url.query if request.url.query else "")
            return RedirectResponse(target, status_code=301)
        chosen = query_module.pick(loaded, structure_id.replace("-", " "))
        if chosen.structure is not None and chosen.exact:
            return RedirectResponse(prefix + chosen.structure.id, status_code=301)
        candidates = [s for s, _score in (chosen.candidates or ())][:5]
        if is_api(request):
            return JSONResponse(
                {
                    "error": _("no structure matches {text}.").format(text=repr(structure_id)),
                    "did_you_mean": [s.id for s in candidates],
                },
                status_code=404,
            )
        return page(
            request,
            "error.html",
            404,
            title=_("No such structure"),
            message=_("no structure matches {text}.").format(text=repr(structure_id)),
            candidates=candidates,
        )

    @app.api_route("/orienter", response_class=HTMLResponse, include_in_schema=False, methods=["GET", "HEAD"])
    async def orientation_page(request: Request):
        stage, place_text, needs = (
            value(request, "etape", "stage"),
            value(request, "lieu", "place"),
            values(request, "besoin", "need"),
        )
        orientation = None
        if stage or place_text or needs:
            if not stage or not place_text:
                raise UsageError(_("give the stage of the project and where it is"))
            orientation = orient_module.orient(
                state.current(),
                STAGES.resolve(stage),
                places.resolve_place(place_text),
                OFFERS.resolve_all(needs),
            )
        return page(
            request, "orient.html", orientation=orientation, etape=stage, lieu=place_text, besoins=set(needs)
        )

    @app.api_route(
        "/couverture", response_class=HTMLResponse, include_in_schema=False, methods=["GET", "HEAD"]
    )
    async def coverage_page(request: Request):
        by = coverage_module.grouping(value(request, "par", "by") or "region")
        stages = STAGES.resolve_all(values(request, "etape", "stage"))
        result = coverage_module.coverage(state.current(), by, stages, (), ())
        rows = render.coverage_rows(result, with_national=False)
        return page(
            request,
            "coverage.html",
            result=result,
            rows=rows,
            by=by,
            summary=render.coverage_summary(result),
            stages=result.stages,
        )

    @app.api_route(
        "/telechargements", response_class=HTMLResponse, include_in_schema=False, methods=["GET", "HEAD"]
    )
    def downloads_page(request: Request):
        folder = state.export_folder()
        files = [(name, (folder / name).stat().st_size) for name, _type in DOWNLOADS]
        return page(request, "downloads.html", files=files)

    @app.api_route("/telechargements/{name}", include_in_schema=False, methods=["GET", "HEAD"])
    def download(request: Request, name: str):
        types = dict(DOWNLOADS)
        if name not in types:
            return not_found_page(request)
        return FileResponse(state.export_folder() / name, media_type=types[name], filename=name)

    # ---- the JSON API: the CLI's --format json ---------------------------------------------

    @app.get(
        "/api/v1/find",
        summary="find: the structures that match (as essmap find --format json)",
    )
    async def api_find(
        request: Request,
        q: str = "",
        region: list[str] = Query([]),
        department: list[str] = Query([]),
        commune: list[str] = Query([]),
        place: str = "",
        stage: list[str] = Query([]),
        theme: list[str] = Query([]),
        kind: list[str] = Query([]),
        offer: list[str] = Query([]),
        national: str = "",
        include_closed: str = "",
        limit: str = "0",
    ):
        """Each filter may be repeated (`?region=bretagne&region=normandie`); `limit` 0 lists all."""
        count = number(request, "limit", 0, 0, 10_000)
        _loaded, _filters, _text, result = search(request, count or None)
        return api(request, as_json.structures(result.structures))

    @app.get(
        "/api/v1/structures/{structure_id}",
        summary="show: one structure (as essmap show --format json)",
    )
    async def api_show(request: Request, structure_id: str):
        loaded = state.current()
        found = _structure_or_redirect(request, loaded, structure_id, "/api/v1/structures/")
        if isinstance(found, Response):
            return found
        return api(request, as_json.structure(found, query_module.relations(loaded, found)))

    @app.get(
        "/api/v1/orient",
        summary="orient: whom to call first, and then (as essmap orient --format json)",
    )
    async def api_orient(
        request: Request,
        stage: str = "",
        place: str = "",
        region: str = "",
        department: str = "",
        commune: str = "",
        need: list[str] = Query([]),
    ):
        """`place` takes a region, a department, a commune or a postal code as people write them."""
        place_text = value(request, "place", "lieu")
        if not (
            place_text
            or value(request, "region")
            or value(request, "department")
            or value(request, "commune")
        ):
            raise UsageError(_("give the stage of the project and where it is"))
        if place_text:
            where = places.resolve_place(place_text)
            chosen_stage, needs = (
                STAGES.resolve(value(request, "stage")),
                OFFERS.resolve_all(values(request, "need")),
            )
        else:
            chosen_stage, where, needs = orient_module.request(
                value(request, "stage"),
                value(request, "region") or None,
                value(request, "department") or None,
                value(request, "commune") or None,
                values(request, "need"),
            )
        return api(
            request, as_json.orientation(orient_module.orient(state.current(), chosen_stage, where, needs))
        )

    @app.get(
        "/api/v1/coverage",
        summary="coverage: structures per place and stage (as essmap coverage --format json)",
    )
    async def api_coverage(
        request: Request,
        by: str = "region",
        stage: list[str] = Query([]),
        kind: list[str] = Query([]),
        offer: list[str] = Query([]),
    ):
        grouping = coverage_module.grouping(value(request, "by") or "region")
        result = coverage_module.coverage(
            state.current(),
            grouping,
            STAGES.resolve_all(values(request, "stage")),
            KINDS.resolve_all(values(request, "kind")),
            OFFERS.resolve_all(values(request, "offer")),
        )
        return api(request, as_json.coverage(result, render.coverage_columns(result)))

    wrapped = Manners(app)
    wrapped.state = state
    return wrapped


def serve(
    host: str = "127.0.0.1", port: int = 8000, catalogue: Path | None = None, region: str | None = None
) -> None:
    """Run the application with Uvicorn until interrupted."""
    import uvicorn

    application = create_app(catalogue, region)
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False)
    finally:
        if application.state is not None:
            application.state.close()  # the exports written for the downloads
