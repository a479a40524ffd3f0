"""The details of a shopping message that rules read better than a model: money, quantities, dates,
sizes, who it is for, the occasion, and pointers to earlier results.

Written by hand because these are closed, exact vocabularies (currencies, "rb/jt/k", ordinals,
kinship words in two languages) where a rule is the more honest tool: it is right or visibly
wrong, and a test pins every form. Budgets reuse the search filters' money parser, so "under
300rb" means the same thing in a search and in a conversation. The product and its attributes
are spans a trained tagger finds (``hangat.understand.spans``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hangat.search.filters import parse_query
from hangat.understand.dates import find_date

RECIPIENTS: dict[str, tuple[str, ...]] = {
    "mother": ("mom", "mum", "mommy", "mummy", "mother", "mama", "mamah", "mami", "ibu", "ibuk", "bunda",
               "nyokap", "emak", "mak", "umi"),
    "father": ("dad", "daddy", "father", "papa", "papah", "papi", "ayah", "bapak", "bapa", "bokap", "abah",
               "abi", "babe"),
    "parents": ("parents", "orang tua", "orangtua", "ortu", "mom and dad"),
    "wife": ("wife", "istri", "isteri", "bini", "nyonya"),
    "husband": ("husband", "suami", "hubby", "paksu"),
    "son": ("son", "anak laki-laki", "anak laki", "anak cowok", "anak cowo", "putra", "boy"),
    "daughter": ("daughter", "anak perempuan", "anak cewek", "anak cewe", "putri", "girl"),
    "child": ("kid", "kids", "child", "children", "anak", "anak-anak", "bocil", "krucil", "anakku"),
    "baby": ("baby", "bayi", "newborn", "si kecil", "dedek bayi", "baby boy", "baby girl"),
    "sister": ("sister", "sis", "adik perempuan", "kakak perempuan", "adek cewek", "adik cewek",
               "kakak cewek", "adek perempuan", "cici"),
    "brother": ("brother", "bro", "adik laki-laki", "kakak laki-laki", "abang", "kakak cowok",
                "adik cowok", "adek cowok", "koko"),
    "grandmother": ("grandma", "grandmother", "granny", "nenek", "oma", "eyang putri", "mbah putri"),
    "grandfather": ("grandpa", "grandfather", "kakek", "opa", "eyang kakung", "mbah kakung"),
    "friend": ("friend", "friends", "teman", "temen", "sahabat", "bestie", "bff", "kawan"),
    "girlfriend": ("girlfriend", "gf", "pacar", "pacarku", "doi", "ayang", "cewek gue", "cewek saya",
                   "cewekku"),
    "boyfriend": ("boyfriend", "bf", "cowok gue", "cowok saya", "cowokku", "pacar cowok"),
    "boss": ("boss", "bos", "atasan", "manager"),
    "colleague": ("colleague", "colleagues", "coworker", "coworkers", "co-worker", "rekan kerja",
                  "teman kantor", "temen kantor"),
    "teacher": ("teacher", "guru", "dosen", "wali kelas"),
    "family": ("family", "keluarga"),
    "self": ("myself", "diri sendiri", "diri saya", "for me"),
}  # fmt: skip
OCCASIONS: dict[str, tuple[str, ...]] = {
    "anniversary": ("anniversary", "anniv", "ulang tahun pernikahan", "hari jadi", "monthsary"),
    "birthday": ("birthday", "bday", "b-day", "ulang tahun", "ulangtahun", "ultah", "ulang taun", "ulta",
                 "milad", "hbd"),
    "lebaran": ("lebaran", "idul fitri", "idulfitri", "eid", "hari raya", "mudik", "halal bihalal", "thr"),
    "ramadan": ("ramadan", "ramadhan", "puasa", "bukber", "buka bersama", "sahur", "ngabuburit"),
    "christmas": ("christmas", "xmas", "natal", "natalan"),
    "new_year": ("new year", "new year's", "tahun baru", "taun baru", "nye"),
    "imlek": ("imlek", "chinese new year", "lunar new year", "cny", "sincia"),
    "wedding": ("wedding", "nikahan", "pernikahan", "kondangan", "resepsi", "getting married", "lamaran",
                "seserahan", "bridal shower"),
    "graduation": ("graduation", "wisuda", "kelulusan", "lulusan", "graduating"),
    "valentines": ("valentine", "valentine's", "valentines", "valentin"),
    "mothers_day": ("mother's day", "mothers day", "mothers' day", "hari ibu"),
    "fathers_day": ("father's day", "fathers day", "hari ayah"),
    "housewarming": ("housewarming", "house warming", "rumah baru", "pindahan", "pindah rumah"),
    "new_baby": ("baby shower", "lahiran", "kelahiran", "new baby", "aqiqah", "akikah", "newborn gift"),
    "back_to_school": ("back to school", "tahun ajaran baru", "masuk sekolah", "sekolah baru"),
    "party": ("party", "pesta", "syukuran", "arisan", "potluck", "gathering", "acara kantor"),
}  # fmt: skip
# Words that make an ambiguous kinship word a recipient ("buat ibu", "ibu saya", "for my mom").
_BEFORE = r"(?:buat|untuk|utk|bwt|for|to|kado|hadiah|gift|present|kasih|ngasih|my|our|ke|sama|para)"
_AFTER = r"(?:saya|sy|aku|ku|gue|gw|gua|kita|kami|tercinta|tersayang|nya)"
_AMBIGUOUS = {"ibu", "ibuk", "bapak", "bapa", "mak", "anak", "bro", "sis", "boy", "girl", "abang", "koko",
              "cici", "babe", "kawan", "manager", "doi", "abi", "umi", "for me"}  # fmt: skip

COLOURS = {
    "red": ("red", "merah"), "blue": ("blue", "biru"), "green": ("green", "hijau", "ijo"),
    "black": ("black", "hitam", "item"), "white": ("white", "putih"), "yellow": ("yellow", "kuning"),
    "pink": ("pink", "merah muda"), "purple": ("purple", "ungu"), "orange": ("orange", "oranye", "oren"),
    "brown": ("brown", "coklat", "cokelat"), "grey": ("grey", "gray", "abu-abu", "abu", "abu2"),
    "gold": ("gold", "emas"), "silver": ("silver", "perak"), "navy": ("navy",),
    "beige": ("beige", "krem", "cream"),
}  # fmt: skip
_ORDINALS = {
    "first": 1, "1st": 1, "pertama": 1, "second": 2, "2nd": 2, "kedua": 2, "kdua": 2, "third": 3, "3rd": 3,
    "ketiga": 3, "fourth": 4, "4th": 4, "keempat": 4, "fifth": 5, "5th": 5, "kelima": 5, "sixth": 6,
    "keenam": 6, "seventh": 7, "ketujuh": 7, "eighth": 8, "kedelapan": 8, "ninth": 9, "kesembilan": 9,
    "tenth": 10, "kesepuluh": 10,
}  # fmt: skip
_ORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_REF_ORDINAL = re.compile(
    rf"\b(?:the|yang|yg|yng)\s+(?P<w>{_ORD})\b(?!\s+(?:time|kali|kalinya))"
    rf"|\b(?P<v>{_ORD})\s+(?:one|option|item|product|link|pilihan|opsi|produk)\b"
    r"|\b(?:nomor|nomer|no\.?|number|num|#|option|opsi|pilihan|item)\s*(?P<n>\d{1,2})\b(?!\s*(?:hari|days?))"
    r"|\b(?:yang|yg)\s+ke[- ]?(?P<k>\d{1,2})\b"
)
_REF_LAST = re.compile(
    r"\b(?:the\s+last\s+(?:one|item|option)|last\s+one|yang\s+terakhir|yg\s+terakhir|paling\s+akhir)\b"
)
_REF_PREVIOUS = re.compile(
    r"\b(?:yang|yg|yng)\s+(?:tadi|td|barusan|itu\s+tadi|sebelumnya|kemarin|kmrn|itu|di\s*atas)\b"
    r"|\b(?:yang|yg)\s+\w+\s+(?:itu|tadi|td)\b|\btersebut\b"
    r"|\b(?:that\s+one|this\s+one|the\s+one\s+you\s+(?:just\s+)?(?:showed|mentioned|sent|suggested|recommended"
    r"|added|picked)|the\s+\w+\s+you\s+(?:just\s+)?(?:showed|mentioned|sent|suggested|recommended)"
    r"|the\s+(?:same|previous)\s+one|the\s+one\s+(?:before|earlier|above))\b"
    r"|\b(?:remove|take|delete|hapus|buang|cancel)\s+(?:that|this|it|itu|ini)\b"
    r"|\b(?:that|this)\s+(?!is\b|was\b|one\b)[a-z]+(?:\s+[a-z]+)?\s*\?\s*$"
)
_COLOUR_WORDS = {w: c for c, words in COLOURS.items() for w in words}
_REF_COLOUR = re.compile(
    r"\b(?:yang|yg|yng)\s+(?:warna\s+|berwarna\s+|warnanya\s+)?(?P<a>"
    + "|".join(sorted((re.escape(w) for w in _COLOUR_WORDS), key=len, reverse=True))
    + r")\b|\bthe\s+(?P<b>"
    + "|".join(sorted((re.escape(w) for w in _COLOUR_WORDS), key=len, reverse=True))
    + r")\s+one\b"
)
_SIZE = re.compile(
    r"\b(?:size|sz|ukuran|ukurannya|uk|nomor\s+sepatu|no\.?\s+sepatu)\s*[:.]?\s*"
    r"(?P<v>(?:(?:uk|eu|us)\s*)?\d{1,2}(?:[.,]5)?|x{0,3}[sml]|[2-5]xl|xxl|xxxl|all\s*size|allsize|free\s*size)\b"
    r"|\b(?P<u>(?:uk|eu|us)\s+\d{1,2}(?:[.,]5)?)\b(?!\s*(?:\$|dollars?|rb|ribu))"
    r"|(?<![\w-])(?P<x>x{1,3}l|[2-5]xl|xs|xxs)\b",
    re.IGNORECASE,
)
_QUANTITY_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twelve": 12, "twenty": 20, "fifty": 50, "hundred": 100, "a dozen": 12, "dozen": 12,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10, "selusin": 12, "seratus": 100, "sebiji": 1, "sebuah": 1,
    "sebungkus": 1, "sekotak": 1, "sebotol": 1, "dua puluh": 20, "lima puluh": 50,
}  # fmt: skip
_UNITS = (
    r"pcs|pc|pieces?|buah|biji|bh|bungkus|bks|pack|packs|pak|box|boxes|kotak|dus|dos|karton|cartons?|"
    r"botol|bottles?|kaleng|cans?|sachet|sachets|renceng|rim|lembar|sheets?|pasang|pairs?|set|sets|"
    r"units?|porsi|portions?|items?|ekor|tabung|galon|roll|rolls|bags?|tas|lusin|dozens?|kodi|"
    r"eksemplar|copies|copy|cup|cups|jars?|toples|tubes?|loaves|loaf|bars?|batang|helai|potong"
)
_NOT_QUANTITY_AFTER = re.compile(
    r"\s*%|\s*(?:persen|percent|g|gr|gram|grams|kg|kilo|kilos|kilogram|kilograms|ml|l|lt|liter|litre|oz|lb|lbs|"
    r"cm|mm|m|meter|inch|inci|\"|gb|tb|"
    r"mah|w|watt|hp|pk|hari|days?|minggu|weeks?|bulan|months?|tahun|taun|thn|th|years?|yrs?|yo|jam|hours?|"
    r"menit|minutes?|kali|times|x\b|orang|people|persons?|guests?|tamu|am|pm|star|stars|bintang|"
    r"ribu|rb|k\b|jt|juta|rp|\$|am\b|st\b|nd\b|rd\b)\b",
    re.IGNORECASE,
)
_QUANTITY_VERBS = re.compile(
    r"\b(?:beli|membeli|pesan|pesen|memesan|order|add|tambah|tambahin|tambahkan|masukin|masukkan|need|"
    r"butuh|membutuhkan|memerlukan|perlu|want|mau|ambil|get|buy|take|kirim|minta|sebanyak|jumlah|qty|"
    r"quantity|jadi|jd|menjadi|make\s+it|change\s+(?:it\s+)?to|ubah|x|give\s+me|another|lagi|lg|"
    r"down\s+to|up\s+to|in|membeli|beli)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RuleSlots:
    """What the rules found, and the character spans they used (so the tagger skips them)."""

    values: dict[str, object]
    spans: tuple[tuple[int, int], ...]
    bare_price: bool = False  # the only amount has no budget word: maybe a price, not a budget


def _alias_pattern(aliases: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    words = sorted({w for ws in aliases.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


_RECIPIENT_RE = _alias_pattern(RECIPIENTS)
_OCCASION_RE = _alias_pattern(OCCASIONS)
_RECIPIENT_OF = {w: name for name, ws in RECIPIENTS.items() for w in ws}
_OCCASION_OF = {w: name for name, ws in OCCASIONS.items() for w in ws}


def recipient(text: str) -> tuple[str, tuple[int, int]] | None:
    low = text.lower()
    for match in _RECIPIENT_RE.finditer(low):
        word = match.group(1)
        if word in _AMBIGUOUS:
            before = low[max(0, match.start() - 16) : match.start()]
            after = low[match.end() : match.end() + 12]
            if not (
                re.search(_BEFORE + r"\s+(?:\w+\s+)?$", before) or re.match(r"\s*-?" + _AFTER + r"\b", after)
            ):
                continue
        return _RECIPIENT_OF[word], match.span()
    return None


def occasion(text: str) -> tuple[str, tuple[int, int]] | None:
    match = _OCCASION_RE.search(text.lower())
    return (_OCCASION_OF[match.group(1)], match.span()) if match else None


def reference(text: str) -> tuple[str, tuple[int, int]] | None:
    low = text.lower()
    match = _REF_LAST.search(low)
    if match:
        return "last", match.span()
    match = _REF_ORDINAL.search(low)
    if match:
        number = match.group("n") or match.group("k")
        value = int(number) if number else _ORDINALS[match.group("w") or match.group("v")]
        if 1 <= value <= 10:
            return str(value), match.span()
    match = _REF_COLOUR.search(low)
    if match:
        return _COLOUR_WORDS[match.group("a") or match.group("b")], match.span()
    match = _REF_PREVIOUS.search(low)
    if match:
        return "previous", match.span()
    return None


def size(text: str) -> tuple[str, tuple[int, int]] | None:
    match = _SIZE.search(text)
    if not match:
        return None
    value = (match.group("v") or match.group("u") or match.group("x")).upper().replace(",", ".")
    value = re.sub(r"\s+", " ", value)
    if value in ("ALLSIZE", "ALL SIZE", "FREE SIZE", "FREESIZE"):
        value = "ALL SIZE"
    return value, match.span()


def _quantity_value(word: str) -> int | None:
    word = word.lower()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+|\d+", word):
        return int(word.replace(".", ""))
    return _QUANTITY_WORDS.get(word)


_QTY_NUMBER = (
    r"(?P<q>\d{1,3}(?:\.\d{3})+|\d{1,5}|a\s+dozen|dua\s+puluh|lima\s+puluh|"
    + "|".join(sorted((k for k in _QUANTITY_WORDS if " " not in k), key=len, reverse=True))
    + r")"
)
_QTY_RE = re.compile(rf"(?<![\w.,/-]){_QTY_NUMBER}(?![\w/]|[.,]\d)", re.IGNORECASE)
# Before a bare count of things ("need 50 chairs", "for 75 gift boxes", or first in the message);
# after any other word a number is more often part of a name ("iphone 15 pro", "type 2").
_COUNT_BEFORE = re.compile(
    r"(?:^|[,.;:!?(]|\b(?:for|of|needs?|need|want|supply|buying|ordering|order\s+of|get|untuk|buat|utk|"
    r"perlu|butuh|sebanyak|sekitar|around|about|like|our|we|kami|kita|dan|and|plus|or|atau|but|tp|"
    r"tapi))\s*$",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(rf"\s*(?P<unit>{_UNITS})\b", re.IGNORECASE)
_DOZEN_UNIT = re.compile(r"\s*(?:lusin|dozens?)\b", re.IGNORECASE)


def quantity(text: str, taken: list[tuple[int, int]]) -> tuple[int, tuple[int, int]] | None:
    """A count of items: "2 bungkus", "three packs", "a dozen", "pesan 100 kaos"."""
    for match in _QTY_RE.finditer(text):
        start, end = match.span()
        if any(a <= start < b or a < end <= b for a, b in taken):
            continue
        word = match.group("q")
        value = _quantity_value(re.sub(r"\s+", " ", word))
        if value is None or value == 0:
            continue
        rest = text[end:]
        if word.isdigit() and len(word) >= 4 and not _UNIT_RE.match(rest):
            continue  # a year, an order number, a model

        if _NOT_QUANTITY_AFTER.match(rest):
            continue
        unit = _UNIT_RE.match(rest)
        if unit:
            if _DOZEN_UNIT.match(rest):
                value *= 12
            return value, (start, end + unit.end())
        # without a unit: right after a buying verb ("pesan 100 kaos", "ambil tiga"), or a number
        # of things after a function word ("need 50 chairs") — a number after another word is as
        # often part of a name ("iphone 15 pro"), an age or an order number
        if _QUANTITY_VERBS.search(text[:start]) or word.lower() in ("a dozen", "dozen", "selusin"):
            return value, (start, end)
        if word.isdigit() and re.match(r"\s+[a-zA-Z]{3,}", rest) and _COUNT_BEFORE.search(text[:start]):
            return value, (start, end)
    return None


def extract(text: str, now: date) -> RuleSlots:
    """Every rule-read slot of ``text``, resolved against ``now``."""
    values: dict[str, object] = {}
    spans: list[tuple[int, int]] = []
    parsed = parse_query(text)
    f = parsed.filters
    money = f.currency is not None or _MONEY_MARK.search(text) is not None
    if money and (f.price_min is not None or f.price_max is not None):
        currency = f.currency or "IDR"  # "200k" with no sign: the issue counts k as rupiah
        if f.price_min is not None:
            values["budget_min"] = _plain(f.price_min)
        if f.price_max is not None:
            values["budget_max"] = _plain(f.price_max)
        values["currency"] = currency
        spans += _money_spans(text)
    found_date = find_date(text, now)
    if found_date:
        values["date"] = found_date.value.isoformat()
        spans.append((found_date.start, found_date.end))
    for name, finder in (("size", size), ("reference", reference), ("recipient", recipient),
                         ("occasion", occasion)):  # fmt: skip
        hit = finder(text)
        if hit:
            values[name] = hit[0]
            spans.append(hit[1])
    qty = quantity(text, spans)
    if qty:
        values["quantity"] = qty[0]
        spans.append(qty[1])
    bare = "budget_max" in values and "budget_min" not in values and not _BUDGET_WORDS.search(text)
    return RuleSlots(values, tuple(spans), bare_price=bare)


# A number with a money sign or multiplier ("max 90" is a model name, "90rb" is money).
_MONEY_MARK = re.compile(
    r"(?:rp\.?|idr|\$|₹|rs\.?)\s*\d|\d\s*(?:k|rb|ribu|rebu|jt|juta|rupiah|dollars?|bucks|rupees?|usd|idr)\b",
    re.IGNORECASE,
)
# Words that make an amount a budget rather than a price being talked about.
_BUDGET_WORDS = re.compile(
    r"\b(?:budget\w*|bujet|under|below|less\s+than|up\s+to|at\s+most|max\w*|maks\w*|around|about|"
    r"sekitar|kisaran|di\s*bawah|kurang\s+dari|sampai|hingga|paling\s+mahal|cheaper\s+than|"
    r"afford|spend|punya\s+uang|uang\s+(?:saya|aku|gue)|dana)\b",
    re.IGNORECASE,
)


_MONEY_SPAN = re.compile(
    r"(?:rp\.?|idr|us\$|\$|₹|rs\.?|inr|usd)\s*\d[\d.,]*\s*(?:ribu|rb|k|juta|jt|an)?"
    r"|\d[\d.,]*\s*(?:ribu|rebu|rbu|rb|k|juta|jt|jeti|rupiah|dollars?|bucks|rupees?|usd|idr)\b",
    re.IGNORECASE,
)


def _money_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _MONEY_SPAN.finditer(text)]


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)
