"""What a piece of reply text asserts: its numbers, links, claimed actions and proper names.

The phrasing guard compares a model's text with the draft and the facts through these. Each
function is deliberately simple and errs towards finding *more*: a false find only means the
deterministic draft is used.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# -- numbers ---------------------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_MULTIPLIER = re.compile(r"(?i)\s?(ribu|rb|juta|jt|thousand|million|mio)\b|(k)\b")
_SCALE = {"ribu": 1000, "rb": 1000, "k": 1000, "thousand": 1000, "juta": 10**6, "jt": 10**6}
_SCALE |= {"million": 10**6, "mio": 10**6}


def parse_number(digits: str) -> Decimal:
    """One written number, with ``.`` or ``,`` as grouping or decimal separator, as a value.

    ``120.000`` and ``1,000`` are grouped thousands; ``4,8`` and ``3.49`` are decimals; with both
    separators (``1.234,56``, ``1,234.56``) the last one is the decimal point.
    """
    seps = [c for c in digits if c in ".,"]
    if not seps:
        return Decimal(digits)
    if len(set(seps)) == 2:
        point = seps[-1]
        grouping = "," if point == "." else "."
        return _decimal(digits.replace(grouping, "").replace(point, "."))
    sep = seps[0]
    head, _, tail = digits.rpartition(sep)
    if len(seps) > 1 or (len(tail) == 3 and not digits.startswith("0")):
        return _decimal(digits.replace(sep, ""))
    return _decimal(f"{head}.{tail}")


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits and one point through
        return Decimal(0)


def numbers_in(text: str) -> list[Decimal]:
    """Every number in ``text``, normalised: ``Rp120.000``, ``120rb`` and ``120 ribu`` are all 120000;
    ``$3.49`` is 3.49; ``4,8`` is 4.8; ``50%`` is 50; a date ``2024-05-01`` gives 2024, 5 and 1."""
    out = []
    for match in _NUMBER.finditer(text):
        value = parse_number(match.group())
        scale = _MULTIPLIER.match(text, match.end())
        if scale:
            value *= _SCALE[(scale.group(1) or scale.group(2)).lower()]
        out.append(value)
    return out


def show_number(value: Decimal) -> str:
    """``120000``, ``4.8``: a number as a reason message shows it."""
    return format(value.normalize(), "f")


# -- links -----------------------------------------------------------------------------------------

_TLDS = (
    "com|net|org|io|co|id|xyz|info|biz|me|app|dev|shop|store|site|online|top|ru|cn|ly|gl|to|tk|us|uk|"
    "de|link|click|club|live|ai|ws|cc|gg|tv|win|bid|loan|example"
)
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+"
    rf"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:[/?#][^\s<>\"'()\[\]]*)?"
)


def normalise_url(url: str) -> str:
    """Lower case, without scheme, ``www.``, or trailing punctuation and slash."""
    url = url.lower().rstrip(".,;:!?'\")]}")
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.").rstrip("/")


def urls_in(text: str) -> list[str]:
    """Every link, bare domain or e-mail domain in ``text``, normalised."""
    return [normalise_url(m.group()) for m in _URL.finditer(text)]


def without_links(text: str) -> str:
    """``text`` with every link and bare domain blanked out."""
    return _URL.sub(" ", text)


# -- claimed actions -------------------------------------------------------------------------------

_S = r"[^.!?\n]"  # within one sentence
_ACTIONS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "cart": rf"\b(added|put|placed|moved)\b{_S}{{0,40}}\b(cart|basket|keranjang)\b"
        r"|\b(is|are|now|already)\s+in\s+your\s+(shopping\s+)?(cart|basket)\b"
        r"|\b(sudah|telah|udah|sdh)\s+(saya\s+|aku\s+|kami\s+|sy\s+)?(tambahkan|masukkan|masukin|taruh)"
        r"|\b(di)?tambahkan\s+ke\s+keranjang|\bsudah\s+(ada\s+)?(di|masuk)\s+keranjang",
        "order": rf"\border\b{_S}{{0,30}}\b(confirmed|placed|submitted|processed|completed)\b"
        rf"|\b(confirmed|placed|submitted)\b{_S}{{0,20}}\border\b"
        rf"|\bpesanan\b{_S}{{0,30}}\b(dikonfirmasi|terkonfirmasi|dibuat|diproses|berhasil)\b"
        r"|\b(sudah|telah)\s+(saya\s+|kami\s+)?(pesan|pesankan|konfirmasi|proses)",
        "refund": rf"\brefund\b{_S}{{0,30}}\b(approved|processed|issued|granted|sent|disetujui|diproses)\b"
        rf"|\brefunded\b|\b(uang|dana)\b{_S}{{0,20}}\bdikembalikan\b"
        r"|\b(sudah|telah)\s+(saya\s+|kami\s+)?(refund|kembalikan)",
        "cancel": r"\b(cancelled|canceled)\b|\bdibatalkan\b|\b(sudah|telah)\s+(saya\s+|kami\s+)?batalkan",
        "payment": rf"\bpayment\b{_S}{{0,20}}\b(received|processed|confirmed|completed|approved)\b"
        rf"|\b(charged|debited)\b|\bpembayaran\b{_S}{{0,20}}\b(diterima|berhasil|dikonfirmasi)\b",
        "discount": rf"\b(discount|coupon|voucher|promo code)\b{_S}{{0,30}}\b(applied|activated|added)\b"
        rf"|\b(diskon|voucher|kupon|promo)\b{_S}{{0,30}}\b(diterapkan|aktif|dipasang|ditambahkan)\b",
        "promise": r"\b(i'll|i will|i've|i have|let me|we'll|we will|we've|we have)\s+(now\s+|just\s+)?"
        r"(go ahead and\s+)?(add|added|place|placed|confirm|confirmed|cancel|cancell?ed|refund|refunded|"
        r"process|processed|apply|applied|book|booked|ship|shipped|order|ordered|charge|charged)\b"
        r"|\b(saya|aku|kami)\s+(akan\s+|sudah\s+|telah\s+)?(tambahkan|masukkan|konfirmasi|batalkan|"
        r"proses|refund|pesankan|kembalikan)\b",
    }.items()
}


def action_claims_in(text: str) -> set[str]:
    """The kinds of action ``text`` claims were done (or promises to do): ``cart``, ``order``,
    ``refund``, ``cancel``, ``payment``, ``discount``, ``promise``."""
    folded = text.replace("’", "'")
    return {name for name, pattern in _ACTIONS.items() if pattern.search(folded)}


# -- names -----------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_][\w'’&+-]*")
_SENTENCE_START = re.compile(r"(^|[.!?:;•*\n\-–—(\"“'‘«>])\s*$")
_ALWAYS = frozenset("i i'm i've i'll i'd rp ok hi indonesia indonesian english bahasa".split())


def words_of(text: str) -> set[str]:
    """The lower-cased words of ``text`` (the vocabulary a name is checked against)."""
    return {w.lower().replace("’", "'") for w in _WORD.findall(text)}


def capitalised_words(text: str) -> list[str]:
    """Words that start with a capital letter (or a letter, then digits: ``x200``) where a sentence
    does not begin: in English and Indonesian those are names of products, brands, people or places."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        named = word[0].isupper() or (word[0].isalpha() and any(c.isdigit() for c in word))
        if named and not _SENTENCE_START.search(text[: match.start()]) and word.lower() not in _ALWAYS:
            found.append(word)
    return found


# -- copies ----------------------------------------------------------------------------------------


def shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive lower-cased words."""
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}
