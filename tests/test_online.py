"""`essmap check --online`, offline: the registry's recorded answers and the websites are served
by httpx's mock transport, time by a fake clock. No test touches the network."""

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essmap import online
from essmap.catalogue import load
from essmap.cli import app

httpx = pytest.importorskip("httpx")

ANSWERS = json.loads((Path(__file__).parent / "fixtures" / "recherche-entreprises.json").read_text("utf-8"))

DESCRIPTION = "Accompagne les projets de l'économie sociale et solidaire."
CATALOGUE = """\
structures:
{entries}
"""


def entry(id, name, extra=""):
    return f"""\
  - id: {id}
    name: {name}
    kind: incubateur
    stages: [creation]
    regions: [bretagne, ile-de-france]
{extra}    description: {DESCRIPTION}
    sources:
      - url: https://example.org/{id}
    updated: '2026-01-01'
"""


ENTRIES = [
    entry(
        "alpha",
        "Alpha Coopérative",
        "    city: Paris\n    siret: '13003013300016'\n    website: https://alpha.example/\n",
    ),
    entry("beta", "Beta", "    siren: '552081317'\n    website: https://beta.example/\n"),
    entry("gamma", "Gamma", "    city: Rennes\n    rna: W751234567\n    website: https://gamma.example/\n"),
    entry("delta", "Delta", "    city: Rennes\n    siren: '784671695'\n"),
    entry("epsilon", "Incubateur Epsilon", "    departments: ['35']\n"),
    entry("zeta", "Zeta", "    siren: '412345670'\n"),
    entry(
        "eta",
        "Eta",
        "    status: closed\n    status_date: '2020'\n    status_source: https://example.org/eta-closed\n"
        "    siren: '523456788'\n",
    ),
]


class Server:
    """The registry and the websites, as a mock transport that records what it was asked."""

    def __init__(self, throttle: int = 0):
        self.requests: list[httpx.Request] = []
        self.throttle = throttle  # the registry answers 429 this many times first
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
        host = request.url.host
        if host == "recherche-entreprises.api.gouv.fr":
            with self.lock:
                if self.throttle:
                    self.throttle -= 1
                    return httpx.Response(429, headers={"Retry-After": "2"})
            q = request.url.params["q"]
            if q == "523456788":
                return httpx.Response(
                    200,
                    json={"results": [dict(ANSWERS["Incubateur Epsilon"]["results"][0], nom_complet="ETA")]},
                )
            return httpx.Response(200, json=ANSWERS.get(q, {"results": []}))
        if host == "alpha.example":
            return httpx.Response(301, headers={"Location": "https://www.alpha-cooperative.example/accueil"})
        if host == "www.alpha-cooperative.example":
            return httpx.Response(200)
        if host == "beta.example":
            return httpx.Response(404)
        if host == "gamma.example":
            # refuses HEAD, answers GET
            return httpx.Response(405 if request.method == "HEAD" else 200)
        raise httpx.ConnectError("no such host", request=request)


class Clock:
    """A fake monotonic clock: sleeping moves it on."""

    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            self.now += seconds


@pytest.fixture
def catalogue(write):
    return load(write(CATALOGUE.format(entries="".join(ENTRIES))), use_cache=False)


def run(catalogue, server=None, clock=None, **options):
    server = server or Server()
    clock = clock or Clock()
    options.setdefault("cache_file", None)
    report = online.check(
        catalogue,
        transport=httpx.MockTransport(server),
        clock=clock,
        sleep=clock.sleep,
        concurrency=1,
        **options,
    )
    return report, server, clock


def problems(report):
    return {(f.id, f.check, f.problem) for f in report.findings}


