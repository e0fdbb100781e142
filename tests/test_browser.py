"""`essmap serve` in a real browser: Debian's Chromium, headless, driven by Playwright, against
the app served by Uvicorn on loopback. axe-core checks the pages' accessibility.

Chromium is found at $ESSMAP_CHROMIUM or /usr/bin/chromium. Without it these tests are
skipped, unless ESSMAP_REQUIRE_BROWSER=1 (as .ci/run sets it, after installing Debian's
chromium): then a missing browser is a failure.
"""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("ESSMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).is_file():
    if os.environ.get("ESSMAP_REQUIRE_BROWSER") == "1":
        raise RuntimeError(f"Chromium is required for the browser tests and was not found at {CHROMIUM}")
    pytest.skip("no Chromium on this machine (Debian package chromium)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
from axe_playwright_python.sync_playwright import Axe  # noqa: E402

from essmap import web  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app on the fixture catalogue, served by Uvicorn in a thread; yields its base address."""
    folder = tmp_path_factory.mktemp("site")
    catalogue = folder / "structures.yaml"
    shutil.copy(FIXTURES / "answers.yaml", catalogue)
    application = web.create_app(catalogue)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    application.state.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_a_search_in_a_persons_words_then_a_structure(site, page):
    page.goto(site + "/")
    page.fill("#q", "financer mon association à Brest")
    page.press("#q", "Enter")
    page.wait_for_url("**/trouver?**")
    assert "structures trouvées" in page.inner_text("#found-title") or "structure trouvée" in page.inner_text(
        "#found-title"
    )
    assert "Brest" in page.inner_text(".understood")
    first = page.locator("li.structure h3 a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/structures/**")
    assert page.inner_text("h1") == name
    assert page.locator("ul.sources li").count() >= 1


def test_the_orientation_form(site, page):
    page.goto(site + "/orienter")
    page.check("input[name=etape][value=creation]")
    page.fill("#lieu", "Brest")
    page.check("input[name=besoin][value=financement]")
    page.click("form.orient button[type=submit]")
    page.wait_for_selector("section.path")
    steps = page.locator("ol.steps > li")
    assert steps.count() >= 2
    assert "Porte d'entrée" in steps.first.inner_text()


def test_a_department_of_the_map_lists_its_structures(site, page):
    page.goto(site + "/")
    page.click('a[aria-label^="Finistère (29)"]')
    page.wait_for_url("**/trouver?departement=29**")
    assert page.locator("li.structure").count() >= 1


def test_the_language_switch(site, page):
    page.goto(site + "/trouver?region=bretagne")
    assert page.get_attribute("html", "lang") == "fr"
    page.click("a.language")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "en"
    assert "structures found" in page.inner_text("#found-title") or "structure found" in page.inner_text(
        "#found-title"
    )
    page.click("nav a[href^='/orienter']")
    assert page.get_attribute("html", "lang") == "en"  # the choice follows the links


def test_live_suggestions_appear_as_one_types(site, page):
    page.goto(site + "/")
    page.type("#q", "CRESS", delay=30)
    page.wait_for_selector("ul.live li a", timeout=5000)
    assert "CRESS" in page.inner_text("ul.live")


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/trouver?region=bretagne&etape=creation",
        "/structures/dla-29",
        "/orienter?etape=creation&lieu=Brest&besoin=financement",
        "/couverture",
        "/telechargements",
    ],
)
def test_no_serious_accessibility_violation(site, page, address):
    page.goto(site + address)
    results = Axe().run(page)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize(
    "address", ["/", "/trouver?region=bretagne", "/structures/dla-29", "/orienter", "/couverture"]
)
def test_readable_at_360_pixels(site, browser, address):
    context = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740})
    small = context.new_page()
    try:
        small.goto(site + address)
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{address} is {width} px wide"
    finally:
        context.close()


def test_no_request_leaves_the_site(site, page):
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(site + "/")
    page.type("#q", "incubateur", delay=20)
    page.wait_for_timeout(500)
    assert asked and all(url.startswith(site) for url in asked)
