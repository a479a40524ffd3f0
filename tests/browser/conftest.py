"""Browser fixtures: the real storefront served by uvicorn, and Debian's chromium driven by Playwright.

The server starts once per session on a free 127.0.0.1 port, over a fresh SQLite file holding the
bundled Tokopedia products (with their reviews), a few grocery products and one household. Every
test gets its own browser context, so localStorage (and with it the chat conversation) is fresh.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from hangat.assistant import Assistant, build_assistant
from hangat.demo import marketplace
from hangat.domain.catalog import Product
from hangat.domain.customer import Customer
from hangat.ingest.service import ingest_file
from hangat.settings import Settings
from hangat.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_SECONDS = 20
ACTION_TIMEOUT_MS = 10_000

GROCERY = [
    Product(
        "cj-t-coffee",
        "Ground Coffee, 39 oz",
        "Ground coffee. Package: 39 oz.",
        ("Grocery", "Coffee"),
        price=Decimal("12.99"),
        currency="USD",
        units_sold=900,
    ),
    Product(
        "cj-t-milk",
        "Fluid Milk White Only, 1 gal",
        "Fluid milk white only. Package: 1 gal.",
        ("Grocery", "Fluid Milk Products"),
        brand="Store brand",
        price=Decimal("2.79"),
        currency="USD",
        units_sold=5000,
    ),
    Product(
        "cj-t-bread",
        "Mainstream White Bread, 20 oz",
        "Mainstream white bread. Package: 20 oz.",
        ("Grocery", "Baked Bread/Buns/Rolls"),
        price=Decimal("1.49"),
        currency="USD",
        units_sold=3000,
    ),
    Product(
        "cj-t-bananas",
        "Bananas, 40 lb",
        "Bananas.",
        ("Grocery", "Tropical Fruit"),
        price=Decimal("0.69"),
        currency="USD",
        units_sold=8000,
    ),
    Product(
        "cj-t-eggs",
        "Eggs - Large, 1 dz",
        "Eggs - large. Package: 1 dz.",
        ("Grocery", "Eggs"),
        brand="Store brand",
        price=Decimal("1.99"),
        currency="USD",
        units_sold=2500,
    ),
]
HOUSEHOLD = Customer("cj-h1", "Household 1")
REMEMBERED = Customer("shopper-sari", "Sari", "id")  # the widget's memory test signs in as her
STAFF_PASSWORD = "browser-test-password"


def _always_open(tmp: Path) -> Path:
    """The demo profile with the store open every day, all day: the browser tests bring a person
    in live whatever the day and hour they run."""
    demo = (resources.files("hangat") / "data" / "store.toml").read_text(encoding="utf-8")
    days = "".join(f'{day} = "00:00-23:59"\n' for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    profile = re.sub(r"\[hours\][^\[]*", "[hours]\n" + days + "\n", demo, count=1)
    path = tmp / "store.toml"
    path.write_text(profile, encoding="utf-8")
    return path


def _fill(assistant: Assistant, tmp: Path) -> None:
    catalog, reviews = marketplace.prepare(tmp / "demo")
    ingest_file(assistant.store, "catalog", catalog)
    ingest_file(assistant.store, "reviews", reviews)
    assistant.store.upsert_products(GROCERY)
    assistant.store.upsert_customers([HOUSEHOLD, REMEMBERED])
    assistant.accounts.add("staff-dewi", "Dewi", STAFF_PASSWORD)


@pytest.fixture(scope="session")
def storefront_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (no trailing slash) of a running storefront over a real, filled store."""
    tmp = tmp_path_factory.mktemp("storefront")
    settings = Settings(
        data_dir=tmp,
        database_url=f"sqlite:///{tmp}/h.sqlite3",
        store_profile=_always_open(tmp),
        demo_sign_in=True,
    )
    assistant = build_assistant(settings)
    _fill(assistant, tmp)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held from here on: no race with other processes
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(assistant), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + SERVER_START_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            assistant.close()
            pytest.fail(f"the storefront server did not start on 127.0.0.1:{port}", pytrace=False)
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        assistant.close()


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's headless chromium. Missing chromium is a failure, not a skip."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing; the browser tests need Debian's chromium: "
            "run `apt-get install -y chromium` (do not use `playwright install`)",
            pytrace=False,
        )
    b = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make a fresh browser context (own cookies and localStorage); closed after the test."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("locale", "en-US")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh English (en-US) context."""
    return new_context().new_page()


@pytest.fixture
def staff_password() -> str:
    """The password of the console's staff member ``staff-dewi`` (first name Dewi)."""
    return STAFF_PASSWORD
