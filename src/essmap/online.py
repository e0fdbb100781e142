"""`essmap check --online`: what the official registry and the websites say today, set against
the catalogue. It reads, reports and never edits: a maintainer decides, citing the registry page.

- **Registry.** Entries with a SIREN, SIRET or RNA number are looked up in the public
  "Recherche d'entreprises" API (recherche-entreprises.api.gouv.fr, no key; the response shapes
  are those of its public code, annuaire-entreprises-data-gouv-fr/search-api). It reports a
  legal unit that ceased, an establishment that closed (and the head office that now carries
  the unit), a name or a head-office town that differs, a number the registry does not know.
- **Websites.** Every listed entry's website is asked for (HEAD, then GET where HEAD is
  refused), following redirects: a site that does not answer, answers with an error, or now
  lives on another host is reported with its final address.
- **Suggestions.** With `suggest`, entries without any identifier are searched by name (and
  department) and the closest legal units are listed for a maintainer to confirm.

It is polite by construction: its User-Agent names essmap and its home page; at most
`concurrency` requests run at once; the API is asked at most API_RATE times a second (under
its published limit of 7) and a 429 is answered by waiting (Retry-After, else doubling); each
request has a timeout and the whole check a time limit; answers are kept on disk with their
date and reused for `cache_days`. httpx is imported only here, installed by `essmap[online]`.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from essmap import __version__
from essmap.catalogue import Catalogue
from essmap.errors import UsageError
from essmap.i18n import _
from essmap.model import Structure

if TYPE_CHECKING:
    import httpx

API = "https://recherche-entreprises.api.gouv.fr/search"
REGISTRY_PAGE = "https://annuaire-entreprises.data.gouv.fr/entreprise/{siren}"
ESTABLISHMENT_PAGE = "https://annuaire-entreprises.data.gouv.fr/etablissement/{siret}"
HOME_PAGE = "https://pypi.org/project/essmap/"
USER_AGENT = f"essmap/{__version__} (+{HOME_PAGE})"
API_RATE = 5.0  # requests a second; the API publishes 7 and answers 429 beyond
CONCURRENCY = 4
MAX_CONCURRENCY = 8
TIMEOUT = 10.0  # seconds for one request
TIME_LIMIT = 600.0  # seconds for the whole check
RETRIES = 3  # after a 429 or a 503
CACHE_DAYS = 7
CACHE_FILE = "online-answers.json"
NAME_MATCH = 80  # rapidfuzz score above which a registry name is the catalogue's name
SUGGESTIONS = 3  # candidates listed per entry


@dataclass(frozen=True)
class Finding:
    """One thing the registry or the web says that the catalogue does not."""

    id: str
    name: str
    check: str  # registry | website
    problem: str  # see PROBLEMS
    detail: str
    url: str  # the page to read and cite: the registry's or the site's final address


# What a finding can say; each label is a msgid.
PROBLEMS = {
    "ceased": "ceased according to the registry",
    "establishment-closed": "establishment closed according to the registry",
    "still-open": "open according to the registry",
    "not-in-registry": "not found in the registry",
    "name-differs": "name differs in the registry",
    "town-differs": "town differs in the registry",
    "site-dead": "site does not answer",
    "site-moved": "site moved",
}


# The checks, named in a report's `check`; each label is a msgid.
CHECKS = {"registry": "registry", "website": "website", "suggest": "suggest"}


@dataclass(frozen=True)
class Candidate:
    id: str
    name: str
    siren: str
    siret: str
    registry_name: str
    town: str
    state: str  # active | ceased
    score: int
    url: str


@dataclass
class Report:
    checked_at: str
    registry_checked: int = 0
    websites_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    suggestions: list[Candidate] = field(default_factory=list)
    not_checked: list[dict] = field(default_factory=list)  # {"id", "check", "reason"}

    def as_json(self) -> dict:
        return {
            "checked_at": self.checked_at,
            "essmap": __version__,
            "user_agent": USER_AGENT,
            "registry_checked": self.registry_checked,
            "websites_checked": self.websites_checked,
            "findings": [asdict(f) for f in self.findings],
            "suggestions": [asdict(c) for c in self.suggestions],
            "not_checked": self.not_checked,
        }


class Stopped(Exception):
    """The time limit passed, or the API kept refusing: the item is left unchecked."""


@dataclass
class Answer:
    status: int  # 0: no answer
    final_url: str = ""
    data: Any = None
    error: str = ""


class Fetcher:
    """HTTP with the check's manners: rate, retries, deadline, and an on-disk memory of answers."""

    def __init__(
        self,
        client: httpx.Client,
        deadline: float,
        cache: dict[str, dict],
        today: dt.date,
        cache_days: int = CACHE_DAYS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.client = client
        self.deadline = deadline
        self.cache = cache
        self.today = today
        self.cache_days = cache_days
        self.clock = clock
        self.sleep = sleep
        self.lock = threading.Lock()
        self.next_api_call = 0.0

    def _remembered(self, key: str) -> Answer | None:
        with self.lock:
            kept = self.cache.get(key)
        if not kept:
            return None
        try:
            age = (self.today - dt.date.fromisoformat(kept["date"])).days
        except (KeyError, TypeError, ValueError):
            return None
        if not 0 <= age < self.cache_days:
            return None
        return Answer(
            kept.get("status", 0), kept.get("final_url", ""), kept.get("data"), kept.get("error", "")
        )

    def _remember(self, key: str, answer: Answer) -> None:
        with self.lock:
            self.cache[key] = {"date": self.today.isoformat(), **asdict(answer)}

    def _wait_until(self, moment: float) -> None:
        pause = moment - self.clock()
        if pause > 0:
            if self.clock() + pause > self.deadline:
                raise Stopped(_("time limit"))
            self.sleep(pause)

    def _api_turn(self) -> None:
        """Wait for this request's turn under API_RATE."""
        with self.lock:
            now = self.clock()
            turn = max(now, self.next_api_call)
            self.next_api_call = turn + 1.0 / API_RATE
        self._wait_until(turn)

    def api(self, params: dict[str, str]) -> Answer:
        """The API's JSON answer to a search (cached); Stopped when it cannot be had in time."""
        import httpx

        url = f"{API}?{urlencode(params)}"
        kept = self._remembered(url)
        if kept is not None:
            return kept
        pause, wait, why = 1.0, 0.0, ""
        for attempt in range(RETRIES + 1):
            if attempt:  # after a refusal or no answer: wait (Retry-After, else doubling), then again
                self._wait_until(self.clock() + wait)
                pause *= 2
            if self.clock() > self.deadline:
                raise Stopped(_("time limit"))
            self._api_turn()
            try:
                response = self.client.get(url)
            except httpx.HTTPError as error:
                why = _("the registry did not answer: {error}").format(error=_reason(error))
                wait = pause
                continue
            if response.status_code in (429, 503):
                why = _("the registry kept refusing (HTTP {status})").format(status=response.status_code)
                wait = _retry_after(response, pause)
                continue
            if response.status_code != 200:
                raise Stopped(_("the registry answered HTTP {status}").format(status=response.status_code))
            try:
                data = response.json()
            except ValueError:
                raise Stopped(_("the registry's answer is not JSON")) from None
            answer = Answer(200, str(response.url), data)
            self._remember(url, answer)
            return answer
        raise Stopped(why)

    def site(self, url: str) -> Answer:
        """How a website answers: its final address after redirects, or why it does not."""
        import httpx

        key = "site " + url
        kept = self._remembered(key)
        if kept is not None:
            return kept
        if self.clock() > self.deadline:
            raise Stopped(_("time limit"))
        answer = Answer(0)
        for method in ("HEAD", "GET"):
            try:
                with self.client.stream(method, url) as response:
                    answer = Answer(response.status_code, str(response.url))
            except httpx.TimeoutException:
                answer = Answer(0, error=_("no answer within {seconds} s").format(seconds=int(TIMEOUT)))
            except httpx.TooManyRedirects:
                answer = Answer(0, error=_("too many redirects"))
                break
            except httpx.HTTPError as error:
                answer = Answer(0, error=_reason(error))
            # some servers refuse HEAD (405, 403, 501...): ask again with GET
            if answer.status and answer.status < 400:
                break
        self._remember(key, answer)
        return answer


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _retry_after(response: httpx.Response, default: float) -> float:
    try:
        return min(max(float(response.headers.get("Retry-After", "")), 0.0), 60.0)
    except ValueError:
        return default


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _similar(a: str, b: str) -> int:
    from rapidfuzz import fuzz

    from essmap.text import fold

    return int(fuzz.token_set_ratio(fold(a), fold(b)))


def _names(structure: Structure) -> tuple[str, ...]:
    return (structure.name, *structure.aliases)


def _registry_names(unit: dict) -> list[str]:
    return [n for n in (unit.get("nom_complet"), unit.get("nom_raison_sociale"), unit.get("sigle")) if n]


def _town(establishment: dict | None) -> str:
    return (establishment or {}).get("libelle_commune") or ""


def registry_findings(structure: Structure, data: dict) -> list[Finding]:
    """What one answer of the API says about an entry that the catalogue does not."""
    from essmap.communes import name_key

    siret, siren, rna = structure.siret, structure.siren, structure.rna
    wanted = (siret or "")[:9] or siren
    units = [u for u in data.get("results") or () if isinstance(u, dict)]
    if wanted:
        unit = next((u for u in units if u.get("siren") == wanted), None)
    else:
        unit = next(
            (u for u in units if ((u.get("complements") or {}).get("identifiant_association") == rna)), None
        )
    number = siret or siren or rna or ""

    def finding(problem: str, detail: str, url: str) -> Finding:
        return Finding(structure.id, structure.name, "registry", problem, detail, url)

    if unit is None:
        return [finding("not-in-registry", _("no legal unit carries {number}").format(number=number), API)]
    page = REGISTRY_PAGE.format(siren=unit.get("siren", ""))
    found: list[Finding] = []
    head_office: dict = unit["siege"] if isinstance(unit.get("siege"), dict) else {}
    establishment: dict | None = head_office
    if siret:
        page = ESTABLISHMENT_PAGE.format(siret=siret)
        establishment = next(
            (
                e
                for e in [head_office, *(unit.get("matching_etablissements") or ())]
                if isinstance(e, dict) and e.get("siret") == siret
            ),
            None,
        )
    if unit.get("etat_administratif") == "C":
        found.append(
            finding(
                "ceased",
                _("the legal unit ceased on {date}").format(date=unit.get("date_fermeture") or "?"),
                page,
            )
        )
    elif establishment is not None and establishment.get("etat_administratif") == "F":
        detail = _("the establishment closed on {date}").format(
            date=establishment.get("date_fermeture") or "?"
        )
        if head_office.get("siret") and head_office.get("siret") != siret:
            detail += _("; the unit's head office is now SIRET {siret} ({town})").format(
                siret=head_office["siret"], town=_town(head_office) or "?"
            )
        found.append(finding("establishment-closed", detail, page))
    elif not structure.is_listed:
        found.append(
            finding(
                "still-open",
                _("the catalogue says {status}; the registry shows it open").format(status=structure.status),
                page,
            )
        )
    names = _registry_names(unit)
    if names and max(_similar(mine, theirs) for mine in _names(structure) for theirs in names) < NAME_MATCH:
        found.append(finding("name-differs", _("the registry's name: {name}").format(name=names[0]), page))
    town = _town(establishment)
    if structure.city and town and name_key(town) != name_key(structure.city):
        found.append(
            finding(
                "town-differs",
                _("the registry's town: {town}; the catalogue's: {city}").format(
                    town=town, city=structure.city
                ),
                page,
            )
        )
    return found


def site_findings(structure: Structure, answer: Answer) -> list[Finding]:
    """What a website's answer says that the catalogue does not."""
    website = structure.website or ""

    def finding(problem: str, detail: str, url: str) -> Finding:
        return Finding(structure.id, structure.name, "website", problem, detail, url)

    if not answer.status:
        return [finding("site-dead", answer.error or _("no answer"), website)]
    if answer.status >= 400:
        return [
            finding("site-dead", _("HTTP {status}").format(status=answer.status), answer.final_url or website)
        ]
    if answer.final_url and _host(answer.final_url) != _host(website):
        return [finding("site-moved", _("now at {url}").format(url=answer.final_url), answer.final_url)]
    return []


def candidates(structure: Structure, data: dict) -> list[Candidate]:
    """The legal units of a search by name that may be the entry, the closest first."""
    found = []
    for unit in data.get("results") or ():
        if not isinstance(unit, dict) or not unit.get("siren"):
            continue
        names = _registry_names(unit)
        if not names:
            continue
        score = max(_similar(mine, theirs) for mine in _names(structure) for theirs in names)
        if score < NAME_MATCH:
            continue
        head_office: dict = unit["siege"] if isinstance(unit.get("siege"), dict) else {}
        found.append(
            Candidate(
                structure.id,
                structure.name,
                unit["siren"],
                head_office.get("siret") or "",
                names[0],
                _town(head_office),
                "ceased" if unit.get("etat_administratif") == "C" else "active",
                score,
                REGISTRY_PAGE.format(siren=unit["siren"]),
            )
        )
    found.sort(key=lambda c: (-c.score, c.state != "active", c.siren))
    return found[:SUGGESTIONS]


def _identified(structure: Structure) -> bool:
    return bool(structure.siret or structure.siren or structure.rna)


def _search_params(structure: Structure) -> dict[str, str]:
    params = {"q": structure.name, "per_page": "10"}
    if len(structure.departments) == 1:
        params["departement"] = structure.departments[0]
    return params


def _read_cache(path: Path | None) -> dict[str, dict]:
    from essmap.files import Untrusted, trustworthy

    if path is None:
        return {}
    try:
        trustworthy(path)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (Untrusted, OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(path: Path | None, cache: dict[str, dict]) -> None:
    from essmap.files import private_folder, replacing

    if path is None or not private_folder(path.parent):
        return
    try:
        with replacing(path, mode=0o600) as temporary:
            temporary.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs the next run its requests


def cache_path() -> Path | None:
    from essmap.files import cache_dir

    folder = cache_dir()
    return folder / CACHE_FILE if folder is not None else None


def _structure(catalogue: Catalogue, structure_id: str) -> Structure:
    from essmap.suggest import closest

    found = catalogue.resolve(structure_id)
    if found is None:
        hint = closest(structure_id, [s.id for s in catalogue.structures], limit=1)
        raise UsageError(
            _("no structure has the id {id}").format(id=repr(structure_id))
            + (_("; did you mean {suggestion}?").format(suggestion=repr(hint[0])) if hint else "")
        )
    return found


def check(
    catalogue: Catalogue,
    ids: Iterable[str] = (),
    suggest: bool = False,
    concurrency: int = CONCURRENCY,
    time_limit: float = TIME_LIMIT,
    cache_days: int = CACHE_DAYS,
    today: dt.date | None = None,
    transport: httpx.BaseTransport | None = None,
    cache_file: Path | None | str = "default",
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Report:
    """Check the entries named by `ids` (all when none) against the registry and the web."""
    try:
        import httpx
    except ImportError:
        raise UsageError(
            _("the online check needs httpx; install it with: pip install 'essmap[online]'")
        ) from None
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise UsageError(_("--concurrency must be from 1 to {most}").format(most=MAX_CONCURRENCY))
    if time_limit <= 0:
        raise UsageError(_("--time-limit must be a positive number of seconds"))
    chosen = [_structure(catalogue, i) for i in ids] if ids else list(catalogue.structures)
    chosen = list({s.id: s for s in chosen}.values())
    today = today or dt.date.today()
    path = cache_path() if cache_file == "default" else (Path(cache_file) if cache_file else None)
    cache = _read_cache(path) if cache_days > 0 else {}
    report = Report(checked_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat())
    client = httpx.Client(
        headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/html;q=0.9, */*;q=0.1"},
        timeout=TIMEOUT,
        follow_redirects=True,
        max_redirects=10,
        transport=transport,
    )
    fetcher = Fetcher(client, clock() + time_limit, cache, today, cache_days, clock, sleep)

    def registry(structure: Structure) -> None:
        number = structure.siret or structure.siren or structure.rna or ""
        answer = fetcher.api({"q": number, "per_page": "5"})
        report.findings.extend(registry_findings(structure, answer.data or {}))

    def website(structure: Structure) -> None:
        report.findings.extend(site_findings(structure, fetcher.site(structure.website or "")))

    def suggestion(structure: Structure) -> None:
        answer = fetcher.api(_search_params(structure))
        report.suggestions.extend(candidates(structure, answer.data or {}))

    tasks: list[tuple[str, Callable[[Structure], None], Structure]] = []
    tasks += [("registry", registry, s) for s in chosen if _identified(s)]
    tasks += [("website", website, s) for s in chosen if s.website and s.is_listed]
    if suggest:
        tasks += [("suggest", suggestion, s) for s in chosen if not _identified(s) and s.is_listed]

    def run(task: tuple[str, Callable[[Structure], None], Structure]) -> None:
        what, work, structure = task
        try:
            work(structure)
        except Stopped as stop:
            report.not_checked.append({"id": structure.id, "check": what, "reason": str(stop)})
            return
        if what == "registry":
            report.registry_checked += 1
        elif what == "website":
            report.websites_checked += 1

    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(run, tasks))
    finally:
        client.close()
        if cache_days > 0:
            _write_cache(path, cache)
    order = {name: index for index, name in enumerate(PROBLEMS)}
    report.findings.sort(key=lambda f: (f.id, f.check, order.get(f.problem, 99)))
    report.suggestions.sort(key=lambda c: (c.id, -c.score))
    report.not_checked.sort(key=lambda n: (n["id"], n["check"]))
    return report


def write_report(report: Report, target: Path) -> None:
    """The report as JSON at `target` (replaced whole, never half-written)."""
    from essmap.errors import EssmapError
    from essmap.files import replacing

    try:
        with replacing(target) as temporary:
            temporary.write_text(
                json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
    except OSError as error:
        reason = getattr(error, "strerror", None) or error
        raise EssmapError(_("cannot write to {path}: {reason}").format(path=target, reason=reason)) from None
