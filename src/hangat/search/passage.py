"""What text of a product is embedded: its title, category leaf and brand, and the start of its
description — the parts that say what the product *is* (more text costs embedding time)."""

from __future__ import annotations

from hangat.domain.catalog import Product

DESCRIPTION_CHARS = 160


def passage_text(p: Product, description_chars: int = DESCRIPTION_CHARS) -> str:
    parts = [p.title]
    if p.category_path:
        parts.append(p.category_path[-1])
    if p.brand:
        parts.append(p.brand)
    text = ". ".join(parts)
    if description_chars and p.description:
        text += ". " + " ".join(p.description.split())[:description_chars]
    return text
