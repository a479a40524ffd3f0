"""The demo storefront in a real browser: languages, search, categories, the chat panel, safety."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Dialog, Error, Locator, Page, expect

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=alert(1)>"
COFFEE_TITLE = "Ground Coffee, 39 oz"


# -- helpers ------------------------------------------------------------------------------------


def card_titles(page: Page) -> list[str]:
    return page.locator("main .grid .card .title").all_inner_texts()


def chat_replies(page: Page) -> Locator:
    """The assistant's messages in the chat log (the first one is the welcome)."""
    return page.locator("#chat-log > li.msg.assistant")


def send_chat(page: Page, text: str) -> Locator:
    """Type ``text`` into the chat box, press Enter, and return the assistant's new reply."""
    before = chat_replies(page).count()
    box = page.locator("#chat-input")
    box.fill(text)
    box.press("Enter")
    expect(chat_replies(page)).to_have_count(before + 1)
    expect(page.locator("#chat-status")).to_have_text("")
    return chat_replies(page).nth(before)


class PageProblems:
    """Console errors, uncaught exceptions and dialogs seen on a page."""

    def __init__(self, page: Page) -> None:
        self.console: list[str] = []
        self.exceptions: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_error)
        page.on("dialog", self._on_dialog)

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console.append(f"{msg.text} at {msg.location}")

    def _on_error(self, exc: Error) -> None:
        self.exceptions.append(str(exc))

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


# -- (a) languages ------------------------------------------------------------------------------


