"""Every user-visible string exists in both languages, with the same placeholders."""

from __future__ import annotations

import re
import string
from decimal import Decimal

from hangat.i18n import MESSAGES, format_number, format_price, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    assert set(MESSAGES) == {"en", "id"}
    assert MESSAGES["en"].keys() == MESSAGES["id"].keys()
    for key, english in MESSAGES["en"].items():
        assert placeholders(english) == placeholders(MESSAGES["id"][key]), key
        assert MESSAGES["id"][key].strip(), key


def test_templates_use_only_catalog_strings() -> None:
    from pathlib import Path

    import hangat.web

    root = Path(hangat.web.__file__).parent
    html = (root / "templates" / "storefront.html").read_text(encoding="utf-8")
    keys = set(re.findall(r't\(["\']([a-z_.]+)["\']', html))
    assert keys and keys <= MESSAGES["en"].keys()
    js = (root / "static" / "storefront.js").read_text(encoding="utf-8")
    assert set(re.findall(r'strings\["([a-z_.]+)"\]', js)) <= MESSAGES["en"].keys()


def test_number_and_price_formats() -> None:
    assert format_number(12300, "en") == "12,300"
    assert format_number(12300, "id") == "12.300"
    assert format_number(4.75, "id", 1) == "4,8"
    assert format_price(Decimal("53500"), "IDR", "id") == "Rp53.500"
    assert format_price(Decimal("3.49"), "USD", "en") == "$3.49"
    assert format_price(Decimal("3.49"), "USD", "id") == "US$3,49"
    assert format_price(Decimal("999"), "INR", "en") == "₹999"
    assert format_price(None, "IDR", "id") == "Harga tidak dicantumkan"
    assert t("fr", "chat.send") == "Send"


def test_tone_and_plain_variants_have_a_base_sentence_and_its_placeholders() -> None:
    from hangat.i18n import voiced

    variants = [k for k in MESSAGES["en"] if "#" in k]
    assert variants
    for key in variants:
        base, variant = key.split("#")
        assert variant in ("plain", "warm", "formal", "luxury", "casual"), key
        assert base in MESSAGES["en"], key
        assert placeholders(MESSAGES["en"][key]) <= placeholders(MESSAGES["en"][base]), key
    assert voiced("id", "reply.ai_intro", "casual") == MESSAGES["id"]["reply.ai_intro#casual"]
    assert voiced("id", "reply.ai_intro", "casual", plain=True) == MESSAGES["id"]["reply.ai_intro#plain"]
    assert voiced("en", "reply.ai_intro", "warm") == MESSAGES["en"]["reply.ai_intro"]
