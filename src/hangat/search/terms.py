"""Turning a shopper's query into search terms: lower-case words without filler words."""

from __future__ import annotations

import re

MAX_QUERY_CHARS = 500
_FILLER = frozenset(
    """
    saya aku gue gw mau ingin pengen cari carikan mencari beli membeli yang yg untuk utk buat
    dong deh sih ya tolong ada apa punya minta the a an i me my want need looking look for find
    search show some any please buy to of and with is are can you get would like
    halo hai hi hello hey there selamat pagi siang sore malam thanks thank terima kasih makasih
    """.split()
)
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def query_terms(query: str, limit: int = 12) -> list[str]:
    """Distinct meaningful words of ``query`` (at most ``limit``), in order of appearance."""
    words = _TOKEN.findall(query[:MAX_QUERY_CHARS].lower())
    kept = [w for w in words if w not in _FILLER and (len(w) > 1 or w.isdigit())]
    return list(dict.fromkeys(kept))[:limit]
