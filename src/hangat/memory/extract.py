"""Finding lasting facts about a person in what they write, in English and Indonesian.

"ukuran sepatu aku 39", "my mother has arthritis, needs easy-open lids", "ibu ulang tahun 12 Mei",
"please keep answers short": each becomes a :class:`Found` with a kind (``hangat.domain.memory``),
who it is about, and the exact span of the message that carries the value.

Written by hand because no library extracts *personal* facts (as opposed to named entities) from
informal Indonesian chat: spaCy and stanza have no Indonesian models on PyPI that know "gue" or
"yg", and a fact is more than an entity ("39" is a fact only after "ukuran sepatu aku"). The rules
are a list of patterns per kind over one clause at a time, with three guards that matter more than
the patterns: a question states nothing ("apakah aman untuk penderita diabetes?"), a hypothetical
states nothing ("kalau misalnya aku alergi…"), and a one-off search is not a fact about the person
("cari sepatu ukuran 42").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FLAGS = re.IGNORECASE

# -- who a clause is about ------------------------------------------------------------------------

_SELF = r"(?:i|i'm|im|i am|i've|me|my|we|we're|our|us|saya|sy|aku|aq|gue|gw|gua|ane|kami)"
_KIN_EN = (
    r"(?:mother|mom|mum|mama|father|dad|papa|wife|husband|son|daughter|kids?|children|baby|"
    r"grandma|grandmother|grandpa|grandfather|sister|brother|partner|girlfriend|boyfriend|"
    r"mother-in-law|father-in-law|aunt|uncle|niece|nephew|boss|friend)"
)
_KIN_ID = (
    r"(?:ibu|ibuk|mama|mamah|mamak|bunda|emak|ayah|bapak|papa|papah|suami|istri|anak|bayi|"
    r"nenek|kakek|eyang|adik|adek|kakak|kak|mertua|pacar|tante|om|keponakan|ponakan|bos)"
)
_PERSON = re.compile(
    rf"\b(?:my|our)\s+(?:(?:\d+[- ]year[- ]old|little|baby|elderly|older|younger)\s+)?(?P<en>{_KIN_EN})\b"
    rf"|\b(?P<id>{_KIN_ID})(?:\s*(?:saya|sy|aku|ku|gue|gw|kami|kita)\b|ku\b|nya\b)",
    _FLAGS,
)
_SELF_WORD = re.compile(rf"\b{_SELF}\b", _FLAGS)

# -- guards ---------------------------------------------------------------------------------------

_HYPOTHETICAL = re.compile(
    r"\b(?:kalau misal(?:nya)?|misal(?:kan|nya)?|seandainya|andaikan|if i were|if i was|"
    r"what if|suppose|in case|jika saya|kalau aku|kalo aku|kalau saya|kalo gue)\b",
    _FLAGS,
)
_QUESTION_START = re.compile(
    r"^\s*(?:apakah|apa|apa ada|ada ga|ada gak|ada nggak|bisa|bisakah|boleh|is|are|does|do|can|could|"
    r"will|would|should|which|what|how|where|when|who|gimana|bagaimana|berapa|kapan|mana|yang mana)\b",
    _FLAGS,
)
_ABOUT_OTHERS = re.compile(
    r"\b(?:penderita|pengidap|for (?:people|someone|those) with|for diabetics|suitable for|aman untuk|"
    r"aman buat|cocok untuk|cocok buat|untuk orang|buat orang)\b",
    _FLAGS,
)
_SEARCH = re.compile(
    r"^\s*(?:cari|nyari|carikan|cariin|mau cari|lagi cari|lagi nyari|show me|find me|looking for|"
    r"i'?m looking for|search|tunjukin|ada|recommend|rekomendasi|rekomendasiin|minta)\b",
    _FLAGS,
)
_NEGATED_SELF = re.compile(r"\b(?:i'?m not|i am not|bukan|saya bukan|aku bukan)\b", _FLAGS)


@dataclass(frozen=True)
class Found:
    """One fact found in a message: ``start``/``end`` are the value's span in the whole text."""

    kind: str
    subject: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    personal: bool = True  # needs the clause to be about the shopper or someone named
    in_search: bool = False  # also counts inside a search request


def _r(kind: str, pattern: str, personal: bool = True, in_search: bool = False) -> _Rule:
    return _Rule(kind, re.compile(pattern, _FLAGS), personal, in_search)


