"""Clause polarity from a bilingual (English, informal Indonesian) lexicon with negation.

``score("pengiriman cepat")`` is positive, ``score("kurang bagus")``, ``score("gk sesuai")`` and
``score("not as good as I hoped")`` negative, ``score("gak rusak")`` and ``score("not bad")``
positive. A negator (``not``, ``n't``, ``tidak``, ``gak``, ``ga``, ``tdk``…) flips the polar
words of one sign among the next four (up to ``and``/``dan``/``but``/``tapi`` or punctuation);
``kurang`` ("not enough") turns a following positive word negative and is negative by itself
(``packing kurang``); ``too``/``terlalu`` before a word that is not positive is a complaint
(``too small``); ``gampang rusak`` ("breaks easily") is one complaint, not praise and complaint.
Measured on the PRDECT-ID reviews' sentiment labels in docs/reviews.md.
"""

from __future__ import annotations

import re
from typing import Literal

from hangat.reviews.aspects import normalise

POSITIVE = frozenset(
    """
    good great excellent love loved loves lovely perfect perfectly nice happy pleased satisfied
    recommend recommended recommends comfortable comfy sturdy durable easy easily fast quick quickly
    best better awesome amazing fine beautiful pretty cute works solid well fantastic wonderful superb
    outstanding impressed impressive reliable reasonable reasonably affordable decent soft smooth sharp
    stylish handy useful helpful worth bargain fabulous favorite favourite enjoy enjoyed accurate
    clean clear bright glad exactly snug sleek convenient friendly responsive genuine authentic
    bagus bgs baik mantap mantab mantul mantep puas memuaskan cepat cpt cepet kilat rapi rapih aman
    ramah sesuai rekomen rekomended recomended rekomendasi oke ok okey top suka cantik keren
    enak awet kuat kokoh tebal tebel lembut halus nyaman murah terjangkau berfungsi original ori asli
    mulus jos mantabs responsif amanah jujur wangi harum cocok lancar senang terbaik lucu adem empuk
    gampang mudah praktis sempurna terpercaya teliti sip lengkap selamat berkualitas jernih kencang
    terang tepat sukses elegan murmer gercep
    """.split()
)

NEGATIVE = frozenset(
    """
    bad poor poorly terrible awful horrible worst disappointed disappointing disappointment broke
    broken breaks cheaply flimsy defective damaged returned returning refund junk garbage waste
    useless problem problems issue issues fault faulty leak leaks leaked leaking slow uncomfortable
    tight loose difficult rough scratchy itchy annoying annoyed unfortunately sadly fail failed fails
    failure stopped missing wrong cracked dented scratched ripped torn tore overpriced pricey
    mediocre lacking lacks flawed apart late different complaint complaints complain chafing chaffing
    stinks smelly
    jelek jlek buruk rusak kecewa mengecewakan kecewain ngecewain lambat lama lelet telat terlambat
    lemot cacat pecah penyok peyok retak patah bocor kotor tipis palsu kw mahal murahan basi apek
    sobek robek lecet kapok parah payah zonk gagal mati hilang salah beda berbeda error eror macet
    susah sulit ribet kasar menerawang luntur berdebu berjamur kusam kusem nyesel menyesal rugi
    sampah bohong penipu tipu abal hancur lepas berisik kekecilan kebesaran sempit boros komplain
    lecek bekas pudar melempem mlempem keras masalah kendala
    """.split()
)

NEGATORS = frozenset(
    """
    not no never without hardly nothing neither nor dont doesnt didnt isnt wasnt arent werent wont
    cant couldnt wouldnt shouldnt tidak tdk gak ga gk g nggak ngga enggak engga tak bukan belum blm
    kagak kaga gaada tanpa ndak ora
    """.split()
)

