import pytest

from hangat.understand.stakes import rule_stakes


@pytest.mark.parametrize(
    ("text", "slots", "intents", "expected"),
    [
        (
            "laptop gaming budget 25 jt",
            {"budget_max": 25_000_000, "currency": "IDR"},
            ("search",),
            {"high_value"},
        ),
        ("laptop budget 5 jt", {"budget_max": 5_000_000, "currency": "IDR"}, ("search",), set()),
        ("a $900 espresso machine", {"budget_max": 900, "currency": "USD"}, ("search",), {"high_value"}),
        ("pesan 200 kaos buat kantor", {"quantity": 200}, ("bulk_order",), {"b2b_bulk"}),
        ("bisa kurang gak harganya", {}, ("negotiate",), {"negotiation"}),
        ("ini ketiga kalinya paket saya hilang", {}, ("complaint",), {"repeated_failure"}),
        ("this is the third time I'm asking", {}, ("complaint",), {"repeated_failure"}),
        ("anak saya ketelan baterai kancing", {}, ("out_of_scope",), {"safety"}),
        ("my toddler swallowed a magnet", {}, ("out_of_scope",), {"safety"}),
        ("bunga untuk pemakaman ayah saya", {}, ("search",), {"bereavement"}),
        ("my mother passed away last week", {}, ("smalltalk",), {"bereavement"}),
    ],
)
def test_rule_stakes(
    text: str, slots: dict[str, object], intents: tuple[str, ...], expected: set[str]
) -> None:
    assert rule_stakes(text, slots, intents) == expected


def test_the_store_sets_its_own_high_value_line() -> None:
    slots = {"budget_max": 3_000_000, "currency": "IDR"}
    assert rule_stakes("kamera", slots, ("search",), {"IDR": 2_000_000}) == {"high_value"}
