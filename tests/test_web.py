"""`essmap serve`: pages and API through FastAPI's test client, on a fixture catalogue."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from essmap import web  # noqa: E402
from essmap.cli import app as cli_app  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = """
  - id: piege
    name: "<script>alert(1)</script> Piège"
    kind: incubateur
    stages: [creation]
    regions: [bretagne]
    website: "https://example.org/?a=1&b='2'"
    description: "Un texte avec <b>balises</b> et {{ moustaches }} et ${x}."
    sources:
      - url: https://example.org/piege
        date: '2025-01-01'
    updated: '2026-12-01'
"""


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "structures.yaml"
    path.write_text((FIXTURES / "answers.yaml").read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    return path


@pytest.fixture
def client(catalogue, monkeypatch):
    monkeypatch.setattr(web, "RELOAD_CHECK", 0.0)
    application = web.create_app(catalogue)
    with TestClient(application) as test_client:
        yield test_client
    application.state.close()


def cli_json(catalogue, *args):
    result = CliRunner().invoke(cli_app, [*args, "--catalogue", str(catalogue), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_home_has_the_search_and_a_map_of_links(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<form class="search" action="/trouver"' in page.text
    assert 'href="/trouver?departement=29"' in page.text  # a department tile is a link
    assert '<html lang="fr">' in page.text and "Qui peut aider" in page.text


def test_results_have_facets_with_counts_and_say_why(client):
    page = client.get("/trouver", params={"region": "bretagne", "etape": "creation"})
    assert page.status_code == 200
    assert "CRESS Bretagne" in page.text
    assert re.search(r"Type</summary>.*?\(\d+\)", page.text, re.S)  # a facet with counts
    assert "Pourquoi elle est listée" in page.text


def test_free_text_understands_a_place(client):
    page = client.get("/trouver", params={"q": "financement à Brest"})
    assert page.status_code == 200
    assert "compris" in page.text and "Brest" in page.text


def test_a_structure_page_has_every_field_relations_both_ways_and_dated_sources(client):
    page = client.get("/structures/dla-29")
    assert page.status_code == 200
    text = page.text
    assert "<h1>" in text and "Sources" in text
    carried = client.get("/structures/france-active-bretagne")
    assert carried.status_code == 200


def test_an_old_id_redirects_to_the_new_address(client):
    moved = client.get("/structures/ruche-lille-vieux", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == "/structures/incubateur-lille"
    api = client.get("/api/v1/structures/ruche-lille-vieux", follow_redirects=False)
    assert api.status_code == 301 and api.headers["location"] == "/api/v1/structures/incubateur-lille"


def test_an_unknown_structure_gets_a_404_with_suggestions(client):
    page = client.get("/structures/cress-bretagn")
    assert page.status_code == 404
    assert "/structures/cress-bretagne" in page.text


def test_lifecycle_warnings(client):
    closed = client.get("/structures/vieille-chambre")
    assert closed.status_code == 200 and 'class="warning"' in closed.text


def test_the_orientation_form_and_its_path(client):
    empty = client.get("/orienter")
    assert empty.status_code == 200 and 'name="etape"' in empty.text and 'name="besoin"' in empty.text
    answered = client.get("/orienter", params={"etape": "creation", "lieu": "Brest", "besoin": "financement"})
    assert answered.status_code == 200
    assert "pole-brest" in answered.text or "Pôle" in answered.text
    half = client.get("/orienter", params={"besoin": "financement"})
    assert half.status_code == 400


def test_coverage_by_region_and_department(client):
    assert client.get("/couverture").status_code == 200
    by_department = client.get("/couverture", params={"par": "departement"})
    assert by_department.status_code == 200 and "Finistère" in by_department.text


def test_downloads_are_the_export_files(client, catalogue, tmp_path):
    page = client.get("/telechargements")
    assert page.status_code == 200
    for name, _type in web.DOWNLOADS:
        assert f"/telechargements/{name}" in page.text
    served = client.get("/telechargements/structures.json").json()
    out = tmp_path / "export"
    assert CliRunner().invoke(cli_app, ["export", str(out), "--catalogue", str(catalogue)]).exit_code == 0
    assert served == json.loads((out / "structures.json").read_text(encoding="utf-8"))
    assert client.get("/telechargements/../structures.yaml").status_code == 404
    assert client.get("/telechargements/secret.txt").status_code == 404


def test_the_api_answers_as_the_cli(client, catalogue):
    found = client.get("/api/v1/find", params={"region": "bretagne", "stage": "creation"}).json()
    assert found == cli_json(catalogue, "find", "--region", "bretagne", "--stage", "creation")
    shown = client.get("/api/v1/structures/cress-bretagne").json()
    assert shown == cli_json(catalogue, "show", "cress-bretagne")
    oriented = client.get(
        "/api/v1/orient",
        params={"stage": "creation", "department": "29", "need": "financement"},
        headers={"Accept-Language": "en"},  # the CLI's tests speak English; the words follow the language
    )
    assert oriented.json() == cli_json(
        catalogue, "orient", "--stage", "creation", "--department", "29", "--need", "financement"
    )
    covered = client.get(
        "/api/v1/coverage", params={"by": "department"}, headers={"Accept-Language": "en"}
    ).json()
    assert covered == cli_json(catalogue, "coverage", "--by", "department")


def test_the_api_is_cached_by_catalogue_version(client, catalogue):
    first = client.get("/api/v1/find", params={"region": "bretagne"})
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = client.get("/api/v1/find", params={"region": "bretagne"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    # the file changes: the catalogue is reloaded and the version with it
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8").replace("CRESS Bretagne", "CRESS de Bretagne"), encoding="utf-8"
    )
    changed = client.get("/api/v1/find", params={"region": "bretagne"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "CRESS de Bretagne" in changed.text


def test_a_broken_catalogue_edit_keeps_the_last_good_one(client, catalogue):
    catalogue.write_text("structures: [\n", encoding="utf-8")
    page = client.get("/trouver", params={"region": "bretagne"})
    assert page.status_code == 200 and "CRESS Bretagne" in page.text


def test_openapi_describes_the_api(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/find", "/api/v1/structures/{structure_id}", "/api/v1/orient", "/api/v1/coverage"} <= set(
        spec["paths"]
    )
    assert not any(path.startswith("/trouver") for path in spec["paths"])
    assert client.get("/docs").status_code == 404  # its page would load scripts from elsewhere


def test_language_by_header_and_switch(client):
    french = client.get("/trouver", params={"region": "bretagne"})
    assert '<html lang="fr">' in french.text and french.headers["content-language"] == "fr"
    english = client.get(
        "/trouver", params={"region": "bretagne"}, headers={"Accept-Language": "en-GB,en;q=0.9,fr;q=0.5"}
    )
    assert '<html lang="en">' in english.text and "structures found" in english.text
    switched = client.get(
        "/trouver", params={"region": "bretagne", "lang": "en"}, headers={"Accept-Language": "fr"}
    )
    assert '<html lang="en">' in switched.text
    assert 'href="/orienter?lang=en"' in switched.text  # the choice is kept in the site's links
    assert "lang=fr" in re.search(r'class="language" href="([^"]+)"', switched.text).group(1)
    error = client.get("/api/v1/find", params={"region": "bretagn"}, headers={"Accept-Language": "en"})
    assert "did you mean 'bretagne'" in error.json()["error"]


def test_security_headers_and_no_inline_script(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    )
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    for address in ("/", "/trouver?region=bretagne", "/structures/piege", "/orienter", "/couverture"):
        text = client.get(address).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), address
        assert not re.search(r"\son\w+=", text), address  # no inline event handler
        # nothing loaded from elsewhere: scripts, styles, images and fonts are the site's own
        loaded = re.findall(r'<(?:script|img)[^>]*\bsrc="([^"]*)"|<link[^>]*\bhref="([^"]*)"', text)
        assert all(
            address.startswith("/") and not address.startswith("//")
            for pair in loaded
            for address in pair
            if address
        )


def test_catalogue_text_is_escaped(client):
    page = client.get("/structures/piege").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>balises</b>" not in page
    listed = client.get("/trouver", params={"q": "piège"}).text
    assert "<script>alert" not in listed


@pytest.mark.parametrize(
    "address,status,words",
    [
        ("/trouver?region=bretagn", 400, "bretagne"),
        ("/trouver?etape=creatoin", 400, "creation"),
        ("/trouver?q=" + "a" * 300, 400, "200"),
        ("/trouver?" + "&".join(["region=bretagne"] * 11), 400, "10"),
        ("/trouver?page=abc", 400, "page"),
        ("/couverture?par=commune", 400, "region"),
        ("/api/v1/find?limit=-1", 400, "limit"),
        ("/api/v1/orient?stage=creation", 400, "stage"),
        ("/api/v1/coverage?by=canton", 400, "department"),
        ("/api/v1/nothing", 404, ""),
    ],
)
def test_bad_input_gets_a_clear_answer(client, address, status, words):
    answer = client.get(address, headers={"Accept-Language": "en"})
    assert answer.status_code == status
    assert words in answer.text


def test_a_huge_address_is_refused(client):
    assert client.get("/trouver?q=" + "x" * 5000).status_code == 414


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(
        ["/trouver", "/orienter", "/couverture", "/api/v1/find", "/api/v1/orient", "/api/v1/coverage"]
    ),
    st.dictionaries(
        st.sampled_from(
            [
                "q",
                "lieu",
                "region",
                "departement",
                "commune",
                "etape",
                "type",
                "offre",
                "besoin",
                "par",
                "page",
                "stage",
                "place",
                "need",
                "by",
                "limit",
                "lang",
            ]
        ),
        st.text(max_size=40),
        max_size=4,
    ),
)
def test_no_input_gets_a_server_error(client, address, params):
    answer = client.get(address, params=params)
    assert answer.status_code in (200, 400, 404), (address, params, answer.text[:300])


def test_the_served_catalogue_is_the_cli_one(monkeypatch, catalogue):
    monkeypatch.setenv("ESSMAP_CATALOGUE", str(catalogue))
    application = web.create_app(None)
    try:
        assert application.state.path == catalogue
    finally:
        application.state.close()


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch):
    import sys

    import essmap

    monkeypatch.setitem(sys.modules, "essmap.web", None)
    monkeypatch.delattr(essmap, "web")
    result = CliRunner().invoke(cli_app, ["serve"])
    assert result.exit_code == 2
    assert "essmap[web]" in result.output


def test_the_dockerfile_serves_with_real_options():
    text = (Path(__file__).parents[1] / "Dockerfile").read_text(encoding="utf-8")
    command = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert command[:2] == ["essmap", "serve"]
    help_text = CliRunner().invoke(cli_app, ["serve", "--help"], env={"COLUMNS": "200"}).output
    assert all(word in help_text for word in command[2:] if word.startswith("--"))
    for source in re.findall(r"^COPY (.+) \./?\S*$", text, re.M):
        for name in source.split():
            assert (Path(__file__).parents[1] / name).exists(), name


def test_a_cress_serves_its_region(catalogue):
    application = web.create_app(catalogue, region="Bretagne")
    try:
        with TestClient(application) as regional:
            page = regional.get("/trouver", params={"etape": "creation"})
            assert "CRESS Bretagne" in page.text and "CRESS Grand Est" not in page.text
            assert "la région de ce site" in page.text
            elsewhere = regional.get("/trouver", params={"q": "cress Strasbourg"})
            assert "CRESS Grand Est" in elsewhere.text  # a place named in the text wins
            chosen = regional.get("/trouver", params={"region": "grand-est"})
            assert "CRESS Grand Est" in chosen.text and "la région de ce site" not in chosen.text
    finally:
        application.state.close()


def test_a_bad_home_region_is_refused_before_serving():
    result = CliRunner().invoke(cli_app, ["serve", "--region", "bretagn"])
    assert result.exit_code == 2 and "bretagne" in result.output