# fmt: off
_V = r"(?P<v>[\w'&.+-]+(?:\s+[\w'&.+-]+){0,2}?)"  # a value of one to three words
_END = (
    r"(?=\s*(?:[,.;!?)]|$|\b(?:and|but|so|because|every|each|for|from|if|dan|tapi|jadi|soalnya|karena|krn|yg|"
    r"yang|ya|kak|dong|sih|tiap|setiap|buat|untuk|kalau|kalo|di|ke|dari|over|than|instead|daripada|dibanding)\b))"
)
_SIZE_VALUE = r"(?P<v>\d{1,2}(?:[.,]5)?|x{0,3}[sl]|m|\d?xl|xxs|all ?size|\d{2}[a-e]|eu ?\d{2}|us ?\d{1,2})\b"
_DIET = r"(?P<v>halal|vegetarian|vegan|pescatarian|kosher|keto|plant-based)"
_HEALTH = (
    r"(?P<v>diabetes|diabetic|diabetesnya|kencing manis|gula darah tinggi|arthritis|rheumatoid arthritis|"
    r"radang sendi|rematik|reumatik|asam urat|gout|hipertensi|hypertension|darah tinggi|high blood pressure|"
    r"kolesterol(?: tinggi)?|high cholesterol|asma|asthma|eksim|eczema|dermatitis|psoriasis|celiac|coeliac|"
    r"maag|gerd|asam lambung|acid reflux|migrain|migraine|epilepsi|epilepsy|stroke|parkinson|alzheimer|"
    r"dementia|demensia|autis|autism|autistic|adhd|hamil|pregnant|mengandung|menyusui|breastfeeding|"
    r"tunanetra|tuna netra|insomnia|anemia|anemic|kanker|cancer|jantung|heart condition|ginjal|kidney disease|"
    r"osteoporosis|vertigo|sinusitis|(?:lactose|gluten) intoleran(?:t|ce)|intoleransi (?:laktosa|gluten)|"
    r"alergi\s+\w+(?:\s+\w+)?|allerg(?:ic|y) to\s+\w+(?:\s+\w+)?|\w+ allergy)"
)
_NEED_TERMS = (
    r"(?P<v>easy[- ]open(?: \w+)?|mudah dibuka|gampang dibuka|gluten[- ]free|sugar[- ]free|bebas gula|"
    r"tanpa gula|rendah gula|low[- ]sugar|rendah (?:garam|natrium|lemak|purin|kalori)|low[- ](?:sodium|salt|fat|purine)|"
    r"tinggi purin|(?:makanan|food)\s+tinggi purin|lactose[- ]free|bebas laktosa|fragrance[- ]free|unscented|tanpa pewangi|tanpa parfum|"
    r"hypoallergenic|hipoalergenik|non[- ]slip|anti ?slip|anti licin|wide[- ]fit|big buttons?|tombol besar|"
    r"large print|ringan|lightweight|no oven|gak ada oven|ga ada oven|tidak ada oven|gak ada kulkas|"
    r"ga ada kulkas|tidak punya kulkas|no fridge|small kitchen|dapur\s+(?:saya\s+|aku\s+|kami\s+)?(?:kecil|sempit)|"
    r"alcohol[- ]free|tanpa alkohol|bebas alkohol|non[- ]alkohol|pork[- ]free|tanpa babi|bpa[- ]free|"
    r"studio apartment|small apartment|apartemen kecil|rumah kecil|no car|gak punya mobil|ga punya mobil|"
    r"no microwave|gak ada microwave|ga ada microwave|tidak ada microwave|no dishwasher)"
)
_ACCESS = (
    r"(?P<v>screen ?reader|pembaca layar|voiceover|talkback|low vision|"
    r"penglihatan\s+(?:saya\s+|aku\s+|nya\s+)?(?:sudah\s+|mulai\s+)?(?:kurang|lemah|buruk|terbatas|buram)\w*|"
    r"(?:tidak|gak|ga|nggak|kurang|belum) (?:terbiasa|biasa|lancar|familiar) (?:pakai|pake|menggunakan|main) "
    r"(?:hp|handphone|smartphone|aplikasi|internet)|"
    r"mata\s+(?:saya|aku|sy|gue|nya)?\s*(?:sudah\s+)?(?:rabun|lemah|kurang\s+\w+|minus\s+\w+|buram)|"
    r"colou?r[- ]?blind|buta warna|hard of hearing|hearing aid|alat bantu dengar|"
    r"(?:susah|kurang|sulit) (?:dengar|mendengar|melihat|lihat)|tuli|deaf|blind|"
    r"(?:not|n't) (?:very )?(?:good|great) with (?:phones?|tech\w*|computers?|apps?)|gaptek|"
    r"(?:gak|nggak|ga|kurang|tidak) (?:ngerti|paham|bisa pakai|bisa pake) (?:hp|teknologi|aplikasi|internet)|"
    r"large text|big text|bigger text|(?:tulisan|huruf|font)\s+(?:yang\s+)?(?:besar|gede|lebih besar)|"
    r"one[- ]hand(?:ed)?|satu tangan|wheelchair|kursi roda|tangan\w*\s+(?:\w+\s+)?(?:lemah|gemetar|kaku)|"
    r"tremor|walker|tongkat|dyslexi[ac]|disleksia)"
)
_STYLE = (
    r"(?P<v>short(?:er)? (?:answers?|replies|and sweet)|keep (?:it|them|answers|replies) (?:short|brief|simple)|"
    r"to the point|straight to the point|langsung aja|langsung ke intinya|singkat(?: aja| saja)?|"
    r"(?:jawab(?:an|nya)?\s+)?(?:yang\s+)?(?:pendek|singkat)(?: aja| saja)?|plain (?:language|english|words)|"
    r"simple (?:words|language|english)|bahasa (?:santai|formal|baku|sederhana|yang simpel|simpel|inggris|indonesia)|"
    r"no jargon|without jargon|explain (?:it |things )?simply|(?:in )?simple terms|casual is fine|"
    r"(?:talk|speak|write) to me casually|informal(?:ly)? (?:is fine|please)|"
    r"(?:no need to|don't) be (?:so )?formal|(?:be|stay) formal|formal(?:ly)? please|santai aja|"
    r"gak usah formal|ga usah formal|nggak usah formal|tidak usah formal|in english|pakai english|"
    r"(?:panggil|call)\s+(?:aku|saya|gue|me)\s+\w+(?: aja)?|jangan panggil\s+\w+(?:\s+\w+)?|"
    r"no emojis?|tanpa emoji|straight answers|direct answers|no small talk|jangan pakai emoji|address me formally|(?:speak|talk|write) to me formally)"
)