def test_what_disagrees_with_the_catalogue_is_reported(catalogue):
    report, _, _ = run(catalogue)
    assert problems(report) == {
        ("alpha", "registry", "establishment-closed"),
        ("alpha", "website", "site-moved"),
        ("beta", "registry", "ceased"),
        ("beta", "website", "site-dead"),
        ("delta", "registry", "name-differs"),
        ("delta", "registry", "town-differs"),
        ("zeta", "registry", "not-in-registry"),
        ("eta", "registry", "still-open"),
    }
    by = {(f.id, f.problem): f for f in report.findings}
    closed = by[("alpha", "establishment-closed")]
    assert "2024-03-31" in closed.detail and "13003013300024" in closed.detail  # the successor head office
    assert closed.url == "https://annuaire-entreprises.data.gouv.fr/etablissement/13003013300016"
    assert by[("alpha", "site-moved")].url == "https://www.alpha-cooperative.example/accueil"
    assert "2023-06-30" in by[("beta", "ceased")].detail
    assert "HTTP 404" in by[("beta", "site-dead")].detail
    assert "OMEGA SERVICES" in by[("delta", "name-differs")].detail
    assert "LYON" in by[("delta", "town-differs")].detail
    assert report.registry_checked == 6 and report.websites_checked == 3
    assert report.not_checked == []


def test_it_is_polite(catalogue):
    report, server, clock = run(catalogue)
    assert all(
        "essmap/" in r.headers["User-Agent"] and online.HOME_PAGE in r.headers["User-Agent"]
        for r in server.requests
    )
    # the registry is asked at most API_RATE times a second
    api_calls = [r for r in server.requests if r.url.host == "recherche-entreprises.api.gouv.fr"]
    assert len(api_calls) == 6
    assert sum(clock.slept) >= (len(api_calls) - 1) / online.API_RATE - 1e-9
    # the gamma site refused HEAD and was asked again with GET
    assert [r.method for r in server.requests if r.url.host == "gamma.example"] == ["HEAD", "GET"]


def test_a_429_is_waited_out(catalogue):
    report, server, clock = run(catalogue, server=Server(throttle=2), ids=["beta"])
    assert ("beta", "registry", "ceased") in problems(report)
    assert clock.slept.count(2.0) == 2  # Retry-After was obeyed, twice


def test_a_registry_that_keeps_refusing_leaves_the_entry_unchecked(catalogue):
    report, _, _ = run(catalogue, server=Server(throttle=99), ids=["beta"])
    assert report.not_checked == [
        {"id": "beta", "check": "registry", "reason": "the registry kept refusing (HTTP 429)"}
    ]
    assert ("beta", "website", "site-dead") in problems(report)


def test_the_time_limit_stops_asking(catalogue):
    clock = Clock()
    report, server, _ = run(catalogue, clock=clock, time_limit=0.5)
    # the API is asked 5 times a second: a few answers fit in half a second, the rest are reported
    assert report.not_checked
    assert {n["reason"] for n in report.not_checked} == {"time limit"}
    assert report.registry_checked + len([n for n in report.not_checked if n["check"] == "registry"]) == 6


def test_suggestions_list_the_likely_legal_units(catalogue):
    report, _, _ = run(catalogue, ids=["epsilon"], suggest=True)
    assert [(c.id, c.siren, c.siret, c.state) for c in report.suggestions] == [
        ("epsilon", "523456788", "52345678800018", "active")
    ]
    assert report.suggestions[0].url.endswith("/entreprise/523456788")


def test_suggestions_search_by_name_and_department(catalogue):
    _, server, _ = run(catalogue, ids=["epsilon"], suggest=True)
    (request,) = server.requests
    assert request.url.params["q"] == "Incubateur Epsilon" and request.url.params["departement"] == "35"


def test_answers_are_kept_on_disk_with_their_date(catalogue, tmp_path):
    kept = tmp_path / "answers.json"
    first, server, _ = run(catalogue, cache_file=kept)
    assert server.requests
    dates = {v["date"] for v in json.loads(kept.read_text("utf-8")).values()}
    assert len(dates) == 1
    again, server, _ = run(catalogue, cache_file=kept)
    assert server.requests == []  # all from the kept answers
    assert problems(again) == problems(first)
    # --fresh (cache_days=0) asks again
    _, server, _ = run(catalogue, cache_file=kept, cache_days=0)
    assert server.requests


def test_a_damaged_answer_file_is_ignored(catalogue, tmp_path):
    kept = tmp_path / "answers.json"
    kept.write_text("{not json", encoding="utf-8")
    report, server, _ = run(catalogue, cache_file=kept, ids=["beta"])
    assert ("beta", "registry", "ceased") in problems(report)
    json.loads(kept.read_text("utf-8"))  # rewritten whole


