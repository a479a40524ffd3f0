"""Which language a message is in: English, Indonesian, or a mix of both.

A word-list vote, written by hand because the language-identification packages on PyPI either
download models at run time or confuse Indonesian with Malay and miss informal forms ("yg",
"utk", "gak"). The understanding issue replaces this with a trained model.
"""

from __future__ import annotations

import re

_ID = frozenset(
    """
    saya aku gue gw kamu anda dia kami kita mereka yang yg dan atau untuk utk buat dengan dgn
    di ke dari ini itu ada tidak tdk gak ga nggak enggak bukan mau ingin pengen cari carikan
    mencari beli membeli harga murah mahal bagus berapa apa apakah bisa tolong dong deh sih
    ya kok juga sudah udah belum lagi banget bgt sama pakai pake terima kasih makasih halo
    hai selamat pagi siang sore malam kado hadiah ibu bapak anak adik kakak teman sepatu baju
    celana tas kopi susu minggu depan besok hari budget ribu rb juta jt kurang lebih paling
    tapi kalau kalo jika gimana bagaimana kenapa mengapa dimana kapan berapa punya minta
    nya gmn gmna gimana kak kakak min sis gan admin aja udh blm gk brp dmn knp tp jd trs sm krn lg bs
    pesanan barang tolongin dulu nih tuh kah pun
    """.split()
)
_EN = frozenset(
    """
    i me my you your he she we they it is are was were be the a an and or for with of to in
    on at from this that these those not no do does don't want need looking look find search
    buy price cheap expensive good best how what which can could please thanks thank hello
    hi hey morning gift mother father son daughter friend shoes shirt bag coffee milk next
    week tomorrow day budget under over less more most but if why where when have has show
    me some any get would like
    """.split()
)
_WORD = re.compile(r"[a-z']+")


def detect_language(text: str, default: str = "en") -> str:
    """``"en"``, ``"id"`` or ``"mixed"``; ``default`` when the text gives no evidence."""
    words = _WORD.findall(text.lower())
    ind = sum(1 for w in words if w in _ID and w not in _EN)
    eng = sum(1 for w in words if w in _EN and w not in _ID)
    if ind == 0 and eng == 0:
        return default
    if ind and eng and min(ind, eng) / max(ind, eng) >= 0.5:
        return "mixed"
    return "id" if ind > eng else "en"


def reply_language(detected: str, previous: str | None, default: str) -> str:
    """The language to answer in: the shopper's own; for a mix, the one used before, else Indonesian."""
    if detected in ("en", "id"):
        return detected
    return previous if previous in ("en", "id") else ("id" if detected == "mixed" else default)