_RULES: tuple[_Rule, ...] = (
    # size: "ukuran sepatu aku 39", "I wear size 8", "baju saya XL", "my son wears a 32"
    _r(
        "size",
        rf"\bukuran\s+(?:sepatu|baju|celana|kaos|kaki|cincin|bra|kemeja|sendal|sandal)?\s*"
        rf"(?:saya|sy|aku|ku|gue|gw|nya|dia|anak\w*)\s+(?:itu\s+|biasanya\s+|selalu\s+|adalah\s+)?"
        rf"(?:size\s+|uk\s+)?{_SIZE_VALUE}",
    ),
    _r(
        "size",
        rf"\b(?:sepatu|baju|celana|kaos|kaki|kemeja|cincin)\s*(?:saya|sy|aku|ku|gue|gw|nya)\s+"
        rf"(?:itu\s+|biasanya\s+|selalu\s+)?(?:ukuran|size|uk|no|nomor)?\s*{_SIZE_VALUE}",
    ),
    _r(
        "size",
        rf"\b(?:pakai|pake|make|biasa pakai|biasa pake|selalu pakai|selalu pake)\s+"
        rf"(?:ukuran|size|uk|nomor|no)\s+{_SIZE_VALUE}",
    ),
    _r(
        "size",
        rf"\b(?:i|he|she|they)\s+(?:usually\s+|always\s+|normally\s+)?(?:wear|wears|take|takes)\s+"
        rf"(?:a\s+|an\s+)?(?:size\s+|us\s+|eu\s+)?{_SIZE_VALUE}",
    ),
    _r(
        "size",
        rf"\b(?:my|his|her|our)\s+(?:\w+\s+)?(?:shoe|dress|shirt|ring|pants?|jeans|bra|clothes|t-shirt)?"
        rf"\s*size\s+is\s+(?:a\s+|us\s+|eu\s+)?{_SIZE_VALUE}",
    ),
    _r("size", rf"\b(?:i'?m|i am|he'?s|she'?s|he is|she is)\s+(?:a\s+)?size\s+{_SIZE_VALUE}"),
    _r("size", rf"\b(?:ring|shoe|dress|shirt|pants|jeans|bra)\s+size\s+is\s+{_SIZE_VALUE}", personal=False),
    _r(
        "size",
        rf"\bsize\b[^.?!]*?,\s*{_SIZE_VALUE}\s+(?:for|buat|untuk)\s+(?:my|\w+\s+(?:saya|aku))\b",
        personal=False,
    ),
    _r(
        "size",
        r"\b(?:usually|always|normally|biasanya)\s+(?:a\s+|an\s+)?"
        r"(?P<v>small|medium|large|extra large|x{0,3}[sl]|m|\d?xl)\s+(?:in|for|kalau|untuk)\s+\w+",
    ),
    _r("size", rf"\b(?:saya|sy|aku|ku|gue|gw|nya)\s+(?:pakai\s+|pake\s+)?(?:size|ukuran|uk)\s+{_SIZE_VALUE}"),
    _r("size", rf"\b(?:wears|wear)\s+(?:a\s+)?size\s+{_SIZE_VALUE}"),
    _r(
        "size",
        rf"\b(?:size|ukuran|uk)\s+\w+\s*,\s*(?:kalau|kalo|for|untuk|buat)\s+(?:\w+\s+)?(?:ukuran|size|uk)\s+"
        rf"{_SIZE_VALUE}",
        personal=False,
    ),
    _r("size", rf"\b(?:my|his|her)\s+(?:feet|foot)\s+(?:are|is)\s+(?:a\s+)?(?:size\s+)?{_SIZE_VALUE}"),
    _r("size", rf"\b(?:nomor|no\.?)\s+sepatu\s*(?:saya|sy|aku|ku|gue|nya)?\s+(?:itu\s+)?{_SIZE_VALUE}"),
    _r(
        "size",
        r"\b(?:i'?m|i am|aku|saya)\s+(?:a\s+)?(?:us\s+|eu\s+|uk\s+)?(?P<v>\d{2})\s+in\s+"
        r"(?:eu|us|uk|shoes|sneakers|sepatu)\b",
    ),
    _r(
        "size",
        r"\b(?:dia|he|she)\s+(?:pakai\s+|pake\s+|wears?\s+)?(?P<v>x{0,3}[sl]|m|\d?xl)\b"
        r"(?=\s*(?:[,.;!]|$))",
        personal=False,
    ),
    _r(
        "size",
        rf"\b(?:wears|wear|pakai|pake)\s+(?:a\s+)?(?:size\s+)?(?P<x>{_SIZE_VALUE[5:-3]})\s+(?:in|for)\s+"
        r"(?:shoes|dresses|shirts|tops|pants|jeans)\b".replace("(?P<x>", "(?P<v>"),
    ),
    # preference
    _r(
        "preference",
        rf"\b(?:i|we)\s+(?:always|usually|only|normally|mostly)\s+(?:buy|use|get|drink|eat|"
        rf"go for|pick|choose|wear|order)\s+{_V}{_END}",
    ),
    _r(
        "preference",
        rf"\b(?:i|we)\s+(?:really\s+|absolutely\s+)?(?:love|prefer|adore|like)\s+"
        rf"(?!(?:to|it|this|that|the one|them)\b){_V}{_END}",
    ),
    _r("preference", rf"\b(?:lebih|paling)\s+suka\s+(?:yang\s+|yg\s+)?{_V}{_END}", personal=False),
    _r(
        "preference",
        rf"\b(?:who'?s|who is|she'?s|he'?s)\s+(?:totally\s+|so\s+)?obsessed with\s+(?:anything\s+)?"
        rf"{_V}{_END}",
        personal=False,
    ),
    _r(
        "preference",
        rf"\b(?:he|she|they|dia)\s+(?:really\s+|just\s+|lagi\s+|masih\s+|paling\s+|sangat\s+)?"
        rf"(?:loves?|likes?|adores?|suka|demen)\s+"
        rf"(?:anything\s+|everything\s+|semua yang\s+)?{_V}{_END}",
        personal=False,
    ),
    _r(
        "preference",
        r"\b(?:he|she|they)(?:'?s|'re| is| are)\s+(?:a\s+)?(?:huge|big|total|massive|real)?\s*"
        r"(?P<v>[\w-]+)\s+(?:nerd|fan|lover|addict|enthusiast|freak)\b",
        personal=False,
    ),
    _r("preference", rf"\b(?:super|really|very|totally|lagi)\s+into\s+{_V}{_END}", personal=False),
    _r("preference", rf"(?:^|,\s*|\band\s+|\bdan\s+)(?:lebih\s+)?prefer\s+{_V}{_END}", personal=False),
    _r(
        "preference",
        rf"\b(?:i'?m|i am|aku|saya|gue)\s+(?:totally\s+|so\s+)?(?:obsessed with|addicted to|hooked on|"
        rf"pecinta|penggemar|tim|team|fans)\s+{_V}{_END}",
    ),
    _r(
        "preference",
        rf"\b(?:can'?t live without|go-to is|andalan (?:aku|saya|gue) (?:itu\s+)?)\s*{_V}{_END}",
        personal=False,
    ),
    _r("preference", rf"\bmy\s+fav(?:ou?rite)?\s+(?:\w+\s+)?(?:is|are)\s+{_V}{_END}"),
    _r("preference", rf"\bmy\s+go-?to\s+(?:\w+\s+)?(?:is|are)\s+{_V}{_END}"),
    _r("preference", r"^\s*(?P<v>[\w'&.+-]+(?:\s+[\w'&.+-]+){0,2}?)\s+(?:is|are)\s+my\s+(?:absolute\s+)?"
                     r"(?:fav(?:ou?rite)?|go-?to)\b"),
    _r("preference", rf"\b(?:big\s+)?fan of\s+{_V}{_END}"),
    _r(
        "preference",
        rf"\b(?:saya|sy|aku|gue|gw|kami|ane)\s+(?:paling\s+|lebih\s+|sangat\s+|suka\s+banget\s+)?"
        rf"(?:suka|senang|seneng|demen|doyan|prefer|cinta)\s+(?:banget\s+|sama\s+|dengan\s+)?"
        rf"(?!(?:yang|yg|sama|banget|kalau|kalo)\b){_V}{_END}",
    ),
    _r(
        "preference",
        rf"\b(?:saya|sy|aku|gue|gw|kami)\s+(?:selalu|biasa|biasanya|cuma|hanya|langganan)\s+"
        rf"(?:(?:beli|pakai|pake|minum|makan|order|pesen|pesan)\b)?\s*{_V}{_END}",
    ),
    _r(
        "preference",
        rf"\b(?:favorit|favorite|fav)\s*(?:saya|sy|aku|gue|gw|ku)\s+(?:itu\s+|adalah\s+)?{_V}{_END}",
    ),
    _r("preference", rf"\bwarna\s+(?:favorit|kesukaan)\s*(?:saya|sy|aku|gue|ku)?\s+(?:itu\s+)?{_V}{_END}"),
    # dislike
    _r(
        "dislike",
        rf"\b(?:i|we)\s+(?:really\s+|absolutely\s+)?(?:hate|dislike|can'?t stand|don'?t like|"
        rf"do not like|avoid|never buy|never use|never eat)\s+(?:the\s+(?:smell|taste|texture|feel|sound) of\s+)?"
        rf"{_V}{_END}",
    ),
    _r("dislike", rf"\bnot a (?:big )?fan of\s+{_V}{_END}"),
    _r("dislike", rf"\b(?:no|nothing)\s+{_V}\s+for me\b", personal=False),
    _r(
        "dislike",
        rf"\b(?:saya|sy|aku|gue|gw)\s+(?:gak|ga|nggak|tidak|ndak|gk|anti)\s*(?:pernah\s+)?"
        rf"(?:mau|pakai|pake|beli|makan|minum)\s+(?:yang\s+|yg\s+)?{_V}{_END}",
    ),
    _r(
        "dislike",
        rf"\b(?:i|we)\s+(?:always\s+)?(?:avoid|hate|don'?t want)\s+(?:anything|products?|stuff|food)\s+"
        rf"(?:with|containing|that has|made with)\s+{_V}{_END}",
    ),
    _r(
        "dislike",
        r"\b(?:yg|yang)\s+(?P<v>[\w-]+(?:\s+[\w-]+)?)\s+(?:bikin|bikinan|membuat)\s+(?:aku\s+|saya\s+)?"
        r"(?:gerah|gatal|gatel|panas|pusing|mual|alergi|iritasi|jerawatan|breakout|bentol)\b",
        personal=False,
    ),
    _r(
        "dislike",
        r"\b(?P<v>[\w-]+(?:\s+[\w-]+)?)\s+(?:makes|make|gives|give)\s+me\s+(?:so\s+)?"
        r"(?:itchy|sweaty|sweat|itch|sick|nauseous|break out|headaches?|a headache|a rash)\b",
        personal=False,
    ),
    _r(
        "dislike",
        rf"\b(?:saya|sy|aku|gue|gw|kami)?\s*(?:gak|ga|nggak|ngga|enggak|tidak|tdk|ndak|kurang|gk)\s+"
        rf"(?:suka|doyan|demen|tahan|kuat|cocok)\s+(?:sama\s+|dengan\s+|pakai\s+|pake\s+)?"
        rf"(?:(?:produk|barang|makanan|minuman)\s+)?(?:(?:yang|yg)\s+(?:ada\s+|mengandung\s+|pakai\s+|pake\s+)?)?"
        rf"{_V}{_END}",
        personal=False,
    ),
    _r("dislike", rf"\b(?:saya|sy|aku|gue|gw)\s+(?:benci|anti|alergi sama bau)\s+{_V}{_END}"),
    _r(
        "dislike",
        r"\b(?:no|without)\s+(?P<v>[\w-]+(?:\s+[\w-]+)?)\s*,?\s*(?:please\s*,?\s*)?ever\b",
        personal=False,
    ),
    # constraint
    _r(
        "constraint",
        rf"\b(?:i'?m|i am|we'?re|we are|saya|sy|aku|gue|kami|keluarga kami)\s+"
        rf"(?:a\s+|strictly\s+|strict\s+|only\s+|cuma\s+|hanya\s+)?(?:makan\s+|eat\s+)?"
        rf"(?:yang\s+|yg\s+)?{_DIET}\b",
    ),
    _r(
        "constraint",
        rf"\b(?:only|just|cuma|hanya|harus|wajib)\s+(?:(?:eat|buy|makan|beli|konsumsi|mengonsumsi|"
        rf"memakan|membeli|pakai|pake|use)\s+)?(?:(?:produk|makanan|food|products|yang|yg)\s+)?"
        rf"{_DIET}\b",
    ),
    _r(
        "constraint",
        r"\b(?:never|gak pernah|ga pernah|tidak pernah|nggak pernah|gk pernah)\s+(?:spend\s+)?"
        r"(?:more than|lebih dari|di atas|diatas|over|above)\s+(?P<v>(?:rp\.?\s*)?\d+(?:[.,]\d+)*\s*(?:k|rb|ribu|jt|juta|dollars?|bucks)?|\$\d+(?:[.,]\d+)*)",
    ),
    _r(
        "constraint",
        r"\bon a (?:tight\s+)?budget\b[^.?!]*?\b(?:max|maks|maximum|maksimal|under|paling)\s+(?P<v>(?:rp\.?\s*)?\d+(?:[.,]\d+)*\s*(?:k|rb|ribu|jt|juta|dollars?|bucks)?|\$\d+(?:[.,]\d+)*)",
        personal=False,
    ),
    _r(
        "constraint",
        r"\b(?:i|we)\s+(?:don'?t|do not|never)\s+eat\s+(?P<v>pork|meat|beef|seafood|fish|eggs|dairy)\b",
    ),
    _r(
        "constraint",
        r"\b(?:gak|ga|nggak|tidak|ndak|gk)\s+(?:makan|konsumsi)\s+(?P<v>babi|daging|seafood|ikan|"
        r"telur|susu|sapi)\b",
    ),
    _r(
        "constraint",
        rf"\b(?:needs?|must be|has to be|have to be|harus|perlu|butuh|wajib|only|always)\s+"
        rf"(?:\w+\s+){{0,3}}?{_NEED_TERMS}",
        personal=False,
    ),
    _r(
        "constraint",
        rf"\b(?:tinggal di|live in|living in|ngekos di|aku|saya|sy|gue|i have a|we have a)\s+"
        rf"(?:[\w,]+\s+){{0,4}}?{_NEED_TERMS}",
    ),
    _r("constraint", rf"\b(?:jangan|hindari|avoid|no|tanpa|without)\s+(?:\w+\s+){{0,2}}?{_NEED_TERMS}"),
    _r("constraint", rf"^\s*{_NEED_TERMS}\b", personal=False),
    _r("constraint", r"\b(?:i|we)\s+never\s+spend\s+(?P<v>more than\s+\S+)"),
    _r(
        "constraint",
        r"\b(?:budget|bujet)\s+(?:saya|aku|gue|sy)\s+(?:selalu|biasanya|maksimal|max|paling)\s+"
        r"(?P<v>\S+(?:\s+(?:ribu|rb|k|jt|juta))?)",
    ),
    # health (special category)
    _r(
        "health",
        rf"\b(?:has|have|had|with|got|is|am|i'?m|'s|are|is\s+now|was diagnosed with|diagnosed with|"
        rf"suffers? from|recovering from|punya|kena|sakit|menderita|mengidap|ada|lagi|sedang|udah|sudah|divonis|"
        rf"pasca|post|habis|setelah)\s+"
        rf"(?:\w+\s+){{0,2}}?{_HEALTH}\b",
    ),
    _r(
        "health",
        rf"\b(?:saya|sy|aku|gue|gw|i'?m|my \w+|ibu\w*|mama\w*|suami\w*|istri\w*|anak\w*|ayah\w*|bapak\w*|"
        rf"nenek\w*|kakek\w*|mertua\w*|bayi\w*)\s+{_HEALTH}\b",
    ),
    # accessibility
    _r("accessibility", rf"\b{_ACCESS}"),
    # how to be spoken to
    _r("style", rf"\b{_STYLE}", personal=False),
    # household
    _r("household", r"\b(?:we'?re|we are)\s+(?P<v>a family of \w+|\w+ people)\b"),
    _r(
        "household",
        r"\b(?:i|we)\s+(?:have|'ve got|got)\s+(?P<v>(?:\d+|a|an|one|two|three|four|five|twin)\s+"
        r"(?:\w+\s+)?(?:kids?|children|sons?|daughters?|cats?|dogs?|babies|baby|toddlers?|kucing|anjing|anak|"
        r"puppy|puppies|kittens?|rabbits?|birds?|fish|grandkids|grandchildren|twins))\b",
    ),
    _r(
        "household",
        r"\b(?:punya|ada|pelihara|melihara|miara)\s+(?P<v>(?:\d+|satu|dua|tiga|empat|lima|seekor|"
        r"sepasang)\s*(?:ekor\s+)?(?:anak|kucing|anjing|bayi|balita|cucu|kelinci|burung|ikan|"
        r"anabul|meong))\b",
    ),
    _r(
        "household",
        r"\b(?:live alone|living alone|tinggal sendiri|tinggal sendirian|hidup sendiri|anak kos)\b".replace(
            r"\b(?:", r"\b(?P<v>"
        ),
    ),
    _r("household", r"\bmy\s+(?P<v>\d+[- ](?:year|month)[- ]old)\b"),
    _r(
        "household",
        r"\b(?:got|have|punya)\s+(?:a|an)\s+(?P<v>\d+[- ](?:year|month)[- ]old\s+(?:son|daughter|boy|girl|"
        r"baby|kid))\b",
        personal=False,
    ),
    _r(
        "household",
        r"\b(?:rumah|keluarga)\s+(?:kami|saya|aku|sy|gue)\s+(?:ada\s+)?(?P<v>\d+\s+orang)\b",
        personal=False,
    ),
    _r(
        "household",
        r"\banak\b[^.?!]*?\b(?:umur|usia)\s+(?P<v>\d+(?:\s*(?:sama|dan|&|,)\s*\d+)*\s*"
        r"(?:tahun|taun|thn|th|bulan|bln))\b",
        personal=False,
    ),
    _r(
        "household",
        r"\b(?:we'?ve got|we have|i have|i've got|punya)\s+(?P<v>twins|anak kembar|a newborn)\b",
        personal=False,
    ),
    _r(
        "household",
        r"\b(?:family of|keluarga)\s+(?P<v>(?:\d+|two|three|four|five|six|seven|eight)\b(?:\s+orang)?)",
    ),
    _r(
        "household",
        r"\b(?:kami|we are|we're)\s+(?P<v>ber(?:dua|tiga|empat|lima|enam|tujuh)|"
        r"(?:\d+|two|three|four|five|six)\s+(?:orang|people|of us))\b",
        personal=False,
    ),
    _r(
        "household",
        r"\b(?:punya|ada|have|got)\s+(?:a\s+|an\s+|seorang\s+)?(?P<v>(?:newborn|toddler|baby|bayi|"
        r"balita|anak kecil|cat|dog|kucing|anjing|puppy|kitten)(?:\s+\w+)?)\s+(?:di rumah|at home)\b",
        personal=False,
    ),
    _r(
        "household",
        r"\b(?P<v>(?:\d+|dua|tiga|empat|two|three|four)\s+(?:anak|kids|children|kucing|cats|dogs|anjing))\s+"
        r"(?:di rumah|at home|saya|aku|kami|of mine|of ours)\b",
        personal=False,
    ),
    _r(
        "household",
        r"\b(?:anak|kids|children|anak2|anak-anak)\s*(?:saya|sy|aku|ku|gue|kami|my)?\s+(?:ada\s+)?"
        r"(?P<v>(?:\d+|dua|tiga|empat|two|three|four))\b(?!\s*(?:tahun|taun|thn|bulan|years?|pcs|buah))",
    ),
    _r(
        "household",
        r"\b(?:my|our)\s+(?:kids|children|son|daughter|twins|boys|girls)\s+(?:are|is)\s+"
        r"(?P<v>\d+(?:\s*(?:and|&|,)\s*\d+)*)\b",
    ),
    _r("household", r"\b(?P<v>baru (?:lahiran|melahirkan)|just had a baby|new mom|new mum|ibu baru)\b"),
    _r(
        "household",
        r"\b(?:anak|anak2|anak-anak|bayi|balita)\s*(?:saya|sy|aku|ku|gue|gw|kami)\s+"
        r"(?:umur|usia|udah|sudah|baru|masih)?\s*(?P<v>\d+(?:\s*(?:sama|dan|&)\s*\d+)?\s*"
        r"(?:tahun|taun|thn|th|bulan|bln))\b",
    ),
    _r("household", r"\b(?:saya|aku|sy|gue|kami)\s+(?:punya|ada)\s+(?P<v>anak kembar|twins|bayi)\b"),
    # recipients and their occasions
    _r(
        "recipient",
        r"\b(?:turns\s+\d+|ulang tahun|ultah|ulangtahun|ulang taun|birthday|anniversary|anniversarynya|"
        r"hari jadi)[\w-]*\s+(?:\w+\s+){0,3}?(?:is\s+|on\s+|tanggal\s+|tgl\s+|pada\s+)?"
        r"(?P<v>\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?[a-z]+)?|next (?:week|month|year)|"
        r"bulan depan|minggu depan|tahun depan|(?:january|february|march|april|may|june|july|"
        r"august|september|october|november|december|januari|februari|maret|mei|juni|juli|"
        r"agustus|oktober|desember)(?:\s+\d{1,2}(?:st|nd|rd|th)?)?)\b",
    ),
    _r(
        "recipient",
        r"\b(?:every|each|setiap|tiap)\s+(?P<v>lebaran|idul fitri|natal|christmas|imlek|"
        r"chinese new year|diwali|ramadan|ramadhan|valentine'?s?|mother'?s day|hari ibu)\b",
    ),
    _r(
        "recipient",
        r"\b(?:buat|untuk|for)\s+(?:anak|my son|my daughter|cucu)\s*(?:saya|aku|sy|gue|ku)?\s+"
        r"(?:yang|yg|who is)?\s*(?:umur|usia|is)?\s*(?P<v>\d+\s*(?:tahun|taun|thn|years?|bulan))\b",
        in_search=True,
    ),
)

