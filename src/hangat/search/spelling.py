"""Typo tolerance: a misspelt word ("keybaord", "kpoi", "tngan") read as the word it most likely is.

People on small phones, people who type fast and people who are not sure of the spelling write
"mau bli biji kpoi"; the store sells "kopi".

- **Known words stay**: the store's catalog words, hangat's own vocabulary (its training messages,
  informal forms and the Indonesian–English lexicon), common English or Indonesian words
  (``wordfreq``, word frequencies from large public corpora), and Indonesian words on a known root
  ("ngecas", "kadoin", "pesananku", "menyeduh" on *seduh*). So do numbers, codes with digits,
  addresses, capitalised words after the first (names and brands: "Sania", "THR") and words under
  three letters.
- **An unknown word** becomes the closest known word **one edit** away, found with SymSpell
  (``symspellpy``); a swap of two letters is one edit, and two edits are never made (they would
  turn "tersetrum" into "tersenyum"). A left-out letter or a swap, when one explains the word,
  always beats a wrong or an extra letter ("spatu" → "sepatu", not "satu"; "jedia" → the store's
  "jedai", not "media"); wrong or extra letters only ever lead to the store's or hangat's own words,
  and never for words of four letters or fewer or rare words the corpora have seen ("vlogging").
  Then a word that goes with its neighbour in hangat's own messages wins ("mau bli" → "mau beli",
  not "mau bali"), then the store's words, then the word more common in the message's language.
- **A real word the store lacks**, uncommon in the message's language and one left-out letter or
  swap from a store word, is read as the store's word ("bears" → "beras"); an English word in an
  English message never is.

Hand-written here is only that policy (what counts as known, which candidate wins); the lookup
and the word frequencies are the libraries'.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity
from wordfreq import top_n_list
from wordfreq import zipf_frequency as _wordfreq_zipf

from hangat.search.text import INFORMAL, STOP, normalize
from hangat.understand.language import detect_language

# A word this common (Zipf scale: 3 = once per million words) in either language is a real word.
KNOWN_ZIPF = {"en": 2.5, "id": 2.0}
GENERAL_WORDS = 30_000  # the most common words of each language that a typo may become
MIN_LENGTH = 3
ROOT_ZIPF = 3.0  # a root must be a common Indonesian word ("cas" in "ngecas")
STORE_SLIP_ZIPF = 3.5  # a real word rarer than this, one slip from a store word, is read as it
STORE_SLIP_USES = 1  # ... when at least this many catalog texts use the store's word
SHORT_WORD = 4  # up to this length only a left-out letter or a swap is corrected
STORE_BONUS = 1.5  # a store word beats a general word of up to 1.5 Zipf points more
OWN_BONUS = 1.0
# How likely each kind of slip is: a left-out letter or a swap, when one explains the word, always
# wins over a wrong or an extra letter ("jedia" → the store's "jedai", not "media").
SLIP_RANK = {"omitted": 0, "swapped": 0, "wrong": 1, "extra": 1, "two": 2}
CONTEXT_BONUS = 1.0  # the candidate follows or precedes its neighbour in hangat's own messages
_PREFIXES = ("nge", "ng", "di", "ke", "se", "ber", "ter", "me", "mem", "men", "meng", "peng", "pe", "per")
# meN- and peN- drop the root's first letter: "menyeduh" ← seduh, "memakai" ← pakai, "menulis" ←
# tulis, "mengirim" ← kirim.
_NASALS = (("meny", "s"), ("peny", "s"), ("mem", "p"), ("pem", "p"), ("men", "t"), ("pen", "t"),
           ("meng", "k"), ("peng", "k"))  # fmt: skip
_SUFFIXES = ("nya", "ku", "mu", "in", "an", "kan", "lah", "kah", "i")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_SKIP_AROUND = re.compile(r"\S*(?:@|://|www\.)\S*|\S*\d\S*")  # e-mail, links, codes and numbers


@lru_cache(maxsize=200_000)
def zipf_frequency(word: str, lang: str) -> float:
    """``wordfreq``'s Zipf frequency, remembered: every message asks about the same words again."""
    return float(_wordfreq_zipf(word, lang))


@dataclass(frozen=True)
class Spelling:
    """``text`` as read, and the words changed on the way (misspelt → read as)."""

    text: str
    fixes: tuple[tuple[str, str], ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.fixes)


