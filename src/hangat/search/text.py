"""Tokenisation and normalisation of product text and queries, in English and Indonesian.

Lower-case, Unicode-normalised words; informal Indonesian forms expanded ("yg" → "yang",
"utk" → "untuk", "hp" → "handphone"); numbers split from their units ("250gr" → "250 g");
stop words of both languages dropped; Snowball stemming (PyStemmer) in the text's language.
Text whose language is unknown or mixed gets both stems of each word, so either language matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

INFORMAL = {
    "yg": "yang", "utk": "untuk", "buat": "untuk", "dgn": "dengan", "dg": "dengan", "tdk": "tidak",
    "gak": "tidak", "ga": "tidak", "nggak": "tidak", "gk": "tidak", "bgt": "banget", "sm": "sama",
    "hp": "handphone", "tp": "tapi", "krn": "karena", "jg": "juga", "aja": "saja", "sdh": "sudah",
    "udh": "sudah", "blm": "belum", "lg": "lagi", "bs": "bisa", "org": "orang", "cwo": "cowok",
    "cwe": "cewek", "brp": "berapa", "bnyk": "banyak", "pke": "pakai", "pake": "pakai",
    "tsb": "tersebut", "dr": "dari", "kl": "kalau", "kalo": "kalau", "sy": "saya", "gw": "saya",
    "gue": "saya", "ak": "aku", "trs": "terus", "bbrp": "beberapa", "sblm": "sebelum",
    "w/": "with", "w/o": "without",
}  # fmt: skip

UNITS = {
    "gr": "g", "gram": "g", "grams": "g", "kg": "kg", "kilo": "kg", "ml": "ml", "lt": "l",
    "ltr": "l", "liter": "l", "litre": "l", "oz": "oz", "ounce": "oz", "ounces": "oz", "lb": "lb",
    "lbs": "lb", "cm": "cm", "mm": "mm", "inch": "in", "inches": "in", "gb": "gb", "tb": "tb",
    "mah": "mah", "w": "w", "watt": "w", "v": "v", "volt": "v", "pcs": "pcs", "pc": "pcs",
    "ct": "ct", "pack": "pack", "pk": "pack",
}  # fmt: skip

STOP = frozenset(
    """
    a an the and or of for to in on at by with from is are was be it its this that these those
    as into your you our my me i we they he she them his her not no do does can will just very
    set pack new yang dan atau di ke dari untuk dengan ini itu ada adalah juga saya aku kamu anda
    dia kami kita mereka akan bisa sudah belum lagi saja sangat banget tidak bukan mau ingin cari
    mencari carikan beli membeli tolong dong deh sih ya nya pun para oleh pada dalam
    kak kakak min gan sis bang ga gak nggak ngga enggak gk nih kah apakah tersedia jual
    membutuhkan memerlukan butuh
    """.split()  # the last line: how shoppers talk to a shop in chat (CHAT_FILLER below)
)

# how shoppers talk to a shop in chat, around what they want: "selai kacang ada ga kak?", "saya ingin
# membeli …". Left out of the text a query's meaning is embedded from, where they outweighed the
# product itself ("Saya ingin membeli selai kacang" found a video game part, "selai kacang" peanut butter).
CHAT_FILLER = frozenset(
    """kak kakak min gan sis bang ga gak nggak ngga enggak gk nih kah apakah tersedia jual ada dong deh
    sih ya saya aku gue gw sy ingin mau pengen pingin membeli beli mencari cari nyari carikan cariin
    membutuhkan memerlukan butuh perlu tolong lagi""".split()
)
_FILLER = re.compile(
    r"\b(?:" + "|".join(sorted(CHAT_FILLER, key=len, reverse=True)) + r")\b|\?", re.IGNORECASE
)


def without_chat(text: str) -> str:
    """``text`` without the chat around the request ("ada ga kak?"), or as it was if nothing is left."""
    left = " ".join(_FILLER.sub(" ", text).split())
    return left or text


_WORD = re.compile(r"\d+(?:[.,]\d+)*[^\W\d_]*|[^\W_]+(?:['’][^\W_]+)?|w/o|w/", re.UNICODE)
_NUM_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)([a-z]+)$")
_STEMMERS = {"en": "english", "id": "indonesian"}


@lru_cache(maxsize=4)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMERS[lang])


def normalize(text: str) -> str:
    """NFKC, lower case, accents kept (they are rare and meaningful in product names)."""
    return unicodedata.normalize("NFKC", text).lower()


def words(text: str) -> list[str]:
    """The words of ``text``: informal forms expanded, numbers split from units, no stop words."""
    out: list[str] = []
    for raw in _WORD.findall(normalize(text)):
        word = INFORMAL.get(raw, raw).replace("’", "'")
        match = _NUM_UNIT.match(word)
        if match:
            number, unit = match.groups()
            out.append(number.replace(",", "."))
            out.append(UNITS.get(unit, unit))
            continue
        for part in word.split():
            if part not in STOP and (len(part) > 1 or part.isdigit()):
                out.append(UNITS.get(part, part) if out and out[-1].replace(".", "").isdigit() else part)
    return out


def stems(tokens: list[str], lang: str) -> list[str]:
    """Snowball stems in ``lang`` ("en" or "id"); for anything else both, each word once or twice."""
    if lang in _STEMMERS:
        return list(_stemmer(lang).stemWords(tokens))
    english = _stemmer("en").stemWords(tokens)
    indonesian = _stemmer("id").stemWords(tokens)
    out: list[str] = []
    for e, i in zip(english, indonesian, strict=True):
        out.append(e)
        if i != e:
            out.append(i)
    return out


def analyze(text: str, lang: str) -> list[str]:
    """``words`` then ``stems``: the terms the lexical index sees."""
    return stems(words(text), lang)