# fmt: on

# the more specific kinds claim a span first ("only eat halal meat" is a diet, not a taste)
_PRIORITY = ("health", "constraint", "size", "recipient", "household", "accessibility", "style", "dislike")
_ORDERED = tuple(
    sorted(_RULES, key=lambda r: _PRIORITY.index(r.kind) if r.kind in _PRIORITY else len(_PRIORITY))
)

# words a value never is
_STOP_VALUES = re.compile(
    r"^(?:it|this|that|them|one|ones|the|a|an|yang|yg|ini|itu|sama|banget|deh|dong|sih|juga|kok|aja|"
    r"to|with|you|your|kamu|kakak|produk|barang)$",
    _FLAGS,
)


def facts(text: str) -> list[Found]:
    """The lasting facts ``text`` states about the shopper or someone they shop for."""
    return list(_facts(text))


@lru_cache(maxsize=512)
def _facts(text: str) -> tuple[Found, ...]:
    """A turn reads a message twice (the policy, then the memory tools): the rules run once."""
    found: list[Found] = []
    for start, clause in _clauses(text):
        if _HYPOTHETICAL.search(clause) or _QUESTION_START.match(clause):
            continue
        asked = _questions(clause)
        searching = bool(_SEARCH.match(clause))
        for rule in _ORDERED:
            if searching and not rule.in_search:
                continue
            for m in rule.pattern.finditer(clause):
                if any(a <= m.start("v") < b for a, b in asked):
                    continue
                hit = _found(rule, m, clause, start, text)
                if hit is not None and hit.kind == "style" and any(f.kind == "style" for f in found):
                    continue  # one way of speaking per message: "santai aja, gak usah formal" is one wish
                if hit is not None and not any(_overlaps(hit, f) for f in found):
                    found.append(hit)
    return tuple(sorted(_with_needs(text, found), key=lambda f: f.start))