class Speller:
    """Corrects unknown words towards the store's words (``store_words``: word → how often the
    catalog uses it) and common words of English and Indonesian."""

    def __init__(self, store_words: Counter[str] | None = None) -> None:
        self.store_words: Counter[str] = Counter(
            {w: n for w, n in (store_words or Counter()).items() if _WORD.fullmatch(w)}
        )
        self._store = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
        for word, count in self.store_words.items():
            self._store.create_dictionary_entry(word, count)

    @classmethod
    def for_texts(cls, texts: Iterable[str]) -> Speller:
        """A speller knowing the words of ``texts`` (a catalog's titles, brands and categories)."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(_WORD.findall(normalize(text)))
        return cls(counts)

    def known(self, word: str) -> bool:
        low = word.lower()
        return self._known(low) or any(self._known_root(root) for root in _roots(low))

    def _known_root(self, root: str) -> bool:
        """An Indonesian root: the store's, hangat's own, or common in Indonesian."""
        return root in self.store_words or root in _own_words() or zipf_frequency(root, "id") >= ROOT_ZIPF

    def _known(self, low: str) -> bool:
        return (
            low in self.store_words
            or low in _own_words()
            or any(zipf_frequency(low, lang) >= floor for lang, floor in KNOWN_ZIPF.items())
        )

    def correct(self, text: str) -> Spelling:
        """``text`` with each unknown word replaced by the word it most likely is."""
        fixes: list[tuple[str, str]] = []
        out: list[str] = []
        last = 0
        protected = [m.span() for m in _SKIP_AROUND.finditer(text)]
        found = list(_WORD.finditer(text))
        language = detect_language(text, default="mixed")
        for n, match in enumerate(found):
            start, end = match.span()
            word = match.group()
            if any(a <= start < b for a, b in protected) or len(word) < MIN_LENGTH or _acronym(word):
                continue
            if word[:1].isupper() and n > 0:
                continue  # "Sania" mid-sentence: a name or a brand, not a slip
            if self.known(word):
                better = self.store_slip(word.lower(), language)
            else:
                around = tuple(found[i].group().lower() for i in (n - 1, n + 1) if 0 <= i < len(found))
                better = self.suggest(word.lower(), language, around)
            if better is None:
                continue
            out.append(text[last:start])
            out.append(better)
            last = end
            fixes.append((word, better))
        if not fixes:
            return Spelling(text)
        out.append(text[last:])
        return Spelling("".join(out), tuple(fixes))

    def store_slip(self, word: str, language: str) -> str | None:
        """A real but uncommon word that the store does not use, one left-out letter or one swap from
        a word it does, read as the store's word ("bears" → "beras", "spon" → "spons"): a shopper
        here is far likelier to have slipped than to want what the store does not carry. Words
        common in the message's language (Zipf ≥ ``STORE_SLIP_ZIPF``) and the words of hangat's own
        messages stay."""
        if word in self.store_words or word in _message_words() or word in STOP:
            return None
        langs = (language,) if language in KNOWN_ZIPF else tuple(KNOWN_ZIPF)
        if max(zipf_frequency(word, lang) for lang in langs) >= STORE_SLIP_ZIPF:
            return None
        if language == "en" and zipf_frequency(word, "en") >= KNOWN_ZIPF["en"]:
            return None  # an English word in an English message ("midi dress", "tee")
        best: tuple[int, str] | None = None
        for s in self._store.lookup(word, Verbosity.CLOSEST, max_edit_distance=1):
            if (
                s.distance == 1
                and slip(word, s.term) in ("omitted", "swapped")
                and s.count >= STORE_SLIP_USES
            ) and (best is None or s.count > best[0]):
                best = (s.count, s.term)
        return best[1] if best else None

    def near_store_words(self, text: str) -> list[str]:
        """For each word of ``text`` the catalog does not use, the catalog's word one slip away, if
        any ("kaos kai" → "kaki", "spon" → "spons"): real words that are still typos for this
        store ("bears" for "beras"). Search adds them at a lower weight; it never replaces."""
        near = []
        for word in {w.lower() for w in _WORD.findall(text)}:
            if len(word) < MIN_LENGTH or word in self.store_words or word in STOP:
                continue
            best = None
            for s in self._store.lookup(word, Verbosity.CLOSEST, max_edit_distance=1):
                kind = slip(word, s.term)
                if s.distance == 0 or (len(word) <= SHORT_WORD and kind not in ("omitted", "swapped")):
                    continue
                if best is None or (SLIP_RANK[kind], -s.count) < best[0]:
                    best = ((SLIP_RANK[kind], -s.count), s.term)
            if best is not None:
                near.append(best[1])
        return sorted(near)

    def suggest(self, word: str, language: str = "mixed", around: tuple[str, ...] = ()) -> str | None:
        """The known word ``word`` most likely stands for, or ``None`` when none is close enough.
        ``language``: the message's (``en``, ``id`` or ``mixed``); ``around``: its neighbours."""
        found: dict[str, int] = {}
        for dictionary in (self._store, _general()):
            for s in dictionary.lookup(word, Verbosity.CLOSEST, max_edit_distance=1):
                found[s.term] = min(found.get(s.term, 2), s.distance)
        if not found:
            return None
        seen = any(zipf_frequency(word, lang) > 0 for lang in KNOWN_ZIPF)
        pairs = _own_pairs()
        scored = []
        for candidate in found:
            slip_kind = slip(word, candidate)
            common_slip = slip_kind in ("omitted", "swapped")
            if len(candidate) < MIN_LENGTH or (
                not common_slip and (len(word) <= SHORT_WORD or seen or not self._ours(candidate))
            ):
                continue  # a wrong or extra letter only towards the store's or hangat's own words
            context = any((a, candidate) in pairs or (candidate, a) in pairs for a in around)
            score = self._score(candidate, language) + CONTEXT_BONUS * context
            scored.append((-SLIP_RANK[slip_kind], score, candidate))
        return max(scored)[2] if scored else None

    def _ours(self, word: str) -> bool:
        return word in self.store_words or word in _own_words()

    def _score(self, word: str, language: str) -> float:
        langs = (language,) if language in KNOWN_ZIPF else tuple(KNOWN_ZIPF)
        general = max(zipf_frequency(word, lang) for lang in langs)
        return general + STORE_BONUS * (word in self.store_words) + OWN_BONUS * (word in _own_words())


