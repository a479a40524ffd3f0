"""The text channel's pure parts: replies split into ≤ 320-character parts with numbered products,
numbers read back as selections, phone numbers and message ids made safe."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from hangat.dialogue.outcome import ShownProduct, Table
from hangat.dialogue.respond import Reply
from hangat.dialogue.selection import Numbered, details, number_in, numbered, pick, quick_reply
from hangat.dialogue.text_parts import LIMIT, pack, parts, product_line
from hangat.domain.catalog import Product
from hangat.domain.conversation import ConversationState, Event, EventKind, fold
from hangat.errors import InputError
from hangat.ports import check_identifier
from hangat.text_channel import idempotency_key, normalise

KAPAL_API = Product(
    "k1", "Kopi Kapal Api 165g", "Kopi bubuk.", price=Decimal(12_500), rating=4.75, language="id"
)
EXCELSO = Product("k2", "Kopi Bubuk Excelso Robusta Gold Premium Arabica Blend Pack 200g Isi 10 Sachet Hemat",
                  price=Decimal(38_000), language="id")  # fmt: skip
COFFEE = Product("e1", "Ground Coffee, 39 oz", price=Decimal("4.99"), currency="USD", rating=4.8)


def cards(*products: Product) -> tuple[ShownProduct, ...]:
    return tuple(ShownProduct(p, "Matches “kopi”") for p in products)


def test_products_become_short_numbered_lines_in_the_languages_format() -> None:
    (kapal_api,) = cards(KAPAL_API)
    assert product_line(1, kapal_api, "id") == "1. Kopi Kapal Api 165g — Rp12.500 ⭐4,8"
    assert product_line(1, kapal_api, "en") == "1. Kopi Kapal Api 165g — Rp12,500 ⭐4.8"
    assert product_line(3, cards(COFFEE)[0], "en") == "3. Ground Coffee, 39 oz — $4.99 ⭐4.8"
    long = product_line(2, cards(EXCELSO)[0], "id")
    assert long.startswith("2. Kopi Bubuk Excelso") and "…" in long and "⭐" not in long  # no rating: none
    assert long.endswith("— Rp38.000") and len(long) < 80


def test_a_reply_is_text_then_products_then_quick_replies_numbered_after_them() -> None:
    reply = Reply("Ini 2 produk yang cocok dengan “kopi”.", "id", cards(KAPAL_API, EXCELSO),
                  choices=("Checkout",))  # fmt: skip
    (part,) = parts(reply)
    lines = part.splitlines()
    assert lines[0] == "Ini 2 produk yang cocok dengan “kopi”."
    assert lines[1] == "1. Kopi Kapal Api 165g — Rp12.500 ⭐4,8"
    assert lines[2].startswith("2. Kopi Bubuk Excelso")
    assert lines[3] == "Balas 3 untuk “Checkout”."
    english = Reply("Your cart has 1 items.", "en", choices=("Yes, go to checkout", "Not yet"))
    assert parts(english) == [
        "Your cart has 1 items.\nReply 1 for “Yes, go to checkout”.\nReply 2 for “Not yet”."
    ]


def test_slots_that_are_numbers_already_are_not_numbered_again() -> None:
    reply = Reply("Slots: 1. Mon 10:00 — Budi; 2. Mon 11:00 — Sarah", "en", choices=("1", "2"))
    assert parts(reply) == ["Slots: 1. Mon 10:00 — Budi; 2. Mon 11:00 — Sarah"]


def test_a_comparison_is_one_line_per_property_by_product_number() -> None:
    table = Table(("k1", "k2"), ("Kopi Kapal Api 165g", "Excelso"),
                  (("Harga", ("Rp12.500", "Rp38.000")), ("Rating", ("4,8★", "—"))))  # fmt: skip
    shown = Reply("Perbandingan 2 produk.", "id", cards(KAPAL_API, EXCELSO), table)
    lines = parts(shown)[0].splitlines()
    assert lines[-2:] == ["Harga: 1) Rp12.500 · 2) Rp38.000", "Rating: 1) 4,8★ · 2) —"]
    alone = parts(Reply("Perbandingan.", "en", table=table))[0].splitlines()
    assert alone[1] == "Compared: 1) Kopi Kapal Api 165g · 2) Excelso"
    assert alone[2] == "Harga: 1) Rp12.500 · 2) Rp38.000"


def test_a_long_reply_is_split_at_sentences_never_inside_a_word() -> None:
    sentence = "Kopi ini diseduh perlahan supaya rasanya tetap lembut dan tidak terlalu pahit. "
    text = sentence * 12 + "Terima kasih sudah bertanya."
    got = parts(Reply(text, "id", cards(KAPAL_API, COFFEE)))
    assert len(got) >= 4 and all(len(p) <= LIMIT for p in got)
    words = text.split()
    assert " ".join(" ".join(got).split()).startswith(" ".join(words))  # every word whole, in order
    assert all(p.rstrip().endswith((".", "8")) for p in got)  # sentences end the parts here
    assert got[-1].endswith("2. Ground Coffee, 39 oz — US$4,99 ⭐4,8")


def test_a_word_longer_than_a_part_is_cut_and_nothing_is_lost() -> None:
    link = "https://shop.example/checkout?cart=" + "a" * 700
    got = pack([f"Bayar di sini: {link}"], 320)
    assert [len(p) for p in got] == [14, 320, 320, 95] and "".join(got[1:]) == link


def test_silent_and_empty_replies_have_no_parts() -> None:
    assert parts(Reply("", "id", silent=True)) == []
    assert parts(Reply("", "en")) == []
    assert pack(["", "  ", "ok"]) == ["ok"]


@pytest.mark.parametrize(
    ("text", "n"),
    [("1", 1), (" 2 ", 2), ("2.", 2), ("#2", 2), ("no 2", 2), ("No. 3", 3), ("nomor 4", 4), ("number 5", 5),
     ("12", 12), ("0", None), ("100", None), ("2 dan 3", None), ("ya", None), ("yang kedua", None)],
)  # fmt: skip
def test_a_message_that_is_only_a_number(text: str, n: int | None) -> None:
    assert number_in(text) == n


def event(seq: int, kind: EventKind, payload: dict[str, object]) -> Event:
    return Event("c1", seq, kind, payload, f"k{seq}", datetime(2026, 1, 1, tzinfo=UTC))


def test_numbers_refer_to_the_last_replys_list_and_a_selection_keeps_it() -> None:
    listed = {"products": [["k1", "r1"], ["k2", "r2"]], "choices": ["Checkout"], "actions": []}
    history = [event(1, EventKind.SHOPPER_SAID, {"text": "kopi"}), event(2, EventKind.ASSISTANT_SAID, listed)]
    last = numbered(history)
    assert last == Numbered((("k1", "r1"), ("k2", "r2")), ("Checkout",))
    assert last.choice(3) == "Checkout" and last.choice(2) is None and last.choice(4) is None
    reply, events = details(KAPAL_API, 1, "r1", last, "id")
    assert [e.kind for e in events] == [EventKind.PRODUCTS_SHOWN, EventKind.PRODUCT_FOCUSED,
                                        EventKind.ASSISTANT_SAID]  # fmt: skip
    assert reply.text.splitlines()[:4] == [
        "1. Kopi Kapal Api 165g", "Rp12.500 ⭐4,8", "Ditampilkan karena: r1", "Kopi bubuk."
    ]  # fmt: skip
    assert quick_reply(3, history) == "Checkout" and quick_reply(1, history) is None
    owned = [*history, event(3, EventKind.HANDOFF_CLAIMED, {"staff_id": "staff-dewi"})]
    assert quick_reply(3, owned) is None  # the person reads the "3" the shopper typed
    history.append(event(3, EventKind.ASSISTANT_SAID, events[-1].payload))
    assert numbered(history).products == last.products  # "2" after "1" still means k2
    history.append(event(4, EventKind.STAFF_SAID, {"text": "Halo"}))
    assert numbered(history) == Numbered()


def test_a_number_picks_no_product_while_an_offer_waits_or_a_person_owns_it() -> None:
    listed = Numbered((("k1", "r1"), ("k2", "r2")))
    assert pick(2, listed, ConversationState()) == ("k2", "r2")
    assert pick(3, listed, ConversationState()) is None
    offer = event(1, EventKind.CHECKOUT_OFFERED, {"token": "t"})
    assert pick(1, listed, fold([event(0, EventKind.SHOPPER_SAID, {}), offer])) is None
    lapsed = [event(0, EventKind.SHOPPER_SAID, {}), offer, event(2, EventKind.SHOPPER_SAID, {})]
    assert pick(1, listed, fold(lapsed)) == ("k1", "r1")  # the offer was answered by another message
    assert pick(1, listed, ConversationState(owner="person")) is None


@pytest.mark.parametrize(
    ("raw", "e164"),
    [("081234567890", "+6281234567890"), ("+62 812-3456-7890", "+6281234567890"),
     ("6281234567890", "+6281234567890"), ("0062 812 3456 7890", "+6281234567890"),
     ("+1 (415) 555-0100", "+14155550100")],
)  # fmt: skip
def test_phone_numbers_become_e164(raw: str, e164: str) -> None:
    assert normalise(raw) == e164


@pytest.mark.parametrize("raw", ["", "hello", "+0812345678", "+12", "0812345678901234567"])
def test_what_is_not_a_phone_number_is_refused(raw: str) -> None:
    with pytest.raises(InputError):
        normalise(raw)


def test_message_ids_become_safe_distinct_idempotency_keys() -> None:
    assert idempotency_key("SM1234abcd") == "SM1234abcd"
    odd = [idempotency_key(x) for x in ("wamid.HBg/LNjI=", "wamid.HBg+LNjI=", "x" * 500, "x" * 501)]
    assert len(set(odd)) == 4
    for key in odd:
        check_identifier(key, limit=180)
    assert odd[0].startswith("wamid.HBg_LNjI_:")
    with pytest.raises(InputError):
        idempotency_key(" ")
