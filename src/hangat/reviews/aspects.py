"""The bilingual aspect lexicon: what shoppers talk about when they review a product.

Chosen by reading the reviews themselves: the most frequent content words of the PRDECT-ID
Tokopedia reviews (``pengiriman``, ``packing``, ``respon``, ``kualitas``, ``bahan``, ``sesuai``,
``berfungsi``, ``harga``…) and of the Amazon reviews in the FewSum set (fit, quality, price,
material, comfort, battery, sound…). A term is matched on whole words of the normalised text
(:func:`normalise`): ``*`` stands for any further letters, a space for any run of spaces, so
``*kirim*`` finds ``dikirim`` and ``kiriman`` (``pengiriman``, where the ``k`` drops, has its own term).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class Aspect:
    """One thing reviewers praise or complain about, with its display labels."""

    key: str
    label_en: str
    label_id: str
    terms: tuple[str, ...] = field(repr=False, default=())

    def label(self, lang: str) -> str:
        """The label in ``lang`` (``"id"`` for Indonesian, English otherwise)."""
        return self.label_id if lang == "id" else self.label_en


def _a(key: str, en: str, id_: str, terms: str) -> Aspect:
    return Aspect(key, en, id_, tuple(t.strip() for t in terms.split("|") if t.strip()))


ASPECTS: tuple[Aspect, ...] = (
    _a("as_described", "as described", "sesuai deskripsi",
       "sesuai*|as described|as pictured|as advertised|as shown|as expected|as listed|description|"
       "deskripsi*|beda*|berbeda|picture|pictured|photo*|salah kirim|wrong item|not what i ordered|"
       "ekspektasi*|expectations"),
    _a("delivery", "delivery", "pengiriman",
       "*kirim*|pengiriman*|mengirim*|kurir*|ekspedisi|ongkir|cepat sampai|sampai dengan selamat|"
       "nyampe*|dateng|datangnya|"
       "diantar|pengantaran|shipping|shipped|ship|delivery|delivered|arrived|arrive*|courier|"
       "shipment|transit|on time"),
    _a("packaging", "packaging", "kemasan",
       "packing*|pakcing*|packaging*|pekingnya|kemas*|dikemas|pengemasan|bungkus*|dibungkus|bubble*|"
       "kardus*|dus|dusnya|box*|kotak*|segel*|packaged|wrapped|wrapping"),
    _a("seller", "seller & service", "penjual & pelayanan",
       "seller*|seler*|penjual*|pelayanan*|layanan|respon*|respons*|ramah|admin*|pelapak|toko|tokonya|"
       "owner|cs|fast respon|slow respon|komplain*|amanah|customer service|service*|servis*|vendor|"
       "responsive|refund*|retur"),
    _a("quality", "quality", "kualitas",
       "kualitas*|kwalitas*|berkualitas|quality|well made|made well|craftsmanship|construction|"
       "build|built|jahitan*|stitching|cheaply made|poorly made"),
    _a("condition", "condition on arrival", "kondisi barang",
       "kondisi*|mulus|penyok|peyok|pecah*|retak*|lecet*|rusak|cacat|bekas|damaged|dented|"
       "scratched|scratches|cracked|defective|dead on arrival"),
    _a("works", "works as it should", "berfungsi",
       "berfungsi|fungsi*|bekerja|nyala|menyala|works|working|worked|work|function*|performance|"
       "performs|stopped working|error|eror|mati"),
    _a("price", "price & value", "harga",
       "harga*|murah|terjangkau|mahal|promo|diskon|flash sale|flashsale|price*|priced|value|worth|"
       "money|cheap|cheaper|expensive|afford*|bargain|overpriced|pricey"),
    _a("size", "size & fit", "ukuran",
       "ukuran*|size*|sizing|kekecilan|kebesaran|kesempitan|fit|fits|fitting|fitted|runs small|"
       "runs large|too small|too big|too large|too tight|too loose|waist|length|panjangnya"),
    _a("material", "material", "bahan",
       "bahan*|material*|kain*|fabric|cotton|tebal|tebel|tipis|menerawang|adem|plastik*|plastic|"
       "leather|thin|thick|rough|soft|lembut|mesh|liner|lining"),
    _a("taste", "taste", "rasa", "rasa|rasanya|enak|gurih|taste*|tasty|delicious|flavor*|flavour*"),
    _a("smell", "smell", "aroma",
       "aroma*|wangi*|harum*|bau|baunya|apek|smell*|scent*|fragrance|odor|odour|stinks"),
    _a("durability", "durability", "keawetan",
       "awet|tahan lama|kuat|kokoh|durable|durability|sturdy|flimsy|lasted|last long|lasts|"
       "broke|fell apart|wear out|wore out|patah"),
    _a("comfort", "comfort", "kenyamanan",
       "nyaman*|empuk|comfortable|comfort*|uncomfortable|comfy|chafing|chaffing|itchy|scratchy"),
    _a("battery", "battery", "baterai",
       "baterai*|batre*|batere*|battery|batteries|charge*|charging|charger|cas"),
    _a("sound", "sound", "suara",
       "suara*|sound*|bass|audio|volume|noise|noisy|berisik|loud|speaker*|mic|microphone"),
    _a("ease_of_use", "ease of use", "kemudahan",
       "mudah|gampang|ribet|susah|sulit|praktis|easy|easily|simple|difficult|hard to|install*|"
       "pasang|dipasang|pemasangan|setup|set up|assemble|assembly|instructions|petunjuk|cara pakai"),
    _a("appearance", "looks", "tampilan",
       "warna*|model*|desain*|design*|cantik|lucu|elegan|looks|color*|colour*|style*|stylish|"
       "pretty|beautiful|cute|gorgeous"),
    _a("authenticity", "authenticity", "keaslian",
       "original|ori|asli|palsu|kw|fake|genuine|authentic|counterfeit|knock off|knockoff"),
    _a("completeness", "completeness", "kelengkapan",
       "lengkap|kelengkapan|missing|incomplete|kurang satu|kurang 1|parts missing"),
)  # fmt: skip

BY_KEY: dict[str, Aspect] = {a.key: a for a in ASPECTS}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_REPEAT = re.compile(r"([a-z])\1{2,}")
_INFORMAL = {"brg": "barang", "brgnya": "barangnya", "pengirimanya": "pengirimannya", "sdh": "sudah"}


def normalise(text: str) -> str:
    """Lower case, words glued by a lost line break split (``cepatProduk``), letters repeated
    for emphasis collapsed (``mantappp`` → ``mantap``), a few informal spellings expanded."""
    text = _CAMEL.sub(" ", unicodedata.normalize("NFKC", text)).lower().replace("’", "'")
    text = _REPEAT.sub(r"\1", text)
    return re.sub(r"[a-z]+", lambda m: _INFORMAL.get(m.group(0), m.group(0)), text)


def _pattern(term: str) -> str:
    parts = [re.escape(word).replace(r"\*", r"\w*") for word in term.split()]
    return r"\s+".join(parts)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[Aspect, re.Pattern[str]], ...]:
    return tuple(
        (a, re.compile(r"(?<![\w'])(?:" + "|".join(_pattern(t) for t in a.terms) + r")(?![\w'])"))
        for a in ASPECTS
    )


def aspects_in(text: str) -> tuple[Aspect, ...]:
    """The aspects that ``text`` (one clause or sentence) talks about, in lexicon order."""
    normal = normalise(text)
    return tuple(a for a, pattern in _compiled() if pattern.search(normal))
