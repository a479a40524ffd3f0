"""Calibrated warmth: the scripted-empathy check (and, later, the acknowledgment governor).

The phrase list is data (``dialogue/data/scripted_empathy.txt``), matched after folding case,
curly quotes and whitespace, so "We apologise  for any inconvenience!" is caught as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def fold_text(text: str) -> str:
    """Lower case, straight quotes, single spaces: the form phrases are matched in."""
    return re.sub(r"\s+", " ", text.translate(_QUOTES).lower()).strip()


@cache
def scripted_phrases() -> dict[str, tuple[str, ...]]:
    """The shipped phrase list by language (``"en"``, ``"id"``)."""
    text = (resources.files("hangat.dialogue") / "data" / "scripted_empathy.txt").read_text("utf-8")
    out: dict[str, list[str]] = {"en": [], "id": []}
    section = "en"
    for raw in text.splitlines():
        line = raw.strip()
        if line in ("# en", "# id"):
            section = line[2:]
        elif line and not line.startswith("#"):
            out[section].append(fold_text(line))
    return {k: tuple(v) for k, v in out.items()}


def scripted_phrases_in(text: str) -> list[str]:
    """Every scripted-empathy phrase (of either language) that ``text`` contains."""
    folded = fold_text(text)
    return [p for phrases in scripted_phrases().values() for p in phrases if p in folded]


# -- the acknowledgment governor ---------------------------------------------------------------

_COUNT = re.compile(
    r"\b(?P<en>second|third|fourth|fifth|2nd|3rd|4th|5th)\s+time\b|\bke-?(?P<id>dua|tiga|empat|lima|\d)(?:\s+kali|nya|\s+kalinya)?\b"
    r"|\b(?P<n>\d+|dua|tiga|empat|lima|two|three|four|five)\s*(?:x|kali|times)\b",
    re.IGNORECASE,
)
_COUNT_WORDS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
}
_ORDINAL = {
    "en": {2: "second", 3: "third", 4: "fourth", 5: "fifth"},
    "id": {2: "kedua", 3: "ketiga", 4: "keempat", 5: "kelima"},
}
_KIN = re.compile(
    r"\b(?:my|saya|aku|gue|gw)?\s*(?P<w>father|dad|mother|mum|mom|husband|wife|son|daughter|grandmother|"
    r"grandfather|grandma|grandpa|brother|sister|friend|ayah|bapak|papa|ibu|mama|suami|istri|anak|nenek|kakek|"
    r"kakak|adik|teman|sahabat)\b",
    re.IGNORECASE,
)
_KIN_ID = {
    "father": "ayah",
    "dad": "ayah",
    "mother": "ibu",
    "mum": "ibu",
    "mom": "ibu",
    "husband": "suami",
    "wife": "istri",
    "son": "anak",
    "daughter": "anak",
    "grandmother": "nenek",
    "grandma": "nenek",
    "grandfather": "kakek",
    "grandpa": "kakek",
    "brother": "saudara",
    "sister": "saudari",
    "friend": "teman",
}
_KIN_EN = {
    "ayah": "father",
    "bapak": "father",
    "papa": "father",
    "ibu": "mother",
    "mama": "mother",
    "suami": "husband",
    "istri": "wife",
    "anak": "child",
    "nenek": "grandmother",
    "kakek": "grandfather",
    "kakak": "sibling",
    "adik": "sibling",
    "teman": "friend",
    "sahabat": "friend",
}


def repeat_count(text: str) -> int | None:
    """ "this is the third time", "udah ketiga kalinya", "2x" → the count the shopper gave."""
    match = _COUNT.search(text)
    if not match:
        return None
    word = (match.group("en") or match.group("id") or match.group("n") or "").lower()
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word)


def acknowledgment(
    state: str,
    text: str,
    lang: str,
    facts: dict[str, object],
    stakes: tuple[str, ...],
    slots: Mapping[str, object] | None = None,
) -> str | None:
    """One short clause naming the specific thing the shopper said, or ``None`` when there is
    nothing specific to name (then the reply simply acts: no generic sympathy)."""
    from hangat.i18n import t

    count = repeat_count(text)
    late = facts.get("late_orders")
    if isinstance(late, int) and late >= 2:
        count = max(count or 0, late)
    if "bereavement" in stakes:
        kin = _KIN.search(text)
        if kin:
            word = kin.group("w").lower()
            person = _KIN_ID.get(word, word) if lang == "id" else _KIN_EN.get(word, word)
            return t(lang, "ack.loss_person", person=person)
        return t(lang, "ack.loss")
    if count and count >= 2 and state in ("frustration", "anxiety", "sadness"):
        order = _ORDINAL[lang].get(count, str(count))
        key = "ack.repeat_order" if facts.get("order") else "ack.repeat"
        return t(lang, key, ordinal=order, n=count)
    if state == "frustration" and facts.get("late"):
        return t(lang, "ack.late", order=facts.get("order", ""))
    slots = slots or {}
    if "health" in stakes:
        what = _symptom(text, lang)
        if what:
            return t(lang, "ack.health", what=what)
    if "vulnerability" in stakes and _PHONE.search(text):
        return t(lang, "ack.phone")
    if state == "confusion":
        product = slots.get("product")
        return t(lang, "ack.confusion_about", product=product) if product else t(lang, "ack.confusion")
    if state == "anxiety":
        thing = _occasion_of(slots, lang)
        return t(lang, "ack.anxiety_for", thing=thing) if thing else t(lang, "ack.anxiety")
    return None


_PHONE = re.compile(r"\b(phones?|smartphones?|hp|handphone|gadget|aplikasi|apps?)\b", re.IGNORECASE)
_SYMPTOMS = {
    "chest pain": ("chest pain", "nyeri dada"),
    "nyeri dada": ("chest pain", "nyeri dada"),
    "sakit dada": ("chest pain", "sakit dada"),
    "demam": ("fever", "demam"),
    "panas": ("fever", "demam"),
    "fever": ("fever", "demam"),
    "headache": ("headache", "sakit kepala"),
    "sakit kepala": ("headache", "sakit kepala"),
    "pusing": ("dizziness", "pusing"),
    "batuk": ("cough", "batuk"),
    "cough": ("cough", "batuk"),
    "sesak": ("shortness of breath", "sesak napas"),
    "short of breath": ("shortness of breath", "sesak napas"),
    "diare": ("diarrhoea", "diare"),
    "diarrhea": ("diarrhoea", "diare"),
    "muntah": ("vomiting", "muntah"),
    "vomiting": ("vomiting", "muntah"),
}
_CHILD = re.compile(r"\b(anak\w*|child|kid|son|daughter|baby|bayi|balita|toddler)\b", re.IGNORECASE)
_RECIPIENT_ID = {
    "mother": "ibu",
    "father": "ayah",
    "daughter": "putri",
    "son": "putra",
    "child": "anak",
    "wife": "istri",
    "husband": "suami",
    "friend": "teman",
    "grandmother": "nenek",
    "grandfather": "kakek",
    "boss": "atasan",
    "partner": "pasangan",
}
_OCCASION_ID = {
    "birthday": "Ulang tahun",
    "wedding": "Pernikahan",
    "anniversary": "Hari jadi",
    "graduation": "Wisuda",
    "lebaran": "Lebaran",
    "christmas": "Natal",
}


def _symptom(text: str, lang: str) -> str | None:
    low = text.lower()
    found = next((names for word, names in _SYMPTOMS.items() if re.search(rf"\b{word}\b", low)), None)
    if found is None:
        return None
    child = bool(_CHILD.search(low))
    if lang == "id":
        return f"{found[1].capitalize()} pada anak" if child else found[1].capitalize()
    return f"Your child's {found[0]}" if child else found[0].capitalize()


def _occasion_of(slots: Mapping[str, object], lang: str) -> str | None:
    occasion, recipient = slots.get("occasion"), slots.get("recipient")
    if not occasion:
        return None
    if lang == "id":
        name = _OCCASION_ID.get(str(occasion), str(occasion))
        return f"{name} {_RECIPIENT_ID.get(str(recipient), str(recipient))} Anda" if recipient else name
    return f"Your {recipient}'s {occasion}" if recipient else f"The {occasion}"