def slip(typed: str, meant: str) -> str:
    """What went wrong typing ``meant`` as ``typed`` (one edit apart, else "two"): a letter
    ``omitted``, two letters ``swapped``, a ``wrong`` letter, or an ``extra`` one."""
    if len(meant) == len(typed) + 1 and any(meant[:i] + meant[i + 1 :] == typed for i in range(len(meant))):
        return "omitted"
    if len(typed) == len(meant) + 1 and any(typed[:i] + typed[i + 1 :] == meant for i in range(len(typed))):
        return "extra"
    if len(typed) == len(meant):
        diff = [i for i in range(len(typed)) if typed[i] != meant[i]]
        if len(diff) == 1:
            return "wrong"
        if len(diff) == 2 and diff[1] == diff[0] + 1 and typed[diff[0]] == meant[diff[1]] \
                and typed[diff[1]] == meant[diff[0]]:  # fmt: skip
            return "swapped"
    return "two"


def _acronym(word: str) -> bool:
    """ "THR", "UNO", "JR": capitals are names and acronyms, never typos."""
    return len(word) <= 6 and word.isupper()


def _roots(word: str) -> list[str]:
    """The roots an Indonesian word may be built on: "ngecas" → "cas", "pesananku" → "pesanan",
    and with the nasal's lost first letter restored: "menyeduh" → "seduh", "tersetrum" → "setrum"."""
    roots = []
    for prefix in ("", *_PREFIXES):
        if not word.startswith(prefix):
            continue
        stem = word[len(prefix) :]
        for suffix in ("", *_SUFFIXES):
            if (prefix or suffix) and stem.endswith(suffix):
                root = stem[: len(stem) - len(suffix)]
                if len(root) >= MIN_LENGTH and not (suffix and root.endswith(suffix[-1])):  # "suamii": a slip
                    roots.append(root)
    for nasal, first in _NASALS:
        if word.startswith(nasal) and len(word) > len(nasal) + 2:
            stem = first + word[len(nasal) :]
            roots += [stem] + [
                stem[: -len(x)] for x in _SUFFIXES if stem.endswith(x) and len(stem) - len(x) >= 3
            ]
    return roots


def _own_messages() -> list[list[str]]:
    """The words of each of hangat's shopping training messages."""
    messages = []
    data = resources.files("hangat.understand") / "data"
    for item in data.iterdir():
        if item.name.startswith("shopping_train") and item.name.endswith(".jsonl"):
            for line in item.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    messages.append(_WORD.findall(normalize(str(json.loads(line).get("text", "")))))
    return messages


@lru_cache(maxsize=1)
def _own_pairs() -> frozenset[tuple[str, str]]:
    """Neighbouring words of hangat's own messages ("mau beli", "jam tangan")."""
    return frozenset(pair for words in _own_messages() for pair in itertools.pairwise(words))


@lru_cache(maxsize=1)
def _message_words() -> frozenset[str]:
    """The words of hangat's own shopping messages and the informal forms it expands."""
    found: set[str] = set(INFORMAL) | set(INFORMAL.values())
    for words in _own_messages():
        found.update(words)
    return frozenset(found)


@lru_cache(maxsize=1)
def _own_words() -> frozenset[str]:
    """hangat's own vocabulary: the words of its shopping training messages, the informal forms it
    expands and the lexicon's Indonesian and English words."""
    found: set[str] = set(INFORMAL) | set(INFORMAL.values())
    for words in _own_messages():
        found.update(words)
    lexicon = resources.files("hangat.search") / "data" / "lexicon_id_en.tsv"
    found.update(_WORD.findall(normalize(lexicon.read_text(encoding="utf-8"))))
    return frozenset(w for w in found if len(w) >= MIN_LENGTH)


@lru_cache(maxsize=1)
def _general() -> SymSpell:
    """The common words of both languages and hangat's own, as correction targets (built once per
    process, about two seconds)."""
    speller = SymSpell(max_dictionary_edit_distance=1, prefix_length=7)
    words = set(_own_words())
    for lang in KNOWN_ZIPF:
        words.update(
            w for w in top_n_list(lang, GENERAL_WORDS) if _WORD.fullmatch(w) and len(w) >= MIN_LENGTH
        )
    for word in words:
        speller.create_dictionary_entry(word, 1)
    return speller
