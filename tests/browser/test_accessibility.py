"""Accessibility, checked by axe-core (vendored in tests/browser/assets) in the real browser: the
storefront with a conversation holding product cards and a comparison, and the staff console, in
both languages — WCAG 2.0/2.1/2.2 A and AA rules, zero violations."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "assets" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page: Page) -> list[dict[str, object]]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def chat(page: Page, text: str) -> None:
    replies = page.locator("#chat-log > li.msg.assistant")
    before = replies.count()
    page.locator("#chat-input").fill(text)
    page.locator("#chat-input").press("Enter")
    expect(replies).to_have_count(before + 1)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_storefront_with_cards_and_a_comparison_has_no_violations(
    new_context: Callable[..., BrowserContext], storefront_url: str, lang: str
) -> None:
    page = new_context(bypass_csp=True).new_page()  # axe is injected as an inline script
    page.goto(f"{storefront_url}/?lang={lang}")
    chat(page, "saya cari sepatu" if lang == "id" else "I am looking for sepatu")
    chat(page, "bandingkan yang pertama dan kedua" if lang == "id" else "compare the first and the second")
    expect(page.locator("#chat-log .mini-card").first).to_be_visible()
    expect(page.locator("#chat-log .compare table")).to_be_visible()
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)


def test_the_console_has_no_violations(
    storefront_url: str, new_context: Callable[..., BrowserContext], staff_password: str
) -> None:
    page = new_context(bypass_csp=True).new_page()
    page.goto(f"{storefront_url}/console/login?lang=id")
    assert violations(page) == []
    page.fill("#staff_id", "staff-dewi")
    page.fill("#password", staff_password)
    page.locator("form.login button").click()
    expect(page.locator("#queue-rows")).to_be_visible()
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)


def focus_by_tab(
    page: Page, is_target: str, limit: int = 200, active: str = "document.activeElement"
) -> None:
    """Press Tab until ``is_target`` (a JS predicate on the element ``active`` names) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {is_target})({active})"):
            return
    raise AssertionError(f"Tab never reached an element where {is_target}")


def test_search_compare_cart_and_a_person_with_the_keyboard_alone(page: Page, storefront_url: str) -> None:
    page.goto(f"{storefront_url}/?lang=id")
    focus_by_tab(page, "el.id === 'q'")
    page.keyboard.type("sepatu")
    page.keyboard.press("Enter")
    expect(page.locator("main .grid .card").first).to_be_visible()
    replies = page.locator("#chat-log > li.msg.assistant")
    for i, text in enumerate(
        ["saya cari sepatu", "bandingkan yang pertama dan kedua", "tambah yang kedua ke keranjang"], start=2
    ):
        focus_by_tab(page, "el.id === 'chat-input'")
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        expect(replies).to_have_count(i)
    expect(page.locator("#chat-log .compare table")).to_be_visible()
    expect(replies.last).to_contain_text("keranjang")
    focus_by_tab(page, "el.id === 'chat-person'")  # the "talk to a person" control, by keyboard
    page.keyboard.press("Enter")
    expect(replies).to_have_count(5)
    expect(replies.last).to_contain_text("dari toko")
    page.keyboard.press("Shift+Tab")  # no trap: focus moves back to the chat form
    assert page.evaluate("document.activeElement.closest('#chat-form') !== null")


def test_the_conversation_survives_a_reload_and_the_shopper_sets_plain_language_and_size(
    page: Page, storefront_url: str
) -> None:
    page.goto(f"{storefront_url}/?lang=en")
    chat(page, "I am looking for sepatu")
    page.get_by_label("Plain language").check()
    page.get_by_role("button", name="Larger text").click()
    page.get_by_role("button", name="Larger text").click()
    page.reload()
    log = page.locator("#chat-log")
    expect(log.locator("li.msg.shopper")).to_have_text(["You" + "I am looking for sepatu"])
    expect(log.locator("li.msg.assistant")).to_have_count(2)  # the welcome and the reply, restored
    expect(page.get_by_label("Plain language")).to_be_checked()
    assert page.evaluate("document.querySelector('.chat').style.fontSize") == "120%"
    chat(page, "compare the first and the second")  # the same conversation goes on
    expect(log.locator(".compare table")).to_be_visible()
