"""A reply as text-message parts (SMS, WhatsApp) of at most 320 characters each.

The reply's sentences come first, split at line and sentence ends and never inside a word (a word
longer than a part is cut); then the products as short numbered lines ("1. Kopi Kapal Api 165g —
Rp12.500 ⭐4,8"), a comparison as one line per property ("Price: 1) Rp12.500 · 2) Rp38.000"), and the
quick replies numbered after the products ("Reply 3 for “Checkout”."). The numbers are the ones
``dialogue/selection`` reads back. Pure: no store, no network.
"""

from __future__ import annotations

import re

from hangat.dialogue.outcome import ShownProduct, Table
from hangat.dialogue.references import short
from hangat.dialogue.respond import Reply
from hangat.dialogue.selection import numbered_choices
from hangat.i18n import format_number, format_price, t

LIMIT = 320  # characters a part; an SMS provider splits a part into segments and joins them again
TITLE_CHARS = 60
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def parts(reply: Reply, lang: str | None = None, limit: int = LIMIT) -> list[str]:
    """The text-message parts of ``reply`` (none for a silent one), each at most ``limit`` characters."""
    if reply.silent:
        return []
    lang = lang or reply.language or "en"
    lines = [line for line in reply.text.splitlines() if line.strip()]
    lines += [product_line(i, card, lang) for i, card in enumerate(reply.products, start=1)]
    if reply.table is not None:
        lines += table_lines(reply.table, reply.products, lang)
    for n, label in numbered_choices(len(reply.products), reply.choices):
        lines.append(t(lang, "channel.choice", n=n, label=label))
    return pack(lines, limit)


def product_line(n: int, card: ShownProduct, lang: str) -> str:
    """``"1. Kopi Kapal Api 165g — Rp12.500 ⭐4,8"``: the title shortened, the price, the rating."""
    p = card.product
    line = f"{n}. {short(p.title, TITLE_CHARS)} — {format_price(p.price, p.currency, lang)}"
    return line if p.rating is None else f"{line} ⭐{format_number(p.rating, lang, 1)}"


def table_lines(table: Table, shown: tuple[ShownProduct, ...], lang: str) -> list[str]:
    """A comparison, one line per property, each product by its number in the reply's list (or,
    for products the list does not hold, by its column, after a line naming the columns)."""
    ids = [c.product.external_id for c in shown]
    if all(i in ids for i in table.product_ids):
        numbers = [ids.index(i) + 1 for i in table.product_ids]
        out = []
    else:
        numbers = list(range(1, len(table.product_ids) + 1))
        items = " · ".join(f"{n}) {short(h, 40)}" for n, h in zip(numbers, table.headers, strict=False))
        out = [t(lang, "channel.compared", items=items)]
    for label, cells in table.rows:
        values = " · ".join(f"{n}) {cell}" for n, cell in zip(numbers, cells, strict=False))
        out.append(f"{label}: {values}")
    return out


def pack(lines: list[str], limit: int = LIMIT) -> list[str]:
    """``lines`` joined by line breaks into as few parts as fit ``limit``, a line broken only when
    it is longer than a part (at sentence ends, then between words)."""
    return _fill([p for line in lines for p in _pieces(" ".join(line.split()), limit)], "\n", limit)


def _pieces(line: str, limit: int) -> list[str]:
    """``line`` in pieces of at most ``limit`` characters: whole sentences together where they fit,
    else words, and a word longer than ``limit`` cut."""
    if len(line) <= limit:
        return [line] if line else []
    units: list[str] = []
    for sentence in _SENTENCE_END.split(line):
        units += [sentence] if len(sentence) <= limit else _words(sentence, limit)
    return _fill(units, " ", limit)


def _fill(units: list[str], separator: str, limit: int) -> list[str]:
    """``units`` (each at most ``limit`` long) in order, as many to a part as fit."""
    out: list[str] = []
    current = ""
    for unit in units:
        if current and len(current) + len(separator) + len(unit) <= limit:
            current = f"{current}{separator}{unit}"
        else:
            if current:
                out.append(current)
            current = unit
    return [*out, current] if current else out


def _words(sentence: str, limit: int) -> list[str]:
    """The words of ``sentence``, each cut into ``limit``-character pieces if it is longer."""
    return [w[i : i + limit] for w in sentence.split() for i in range(0, len(w), limit)]
