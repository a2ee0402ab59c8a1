"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)
against pytest-django's live server, with axe-core checking every page of the journeys.

Set up once with `make e2e-deps` (installs /usr/bin/chromium and node_modules/axe-core).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("TILA_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("TILA_SCREENSHOT_DIR", ROOT / "docs" / "screenshots"))
AXE_REPORT = ROOT / "var" / "e2e-axe.json"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: run `make e2e-deps`"
    if not AXE.exists():
        return f"{AXE} is missing: run `make e2e-deps`"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[dev]'"
    return None


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests, closed when they are done."""
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread while it runs; the ORM calls that
    # build test data run in that thread too, which Django would otherwise refuse as "async unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def axe_log():
    log: dict[str, Any] = {"pages": 0, "violations": {}}
    yield log
    AXE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(json.dumps(log, indent=2, sort_keys=True))


class Checker:
    """Runs axe-core on the page and fails on serious or critical violations."""

    def __init__(self, log: dict[str, Any]) -> None:
        self.log = log

    def __call__(self, page: Any, label: str = "") -> list[dict[str, Any]]:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol: a <script> tag would be an inline script, which
            # the pages' Content-Security-Policy (rightly) blocks.
            page.evaluate(AXE.read_text())
        result = page.evaluate(
            AXE_RUN,
            AXE_TAGS,
        )
        violations = result["violations"]
        self.log["pages"] += 1
        for v in violations:
            entry = self.log["violations"].setdefault(v["id"], {"impact": v["impact"], "pages": []})
            entry["pages"].append(label or page.url)
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe on {label or page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}" for v in blocking
        )
        return violations


@pytest.fixture
def axe(axe_log):
    return Checker(axe_log)


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(viewport=DESKTOP, locale="fi-FI", timezone_id="Europe/Helsinki", base_url=live_server.url)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def sign_in_cookie(context: Any, live_server: Any, user: Any) -> None:
    """Put a signed-in session into the browser without typing (for tests about other things)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def shoot(page: Any, name: str) -> Path:
    """docs/screenshots/<name>.png (deterministic names; the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    return path


def next_weekday(today: dt.date, weekday: int = 2) -> dt.date:
    """A day comfortably ahead (next week's `weekday`), so that no rule about "today" interferes."""
    return today + dt.timedelta(days=7 + (weekday - today.weekday()) % 7)


# --- A small, realistic city ----------------------------------------------------------------------

OPEN = [(d, dt.time(8), dt.time(21)) for d in range(7)]
PASSWORD = "correct horse battery"


def build_city() -> dict[str, Any]:
    """Two places, four spaces and an item, in three languages; a few existing bookings."""
    from tests import factories as f
    from tila.catalogue.models import AccessibilitySentence, Equipment, Purpose, ResourceType

    kallio = f.district("kallio", "Kallio")
    kluuvi = f.district("kluuvi", "Kluuvi")
    library = f.unit(
        "tprek:8215",
        hours=OPEN,
        name_fi="Kallion kirjasto",
        name_sv="Berghälls bibliotek",
        name_en="Kallio Library",
        street_address_fi="Viides linja 11",
        street_address_sv="Femte linjen 11",
        street_address_en="Viides linja 11",
        postal_code="00530",
        municipality="Helsinki",
        district=kallio,
        latitude="60.184350",
        longitude="24.950870",
        phone="+358 9 3108 5000",
        email="kallio.kirjasto@tila.example",
    )
    oodi = f.unit(
        "tprek:51342",
        hours=OPEN,
        name_fi="Keskustakirjasto Oodi",
        name_sv="Centrumbiblioteket Ode",
        name_en="Helsinki Central Library Oodi",
        street_address_fi="Töölönlahdenkatu 4",
        street_address_en="Töölönlahdenkatu 4",
        street_address_sv="Tölöviksgatan 4",
        postal_code="00100",
        municipality="Helsinki",
        district=kluuvi,
        latitude="60.173830",
        longitude="24.938190",
    )
    meeting = Purpose.objects.create(id="meeting", name_fi="Kokous", name_sv="Möte", name_en="Meeting")
    music = Purpose.objects.create(id="music", name_fi="Musiikki", name_sv="Musik", name_en="Music")
    room_type = ResourceType.objects.create(
        id="meeting-room", name_fi="Kokoushuone", name_sv="Mötesrum", name_en="Meeting room"
    )
    studio_type = ResourceType.objects.create(
        id="music-studio", name_fi="Musiikkihuone", name_sv="Musikrum", name_en="Music studio"
    )
    screen = Equipment.objects.create(
        id="screen", name_fi="Valkokangas", name_sv="Filmduk", name_en="Projection screen", category_en="AV"
    )
    terms = {
        "terms_fi": "Jätä tila siistiksi. Tiloja ei voi varata kaupalliseen myyntiin.",
        "terms_sv": "Lämna lokalen städad. Lokalerna kan inte bokas för kommersiell försäljning.",
        "terms_en": "Leave the space tidy. Spaces cannot be booked for commercial sales.",
    }
    room = f.resource(
        library,
        rid="kallio-meeting",
        type=room_type,
        name_fi="Kokoushuone Kaisla",
        name_sv="Mötesrummet Kaisla",
        name_en="Kaisla meeting room",
        description_fi="Valoisa kokoushuone toisessa kerroksessa. Pöydän ääreen mahtuu 12 henkeä.",
        description_sv="Ett ljust mötesrum på andra våningen. Vid bordet ryms 12 personer.",
        description_en="A bright meeting room on the second floor. The table seats 12.",
        people_capacity=12,
        area=28,
        min_period=dt.timedelta(hours=1),
        max_period=dt.timedelta(hours=4),
        reservable_max_days_in_advance=60,
        cancel_cutoff=dt.timedelta(hours=24),
        **terms,
    )
    room.purposes.add(meeting)
    room.equipment.add(screen)
    for order, (group, sentence) in enumerate(
        [
            (
                ("Sisäänkäynti", "Ingång", "Entrance"),
                ("Ovet aukeavat automaattisesti.", "Dörrarna öppnas automatiskt.", "The doors open automatically."),
            ),
            (
                ("Reitti", "Vägen", "Getting there"),
                ("Hissi on aulassa.", "Hissen finns i entréhallen.", "The lift is in the lobby."),
            ),
        ]
    ):
        AccessibilitySentence.objects.create(
            resource=room,
            order=order,
            group_fi=group[0],
            group_sv=group[1],
            group_en=group[2],
            sentence_fi=sentence[0],
            sentence_sv=sentence[1],
            sentence_en=sentence[2],
        )
    studio = f.resource(
        library,
        rid="kallio-music",
        type=studio_type,
        name_fi="Musiikkihuone",
        name_sv="Musikrummet",
        name_en="Music room",
        description_en="Drums, amplifiers and a piano.",
        people_capacity=6,
        slot_size=dt.timedelta(hours=1),
        min_period=dt.timedelta(hours=1),
        max_period=dt.timedelta(hours=3),
        need_manual_confirmation=True,
        **terms,
    )
    studio.purposes.add(music)
    cube = f.resource(
        oodi,
        rid="oodi-kuutio",
        type=room_type,
        name_fi="Kuutio",
        name_sv="Kuben",
        name_en="The Cube",
        description_en="A glass-walled meeting room next to the Urban Workshop.",
        people_capacity=10,
        min_period=dt.timedelta(hours=1),
        **terms,
    )
    cube.purposes.add(meeting)
    neighbour = f.user("naapuri@example.org", preferred_language="fi")
    return {
        "library": library,
        "oodi": oodi,
        "room": room,
        "studio": studio,
        "cube": cube,
        "neighbour": neighbour,
    }


def add_bookings(city: dict[str, Any], day: dt.date) -> None:
    """Other people's bookings, so that the week shows reserved time."""
    from tests import factories as f
    from tila.booking.services import reservation_create

    for resource, hours in ((city["room"], (9, 11)), (city["room"], (14, 15)), (city["cube"], (10, 12))):
        reservation_create(
            actor=city["neighbour"], resource=resource, begin=f.at(day, hours[0]), end=f.at(day, hours[1])
        )
    reservation_create(
        actor=city["neighbour"],
        resource=city["room"],
        begin=f.at(day + dt.timedelta(days=1), 17),
        end=f.at(day + dt.timedelta(days=1), 19),
    )


@pytest.fixture
def city(transactional_db):
    return build_city()


@pytest.fixture
def resident(transactional_db):
    from tests import factories as f

    person = f.user("aino@example.org", preferred_language="fi")
    person.name = "Aino Virtanen"
    person.save(update_fields=["name"])
    return person
