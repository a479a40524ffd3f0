"""A person takes over in real browsers: the shopper asks in the storefront, the queue in the staff
console shows it within a second, an agent claims and replies, the bot stays silent, the agent hands
back with a note, and the bot answers again. Screenshots of both sides go into docs/."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser
DOCS = Path(__file__).resolve().parents[2] / "docs"


def sign_in_staff(page: Page, base: str, password: str, lang: str = "en") -> None:
    page.goto(f"{base}/console/login?lang={lang}")
    page.fill("#staff_id", "staff-dewi")
    page.fill("#password", password)
    page.locator("form.login button").click()
    expect(page.locator("#queue-rows")).to_be_visible()
    expect(page.locator("#live")).to_have_class("live on")


def shopper_messages(page: Page, kind: str) -> int:
    return page.locator(f"#chat-log > li.msg.{kind}").count()


def test_a_person_takes_over_and_hands_back(
    storefront_url: str, new_context: Callable[..., BrowserContext], staff_password: str
) -> None:
    staff = new_context().new_page()
    shopper = new_context().new_page()
    sign_in_staff(staff, storefront_url, staff_password)
    shopper.goto(f"{storefront_url}/?lang=en")

    replies = shopper_messages(shopper, "assistant")
    shopper.get_by_role("button", name="Talk to a person").click()
    expect(shopper.locator("#chat-log > li.msg.assistant")).to_have_count(replies + 1)
    asked_at = time.monotonic()
    reply = shopper.locator("#chat-log > li.msg.assistant").last
    expect(reply).to_contain_text("Dewi")
    convo = shopper.evaluate("localStorage.getItem('hangat.conversation.guest')")
    row = staff.locator(f'#queue-rows tr.waiting[data-conversation="{convo}"]')
    expect(row).to_have_count(1, timeout=1000)  # the live queue shows it within a second
    assert time.monotonic() - asked_at < 1.0
    expect(row).to_contain_text("asked for a person")
    staff.screenshot(path=str(DOCS / "console-queue.png"), full_page=True)

    row.get_by_role("button", name="Claim").click()
    expect(staff.locator(".flash")).to_contain_text("You have this conversation")
    expect(shopper.locator("#chat-who")).to_have_text("Dewi")
    expect(shopper.locator("#chat-log")).to_contain_text("Dewi from the store has joined")

    staff.get_by_role("button", name="Use this").first.click()
    staff.locator("form.reply button").click()
    staff_line = shopper.locator("#chat-log > li.msg.staff")
    expect(staff_line).to_have_count(1)
    expect(staff_line).to_contain_text("I'm Dewi from the store")
    expect(staff_line.locator(".who")).to_have_text("Dewi from the store")

    before = shopper_messages(shopper, "assistant")
    box = shopper.locator("#chat-input")
    box.fill("Do you have ground coffee?")
    box.press("Enter")
    expect(staff.locator("#transcript")).to_contain_text("Do you have ground coffee?")  # live in the console
    shopper.wait_for_timeout(800)
    assert shopper_messages(shopper, "assistant") == before  # the bot said nothing
    staff.screenshot(path=str(DOCS / "console-conversation.png"), full_page=True)

    staff.fill("#note", "Told them the 39 oz ground coffee is in stock")
    staff.get_by_role("button", name="Hand back to the assistant").click()
    expect(shopper.locator("#chat-who")).to_have_text("AI assistant")
    expect(shopper.locator("#chat-log > li.msg.assistant").last).to_contain_text(
        "Told them the 39 oz ground coffee is in stock"
    )
    shopper.screenshot(path=str(DOCS / "storefront-handoff.png"), full_page=False)

    after = shopper_messages(shopper, "assistant")
    box.fill("I am looking for ground coffee")
    box.press("Enter")
    expect(shopper.locator("#chat-log > li.msg.assistant")).to_have_count(after + 1)
    expect(shopper.locator("#chat-log > li.msg.assistant").last).to_contain_text("Ground Coffee")


def test_the_console_in_indonesian_and_a_wrong_password(
    storefront_url: str, new_context: Callable[..., BrowserContext], staff_password: str
) -> None:
    page = new_context(locale="id-ID").new_page()
    page.goto(f"{storefront_url}/console/login?lang=id")
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
    page.fill("#staff_id", "staff-dewi")
    page.fill("#password", "salah-sekali")
    page.locator("form.login button").click()
    expect(page.get_by_role("alert")).to_have_text("ID staf atau kata sandi salah.")
    page.fill("#staff_id", "staff-dewi")
    page.fill("#password", staff_password)
    page.locator("form.login button").click()
    expect(page.get_by_role("heading", name="Antrean")).to_be_visible()