def test_an_unknown_id_is_a_usage_error(catalogue):
    from essmap.errors import UsageError

    with pytest.raises(UsageError, match="did you mean 'alpha'"):
        run(catalogue, ids=["alpah"])


@pytest.fixture
def mocked(monkeypatch):
    """The CLI's check, with the mock server and no answer file."""
    original = online.check

    def check(catalogue, ids=(), **options):
        options.update(transport=httpx.MockTransport(Server()), cache_file=None, sleep=lambda s: None)
        return original(catalogue, ids, **options)

    monkeypatch.setattr(online, "check", check)


def test_the_cli_prints_the_findings_writes_the_report_and_exits_1(write, tmp_path, mocked):
    path = write(CATALOGUE.format(entries="".join(ENTRIES)))
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        app, ["check", "--online", "--report", str(report), "-c", str(path), "--no-cache"]
    )
    assert result.exit_code == 1, result.output
    assert "establishment closed according to the registry" in result.output
    assert "site moved" in result.output
    written = json.loads(report.read_text("utf-8"))
    assert {(f["id"], f["problem"]) for f in written["findings"]} >= {
        ("alpha", "site-moved"),
        ("beta", "ceased"),
    }
    assert written["user_agent"].startswith("essmap/")


def test_the_cli_exits_0_when_nothing_disagrees(write, mocked):
    path = write(CATALOGUE.format(entries="".join(ENTRIES)))
    result = CliRunner().invoke(
        app, ["check", "--online", "gamma", "-c", str(path), "--no-cache", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    start = result.output.index("{")
    assert json.loads(result.output[start : result.output.rindex("}") + 1])["findings"] == []


def test_the_check_never_runs_without_online(write):
    path = write(CATALOGUE.format(entries="".join(ENTRIES)))
    result = CliRunner().invoke(app, ["check", "-c", str(path)])
    assert result.exit_code == 2
    assert "--online" in result.output


@pytest.mark.parametrize("option", [["--concurrency", "0"], ["--concurrency", "9"], ["--time-limit", "0"]])
def test_bounds_are_checked(write, mocked, option):
    path = write(CATALOGUE.format(entries="".join(ENTRIES)))
    result = CliRunner().invoke(app, ["check", "--online", *option, "-c", str(path)])
    assert result.exit_code == 2


def test_registry_text_is_made_harmless(catalogue):
    hostile = {"results": [dict(ANSWERS["784671695"]["results"][0], nom_complet="\x1b[31mEVIL\u202e")]}
    from essmap.render import check_report_text

    structure = catalogue.get("delta")
    report = online.Report("2026-01-01T00:00:00+00:00", findings=online.registry_findings(structure, hostile))
    text = check_report_text(report)
    assert "\x1b" not in text and "\u202e" not in text


def test_the_documented_weekly_job_runs_real_options():
    import re
    import shlex

    import yaml

    text = (Path(__file__).parents[1] / "docs" / "weekly-check.md").read_text("utf-8")
    workflow = yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))
    assert "schedule" in workflow[True] or "schedule" in workflow.get("on", {})  # YAML 1.1 reads `on` as True
    runs = [step["run"] for step in workflow["jobs"]["check"]["steps"] if "run" in step]
    command = next(r for r in runs if r.startswith("essmap check"))
    options = [w for w in shlex.split(command.split(">")[0]) if w.startswith("--")]
    help_text = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "200"}).output
    assert options and all(option in help_text for option in options)


def test_a_registry_that_does_not_answer_is_asked_again_with_doubling_waits(catalogue):
    def down(request):
        if request.url.host == "recherche-entreprises.api.gouv.fr":
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200)

    clock = Clock()
    report = online.check(
        catalogue,
        ids=["beta"],
        transport=httpx.MockTransport(down),
        clock=clock,
        sleep=clock.sleep,
        concurrency=1,
        cache_file=None,
    )
    (unchecked,) = report.not_checked
    assert unchecked["check"] == "registry" and "did not answer" in unchecked["reason"]
    assert [s for s in clock.slept if s >= 1] == [1.0, 2.0, 4.0]  # three retries, doubling