def test_english_when_the_browser_asks_for_no_known_language(
    new_context: Callable[..., BrowserContext], storefront_url: str
) -> None:
    page = new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"}).new_page()
    page.goto(storefront_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    search = page.get_by_role("search")
    expect(search.get_by_role("button")).to_have_text("Search")
    expect(search.get_by_label("Search products")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Popular products")
    expect(page.locator("#chat-form button")).to_have_text("Send")
    expect(page.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")


def test_indonesian_with_lang_query(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=id")  # the context asks for en-US; ?lang= wins
    expect(page.locator("html")).to_have_attribute("lang", "id")
    search = page.get_by_role("search")
    expect(search.get_by_role("button")).to_have_text("Cari")
    expect(search.get_by_label("Cari produk")).to_be_visible()
    expect(page.locator("main h1")).to_have_text("Produk populer")
    expect(page.locator("#chat-form button")).to_have_text("Kirim")
    expect(page.locator("#chat-log > li").first).to_have_text("Halo! Ceritakan apa yang Anda cari.")
    expect(page.get_by_role("link", name="Bahasa Indonesia")).to_have_attribute("aria-current", "true")


def test_indonesian_with_accept_language_header(
    new_context: Callable[..., BrowserContext], storefront_url: str
) -> None:
    page = new_context(locale="id-ID", extra_http_headers={"Accept-Language": "id"}).new_page()
    page.goto(storefront_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("search").get_by_role("button")).to_have_text("Cari")
    expect(page.locator("nav.categories h2")).to_have_text("Departemen")
    expect(page.locator("nav.categories summary", has_text="Bahan makanan")).to_be_visible()


def test_english_page_uses_english_text(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("search").get_by_role("button")).to_have_text("Search")
    expect(page.locator("nav.categories h2")).to_have_text("Departments")
    expect(page.locator("nav.categories summary", has_text="Grocery")).to_be_visible()


# -- (b) search form ----------------------------------------------------------------------------


def test_search_form_finds_sepatu(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/")
    page.get_by_role("search").get_by_label("Search products").fill("sepatu")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=sepatu(&|$)"))
    cards = page.locator("main .grid .card")
    expect(cards.first).to_be_visible()
    titles = card_titles(page)
    assert len(titles) >= 3, titles
    assert all("sepatu" in title.lower() for title in titles), titles
    expect(page.locator("main h1")).to_have_text(f"{len(titles)} results for “sepatu”")
    expect(page.locator("#q")).to_have_value("sepatu")
    # every card shows a Rupiah price and why it was found
    expect(cards.first.locator(".price")).to_have_text(re.compile(r"^Rp\d{1,3}(,\d{3})*$"))
    expect(cards.first.locator(".reason")).to_contain_text("Matches “sepatu”")


def test_search_form_finds_the_grocery_coffee(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=en")
    box = page.get_by_role("search").get_by_label("Search products")
    box.fill("coffee")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=coffee(&|$)"))
    coffee = page.locator("main .grid .card", has=page.locator(".title", has_text=COFFEE_TITLE))
    expect(coffee).to_have_count(1)
    expect(coffee.locator(".price")).to_have_text("$12.99")
    expect(coffee.locator(".category")).to_have_text("Grocery > Coffee")
    assert all("coffee" in title.lower() for title in card_titles(page)), card_titles(page)


def test_search_with_no_match_says_so(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=id&q=zzqxv")
    expect(page.locator("main h1")).to_have_text("Tidak ada produk yang cocok dengan “zzqxv”.")
    expect(page.locator("main .grid .card")).to_have_count(0)


# -- (c) categories -----------------------------------------------------------------------------


def test_side_navigation_filters_by_category(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/")
    everything = page.locator("main .grid .card .category").all_inner_texts()
    assert len(set(everything)) > 1 and "Marketplace > Sport" not in everything[:1], everything

    nav = page.get_by_role("navigation", name="Categories")
    nav.locator("summary", has_text="Marketplace").click()
    nav.get_by_role("link", name=re.compile(r"^Sport \(\d+\)$")).click()
    expect(page).to_have_url(re.compile(r"category=Marketplace(\+|%20)%3E(\+|%20)Sport"))
    expect(page.locator("main h1")).to_have_text("Sport")
    expect(page.locator("main .grid .card").first).to_be_visible()
    sport = page.locator("main .grid .card .category").all_inner_texts()
    assert sport and set(sport) == {"Marketplace > Sport"}, sport
    expect(nav.get_by_role("link", name=re.compile(r"^Sport"))).to_have_attribute("aria-current", "page")

    nav.locator("summary", has_text="Grocery").click()
    nav.get_by_role("link", name="Coffee (1)").click()
    expect(page.locator("main h1")).to_have_text("Coffee")
    expect(page.locator("main .grid .card .title")).to_have_text([COFFEE_TITLE])


def test_search_within_a_category(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=en&category=Grocery")
    box = page.get_by_role("search").get_by_label("Search products")
    box.fill("milk")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"category=Grocery"))
    categories = page.locator("main .grid .card .category").all_inner_texts()
    assert categories and all(c.startswith("Grocery > ") for c in categories), categories


# -- (d) the chat panel -------------------------------------------------------------------------


def test_chat_log_is_a_live_region(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/")
    log = page.locator("#chat-log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("#chat-status")).to_have_attribute("role", "status")
    expect(page.get_by_label("Your message")).to_have_attribute("id", "chat-input")
    expect(
        page.get_by_role("complementary", name=re.compile("Chat with the shopping assistant"))
    ).to_be_visible()


def test_chat_on_indonesian_page_answers_sepatu_with_cards(
    page: Page, storefront_url: str, tmp_path: Path
) -> None:
    page.goto(storefront_url + "/?lang=id")
    reply = send_chat(page, "saya cari sepatu")
    expect(page.locator("#chat-log > li.msg.shopper")).to_have_count(1)
    expect(page.locator("#chat-log > li.msg.shopper p")).to_have_text("saya cari sepatu")
    expect(page.locator("#chat-log > li.msg.shopper .who")).to_have_text("Anda")
    expect(reply.locator(".who")).to_have_text("Asisten AI")
    expect(reply.locator("> p")).to_have_text(
        re.compile(
            r"^(Saya hangat, asisten AI toko ini\.\s*)?Ini \d+ produk yang cocok dengan “saya cari sepatu”\.$"
        )
    )
    titles = reply.locator(".mini-card .title")
    expect(titles.first).to_be_visible()
    assert all("sepatu" in x.lower() for x in titles.all_inner_texts()), titles.all_inner_texts()
    expect(reply.locator(".mini-card .reason").first).to_contain_text("Cocok dengan “sepatu”")
    expect(reply.locator(".mini-card .price").first).to_have_text(re.compile(r"^Rp[\d.]+$"))
    shot = tmp_path / "storefront-chat-id.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG"), shot


def test_chat_on_english_page_answers_coffee_with_the_grocery_product(
    page: Page, storefront_url: str, tmp_path: Path
) -> None:
    page.goto(storefront_url + "/?lang=en")
    reply = send_chat(page, "I want coffee")
    expect(reply.locator(".who")).to_have_text("AI assistant")
    expect(reply.locator("> p")).to_have_text(
        re.compile(
            r"^(I'm hangat, this store's AI assistant\.\s*)?"
            r"Here are \d+ products that match “I want coffee”\.$"
        )
    )
    card = reply.locator(".mini-card", has=page.locator(".title", has_text=COFFEE_TITLE))
    expect(card).to_have_count(1)
    expect(card.locator(".price")).to_have_text("$12.99")
    expect(card.locator(".reason")).to_contain_text("Matches “coffee”")
    expect(page.locator("#chat-input")).to_have_value("")
    shot = tmp_path / "storefront-chat-en.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000, shot


def test_chat_answers_each_message_in_the_shoppers_language(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/")
    # send_chat waits for each reply, so its text is final: plain asserts, no expect() timeouts
    first = send_chat(page, "saya cari sepatu")
    text = first.locator("> p").inner_text()
    assert re.search(r"Ini \d+ produk yang cocok dengan “saya cari sepatu”", text), text
    assert first.locator(".mini-card").count() > 0
    second = send_chat(page, "I want coffee")
    text = second.locator("> p").inner_text()
    assert re.match(r"^Here are \d+ products that match “I want coffee”", text), text
    assert second.locator(".mini-card .title", has_text=COFFEE_TITLE).count() == 1


def test_chat_keeps_one_conversation_across_messages(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=en")
    send_chat(page, "I want coffee")
    send_chat(page, "hello")
    expect(chat_replies(page).last.locator("> p")).to_have_text(re.compile(r"^Hi! I'm hangat"))
    ids = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hangat.conversation.'))")
    assert ids == ["hangat.conversation.guest"], ids
    conversation = page.evaluate("localStorage.getItem('hangat.conversation.guest')")
    events = page.request.get(f"{storefront_url}/api/conversations/{conversation}/events")
    assert events.ok, events.status
    said = [e["payload"]["text"] for e in events.json() if e["kind"] == "shopper_said"]
    assert said == ["I want coffee", "hello"], said


# -- (e) shopper-supplied HTML ------------------------------------------------------------------


def test_html_typed_into_chat_is_shown_as_text(page: Page, storefront_url: str) -> None:
    problems = PageProblems(page)
    page.goto(storefront_url + "/")
    typed = f"cari sepatu {XSS}"  # a search, so the reply quotes the shopper's words back
    reply = send_chat(page, typed)
    expect(page.locator("#chat-log > li.msg.shopper p")).to_have_text(typed)
    expect(reply.locator("> p")).to_contain_text(XSS)
    expect(page.locator("#chat-log img")).to_have_count(0)
    assert page.locator("#chat-log [onerror]").count() == 0
    assert problems.dialogs == []


def test_html_typed_into_search_is_shown_as_text(page: Page, storefront_url: str) -> None:
    problems = PageProblems(page)
    page.goto(storefront_url + "/")
    box = page.get_by_role("search").get_by_label("Search products")
    box.fill(XSS)
    box.press("Enter")
    expect(page.locator("main h1")).to_contain_text(XSS)
    expect(page.locator("#q")).to_have_value(XSS)
    expect(page.locator("body img")).to_have_count(0)
    assert problems.dialogs == []


# -- (f) headers and console --------------------------------------------------------------------


def test_content_security_policy_and_a_clean_console(page: Page, storefront_url: str) -> None:
    problems = PageProblems(page)
    response = page.goto(storefront_url + "/?lang=id")
    assert response is not None and response.ok
    csp = response.headers.get("content-security-policy", "")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp, csp
    assert "unsafe-inline" not in csp, csp
    assert response.headers.get("x-content-type-options") == "nosniff"
    send_chat(page, "saya cari sepatu")
    send_chat(page, "kopi")
    assert problems.console == []
    assert problems.exceptions == []


# -- (g) keyboard only --------------------------------------------------------------------------


def tab_to(page: Page, element_id: str, limit: int = 80) -> list[str]:
    """Press Tab until the element with ``element_id`` has focus; the ids/texts focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("(document.activeElement.id || document.activeElement.textContent).trim()")
        seen.append(focused)
        if focused == element_id:
            return seen
    raise AssertionError(f"Tab never reached #{element_id}; focus went through {seen}")


def test_keyboard_only_search_and_chat(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=en")
    path = tab_to(page, "q")
    assert path[0] == "Skip to products", path
    page.keyboard.type("sepatu")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=sepatu"))
    expect(page.locator("main .grid .card").first).to_be_visible()

    tab_to(page, "chat-input")
    expect(page.locator("#chat-input")).to_be_focused()
    page.keyboard.type("I want coffee")
    page.keyboard.press("Enter")
    expect(chat_replies(page)).to_have_count(2)
    expect(chat_replies(page).last.locator(".mini-card .title", has_text=COFFEE_TITLE)).to_have_count(1)
    expect(page.locator("#chat-input")).to_have_value("")


# -- signing in as a demo household ---------------------------------------------------------------


def test_signing_in_as_a_household_binds_the_chat_to_it(page: Page, storefront_url: str) -> None:
    page.goto(storefront_url + "/?lang=en")
    status = page.locator("#shopper-status")
    expect(status).to_have_text("Guest (not signed in)")
    page.locator("#shopper").fill("nobody-here")
    page.locator("#shopper").press("Enter")
    expect(status).to_have_text("No shopper has the id “nobody-here”.")
    page.locator("#shopper").fill("cj-h1")
    page.locator("#shopper").press("Enter")
    expect(status).to_have_text("Signed in as Household 1")
    send_chat(page, "I want coffee")
    conversation = page.evaluate("localStorage.getItem('hangat.conversation.cj-h1')")
    assert conversation, "the conversation is kept per signed-in shopper"
    page.reload()  # the sign-in survives a reload
    expect(page.locator("#shopper-status")).to_have_text("Signed in as Household 1")
    page.goto(storefront_url + "/?lang=id")
    expect(page.locator("#shopper-status")).to_have_text("Masuk sebagai Household 1")


def test_chat_compares_in_a_table_and_checks_out_by_chips(
    page: Page, storefront_url: str, tmp_path: Path
) -> None:
    page.goto(storefront_url + "/?lang=id")
    send_chat(page, "saya cari sepatu")
    compared = send_chat(page, "bandingkan yang pertama dan kedua")
    table = compared.locator(".compare table")
    expect(table.locator("thead th[scope=col]")).to_have_count(2)
    expect(table.locator("tbody th[scope=row]").first).to_have_text("Harga")
    added = send_chat(page, "tambah yang kedua ke keranjang")
    added.get_by_role("button", name="Checkout").click()
    offer = chat_replies(page).nth(4)
    expect(offer.locator("> p")).to_contain_text("Balas “ya” untuk konfirmasi")
    offer.get_by_role("button", name="Ya, ke pembayaran").focus()
    page.keyboard.press("Enter")  # the chips work from the keyboard
    expect(chat_replies(page).nth(5).locator("> p")).to_contain_text("/checkout?cart=")
    page.screenshot(path=str(tmp_path / "chat-compare.png"), full_page=True)
    if os.environ.get("HANGAT_SHOTS"):
        page.locator("#chat-log").screenshot(path=os.environ["HANGAT_SHOTS"])