_DIMINISHERS = frozenset({"kurang", "krg"})
_EXCESS = frozenset({"too", "terlalu", "kelewat"})
_EASILY = frozenset({"gampang", "mudah", "cepat", "cepet", "cpt", "easily", "quickly", "quick", "easy"})
_NEGATED_ONLY = frozenset(
    {"work", "working", "worked", "function", "functions", "nyala", "jalan"}
)  # "doesn't work"
_SIZES = frozenset({"small", "large", "big", "narrow", "short", "long", "tight", "wide"})
_SCOPE_ENDS = frozenset({"dan", "and", "or", "atau", "tapi", "tp", "but", "juga", "namun", "cuma", "cuman"})
_ATTACHED = ("nggak", "ngga", "gak", "tdk", "ga", "gk")
_ABBREVIATED = re.compile(r"\b(tdk|gk|tak|blm|krg)\.")  # "tdk.sesuai": an abbreviation, not a full stop
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.,;:!?]+")
WINDOW = 4

Sentiment = Literal["positive", "negative", "neutral"]


def tokens(text: str) -> list[str]:
    """The lower-cased words of ``text`` (normalised as the aspect lexicon normalises)."""
    return [w for w in _TOKEN.findall(normalise(text)) if w[0].isalnum()]


def word_value(word: str) -> int:
    """+1, -1 or 0 for one word; ``bagusnya``, ``mantapp`` and ``gaenak`` are understood."""
    for form in (word, word.removesuffix("nya"), word[:-1] if word[-2:-1] == word[-1:] else word):
        if form in POSITIVE:
            return 1
        if form in NEGATIVE:
            return -1
    for prefix in _ATTACHED:
        rest = word.removeprefix(prefix)
        if rest != word and len(rest) >= 3 and (rest in POSITIVE or rest in NEGATIVE):
            return -1 if rest in POSITIVE else 1
    return 0


def _is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith("n't")


def score(text: str) -> int:
    """The sum of the polar words of ``text``, negation applied: > 0 praise, < 0 complaint."""
    words = _TOKEN.findall(_ABBREVIATED.sub(r"\1 ", normalise(text)))
    total, left, diminish, flipped = 0, 0, False, 0
    for i, word in enumerate(words):
        if _is_negator(word) or word in _DIMINISHERS:
            total -= 1 if diminish and not flipped else 0  # an earlier ``kurang`` that qualified nothing
            left, diminish, flipped = WINDOW, word in _DIMINISHERS, 0
            continue
        if word in _SCOPE_ENDS or not word[0].isalnum():
            left = 0
        value = _value(words, i) or (1 if left and word in _NEGATED_ONLY else 0)
        if left:
            left -= 1
            if value and flipped in (0, value):  # "tidak berfungsi dengan baik": both flipped
                value, flipped = (-1 if diminish else -value), value
            elif value:
                left = 0
        total += value
    return total - (1 if diminish and not flipped else 0)


def _value(words: list[str], i: int) -> int:
    """One word's value in context: ``as well`` is neutral, ``tahan lama`` positive, ``hard to``,
    ``runs small``, ``too small`` and ``gampang rusak`` ("breaks easily") negative."""
    word, before = words[i], words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if word == "well" and before == "as":
        return 0
    if word == "lama" and before == "tahan":
        return 1
    if (word == "hard" and after == "to") or (word == "runs" and after in _SIZES):
        return -1
    if word in _EXCESS and after and word_value(after) <= 0:
        return -1
    if word in _EASILY and word_value(after) < 0:
        return 0
    return word_value(word)


def polarity(text: str, rating: int | None = None) -> Sentiment:
    """``"positive"``, ``"negative"`` or ``"neutral"`` for ``text``: see :func:`verdict`."""
    return verdict(score(text), rating)


def verdict(value: int, rating: int | None = None) -> Sentiment:
    """The lexicon's verdict (a :func:`score`), else the star rating's where it is clear
    (4–5 positive, 1–2 negative); a 3-star review's unmarked clause is neutral."""
    if value > 0:
        return "positive"
    if value < 0:
        return "negative"
    if rating is not None and rating >= 4:
        return "positive"
    if rating is not None and rating <= 2:
        return "negative"
    return "neutral"
