"""Query translation from Indonesian to English through the bundled shopping lexicon.

``data/lexicon_id_en.tsv`` (written for hangat; see ``data/LEXICON.md``) maps Indonesian words and
phrases to English ones. Longer phrases win ("jam tangan" → "watch", before "jam" → "clock").
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources

from hangat.search.text import normalize

_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case words with their hyphens ("anting-anting"); no stop words are dropped here,
    since they carry meaning in phrases ("celana dalam" is not "celana")."""
    return _TOKEN.findall(normalize(text))


class Lexicon:
    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = entries
        self.longest = max((len(k.split()) for k in entries), default=1)

    def translate(self, text: str) -> list[str]:
        """Every English equivalent of the Indonesian words of ``text`` (unknown words left out)."""
        return [e for _, english in self._segments(text) for e in english]

    def sentence(self, text: str) -> str:
        """``text`` with each known Indonesian word or phrase replaced by its first English
        equivalent and unknown words (brands, models) kept: "hp samsung murah" → "phone samsung cheap"."""
        return " ".join(english[0] if english else word for word, english in self._segments(text))

    def _segments(self, text: str) -> list[tuple[str, list[str]]]:
        found_tokens = tokens(text)
        out: list[tuple[str, list[str]]] = []
        i = 0
        while i < len(found_tokens):
            for n in range(min(self.longest, len(found_tokens) - i), 0, -1):
                english = self.entries.get(" ".join(found_tokens[i : i + n]))
                if english:
                    out.append((" ".join(found_tokens[i : i + n]), english))
                    i += n
                    break
            else:
                out.append((found_tokens[i], []))
                i += 1
        return out


@lru_cache(maxsize=1)
def bundled() -> Lexicon:
    """The lexicon shipped with hangat (empty if the data file is absent)."""
    path = resources.files("hangat.search") / "data" / "lexicon_id_en.tsv"
    if not path.is_file():
        return Lexicon({})
    entries: dict[str, list[str]] = {}
    with path.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            key = " ".join(tokens(row["id"]))
            if key:
                english = [e.strip() for e in row["en"].split("|") if e.strip()]
                entries.setdefault(key, []).extend(english)
    return Lexicon(entries)