def _with_needs(text: str, found: list[Found]) -> list[Found]:
    """A health fact makes the needs said with it lasting too ("my mom is diabetic, so sugar-free")."""
    ill = [f for f in found if f.kind == "health"]
    if not ill:
        return found
    for m in re.finditer(_NEED_TERMS, text, _FLAGS):
        need = Found("constraint", ill[0].subject, m.group("v"), m.start("v"), m.end("v"))
        if not any(f.start < need.end and need.start < f.end for f in found):
            found.append(need)
    return found


def _found(rule: _Rule, m: re.Match[str], clause: str, offset: int, text_head: str) -> Found | None:
    value = m.group("v").strip(" ,.'")
    if not value or _STOP_VALUES.match(value.split()[0] if rule.kind in ("preference", "dislike") else value):
        return None
    start = offset + m.start("v") + (len(m.group("v")) - len(m.group("v").lstrip(" ,.'")))
    head = clause[: m.start()]
    if rule.kind in ("health", "constraint") and _ABOUT_OTHERS.search(head) and not _PERSON.search(head):
        return None
    if rule.kind == "constraint" and _NEGATED_SELF.search(clause[: m.end()]):
        return None
    subject = _subject(clause[: m.end("v")])
    if subject == "self" and not _SELF_WORD.search(clause[: m.end()]):
        subject = _subject(text_head[: offset + m.end("v")])
    if (
        rule.personal
        and subject == "self"
        and not _SELF_WORD.search(clause[: m.end()])
        and rule.kind
        not in (
            "recipient",
            "accessibility",
            "household",
        )
    ):
        return None
    if rule.kind == "household":
        subject = "household"
    return Found(rule.kind, subject, value, start, start + len(value))


