"""Which remembered facts matter for this message, and how they reorder what is shown.

A fact is recalled only where it changes the answer — the person the shopper is buying for, a
size when they look for something to wear without naming one, a need or a dislike whose words the
products or the message share — never recited for its own sake. Facts about how to be spoken to
change the reply's form instead (``plain_wanted``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from hangat.domain.catalog import Product
from hangat.domain.memory import Fact

_WEARABLE = frozenset(
    """
    sepatu sneakers sneaker shoes shoe sandal sendal boots boot baju kaos kemeja shirt tshirt t-shirt
    dress gaun celana jeans pants trousers jaket jacket hoodie sweater rok skirt cincin ring bra
    piyama pajamas seragam uniform kebaya batik blouse blus
    """.split()
)
_FOOD = frozenset(
    """
    makanan makan food snack snacks camilan cemilan keripik chips daging meat ayam chicken sosis sausage
    nugget bumbu seasoning mie mi noodle noodles kue cake cookies biskuit biscuit coklat cokelat chocolate
    permen candy frozen susu milk minuman drink drinks roti bread sereal cereal yogurt keju cheese
    saus sauce kecap beef sapi ikan fish seafood
    """.split()
)
_DIETS = ("halal", "vegetarian", "vegan", "kosher", "pescatarian", "plant-based", "gluten", "sugar", "gula")
_PLAIN = re.compile(
    r"short|singkat|pendek|plain|simple|sederhana|simpel|to the point|langsung|straight", re.I
)
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)?")


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2}


def relevant(facts: Sequence[Fact], text: str, recipient: str = "", size_given: bool = False) -> list[Fact]:
    """The facts that bear on a message (``recipient``: who it is for, as understood)."""
    said = words(text)
    out = []
    for f in facts:
        if f.kind in ("style", "household", "accessibility"):
            continue
        about = f.subject.lower()
        person = about not in ("self", "household") and (
            (recipient and _same_person(about, recipient.lower())) or _names_person(about, text.lower())
        )
        shared = f.kind in ("preference", "dislike", "constraint", "health") and bool(words(f.value) & said)
        size = f.kind == "size" and about == "self" and not size_given and bool(said & _WEARABLE)
        diet = f.kind == "constraint" and about == "self" and _diet(f.value) and bool(said & _FOOD)
        if person or shared or size or diet:
            out.append(f)
    return out


def rerank(products: Sequence[Product], facts: Sequence[Fact]) -> tuple[list[Product], bool]:
    """Products that say what a need or liking asks for go first, ones with a dislike go last
    (stable otherwise); ``True`` when the order changed."""
    wanted = [_key(f.value) for f in facts if f.kind in ("constraint", "preference") and _key(f.value)]
    avoided = [_key(f.value) for f in facts if f.kind == "dislike" and _key(f.value)]

    def rank(p: Product) -> int:
        text = f"{p.title} {p.description} {' '.join(map(str, p.attributes.values()))}".lower()
        if any(a in text for a in avoided):
            return 2
        return 0 if any(w in text for w in wanted) else 1

    ordered = sorted(products, key=rank)
    return ordered, [p.external_id for p in ordered] != [p.external_id for p in products]


def plain_wanted(facts: Sequence[Fact]) -> bool:
    """Whether the shopper asked, some time, for short or plain answers."""
    return any(f.kind == "style" and _PLAIN.search(f.value) for f in facts)


_CASUAL = re.compile(r"santai|casual|informal|gak usah formal|ga usah formal|no need to be|don't be", re.I)
_FORMAL = re.compile(r"formal|baku|sopan", re.I)


def tone_wanted(facts: Sequence[Fact]) -> str | None:
    """The tone the shopper asked to be spoken to in ("casual" or "formal"), the latest wish winning."""
    for f in sorted((f for f in facts if f.kind == "style"), key=lambda f: f.created_at, reverse=True):
        if _CASUAL.search(f.value):
            return "casual"
        if _FORMAL.search(f.value):
            return "formal"
    return None


def _key(value: str) -> str:
    """The words that carry a need: "needs easy-open lids" → "easy-open"."""
    parts = [w for w in _WORD.findall(value.lower()) if len(w) > 2]
    return parts[0] if parts else ""


def _diet(value: str) -> bool:
    low = value.lower()
    return any(d in low for d in _DIETS)


def _same_person(subject: str, recipient: str) -> bool:
    a, b = _core(subject), _core(recipient)
    return bool(a) and (a == b or a in b.split() or b in a.split())


def _names_person(subject: str, text: str) -> bool:
    core = _core(subject)
    return bool(core) and re.search(rf"\b{re.escape(core)}\b", text) is not None


def _core(person: str) -> str:
    """ "my mother" → "mother", "ibu saya" → "ibu"."""
    drop = {"my", "our", "saya", "sy", "aku", "ku", "gue", "gw", "kami", "the"}
    kept = [w for w in person.lower().split() if w not in drop]
    return " ".join(kept)