def _subject(head: str) -> str:
    """The person the clause is about: the last named relative before the value, else the shopper."""
    people = list(_PERSON.finditer(head))
    if not people:
        bare = list(_BARE_KIN.finditer(head))  # "ibu ulang tahun 12 Mei": a relative, named alone
        if bare and not _SELF_WORD.search(head):
            return bare[-1].group(0).lower()
        return "self"
    m = people[-1]
    return re.sub(r"\s+", " ", m.group(0).lower()).strip()


_BARE_KIN = re.compile(
    r"\b(?:ibu|mama|bunda|ayah|bapak|papa|suami|istri|anak|nenek|kakek|mertua|adik|pacar|"
    r"mom|mum|dad|wife|husband|grandma|grandpa)\b",
    _FLAGS,
)


_CLAUSE_END = re.compile(r"(?<=[.!?;\n])\s+|\s*(?:,\s*)?\b(?:but|tapi|tetapi|namun)\b\s*", _FLAGS)


def _clauses(text: str) -> list[tuple[int, str]]:
    """Sentences (and halves of "but" sentences) with where each starts in ``text``."""
    out, start = [], 0
    for m in _CLAUSE_END.finditer(text):
        if m.start() > start:
            out.append((start, text[start : m.start()]))
        start = m.end()
    if start < len(text):
        out.append((start, text[start:]))
    return out


def _questions(clause: str) -> list[tuple[int, int]]:
    """The comma-separated parts of a clause that ask rather than tell."""
    parts, start = [], 0
    for m in re.finditer(r",\s*|$", clause):
        part = clause[start : m.start()]
        if part.rstrip().endswith("?") or _QUESTION_START.match(part):
            parts.append((start, m.start()))
        start = m.end()
        if m.end() == len(clause):
            break
    return parts


def _overlaps(a: Found, b: Found) -> bool:
    return a.start < b.end and b.start < a.end
