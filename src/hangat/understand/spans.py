"""The product a shopper names and its attributes, found by a small CRF sequence tagger.

"mau cari sepatu lari warna hitam yg anti slip" → product "sepatu lari", attributes ["hitam",
"anti slip"]. What counts as the product and what as an attribute is a matter of word order and
context in two languages, which is what a linear-chain CRF (``python-crfsuite``, the C library
made for this) learns well from a thousand labelled messages; its model file is a few hundred KB
and tags a message in well under a millisecond.
"""

from __future__ import annotations

import functools
import re
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pycrfsuite

_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]", re.UNICODE)
_REQUEST = frozenset(
    """
    cari carikan nyari mencari ada punya jual sell have looking look find search need butuh mau
    pengen ingin want buy beli pesan order get show lihat liat rekomendasi recommend suggest
    saran tolong please dong kak min gan sis bro ya yah sih deh nih aja doang the a an some any
    for buat untuk utk yang yg with dengan dgn of and dan atau or di in to ke is are apa what which
    """.split()
)


class Example(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def slots(self) -> dict[str, object]: ...
    @property
    def now(self) -> str: ...


Spans = Sequence[tuple[int, int]]


def _ruled(toks: Sequence[tuple[str, int, int]], spans: Spans) -> list[bool]:
    """Which tokens the rules already read (money, dates, sizes, people…)."""
    return [any(a <= start < b for a, b in spans) for _, start, _ in toks]


def _rule_spans(example: Example) -> Spans:
    from datetime import date

    from hangat.understand.slots import extract

    try:
        now = date.fromisoformat(example.now)
    except ValueError:
        now = date(2026, 1, 1)
    return extract(example.text, now).spans


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    s = re.sub(r"[A-Z]", "A", word)
    s = re.sub(r"[a-z]", "a", s)
    s = re.sub(r"\d", "0", s)
    return re.sub(r"(.)\1+", r"\1", s)


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Words of the bundled Indonesian–English lexicon (mostly product and attribute words), and
    the ones that name colours, materials and qualities (attributes rather than products)."""
    from hangat.search.lexicon import bundled
    from hangat.understand.slots import COLOURS

    lexicon = bundled()
    words = set()
    for indonesian, english in lexicon.entries.items():
        words.update(indonesian.split())
        for e in english:
            words.update(e.split())
    colours = {w for ws in COLOURS.values() for w in ws}
    return frozenset(words - _REQUEST), frozenset(colours | _QUALITY)


_DETERMINERS = frozenset(
    "the a an my our some this that these those your his her their any more another si sang".split()
)
_QUALITY = frozenset(
    """
    murah cheap mahal expensive bagus good premium original ori asli halal organic organik vegan
    waterproof tahan anti wireless bluetooth portable lokal local import impor besar big kecil
    small mini jumbo tipis thin tebal thick lembut soft ringan light kuat strong pedas spicy manis
    sweet tawar plain sugar free gluten tanpa gula rendah low high tinggi baru new bekas used
    """.split()
)


def _features(words: Sequence[str], ruled: Sequence[bool]) -> list[dict[str, Any]]:
    low = [w.lower() for w in words]
    known, quality = _vocabulary()
    feats = []
    for i, w in enumerate(low):
        f: dict[str, Any] = {
            "bias": 1.0, "w": w, "suf3": w[-3:], "pre3": w[:3], "suf2": w[-2:], "shape": _shape(words[i]),
            "digit": w.isdigit(), "alpha": w.isalpha(), "req": w in _REQUEST, "rule": ruled[i],
            "first": i == 0, "last": i == len(low) - 1, "lex": w in known, "qual": w in quality,
            "long": len(w) > 3, "sing": w[:-1] if w.endswith("s") and len(w) > 3 else w,
            "sing_lex": (w[:-1] if w.endswith("s") else w) in known,
            "after_det": i > 0 and low[i - 1] in _DETERMINERS,
        }  # fmt: skip
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(low):
                f[f"{d}:w"] = low[j]
                f[f"{d}:req"] = low[j] in _REQUEST
                f[f"{d}:rule"] = ruled[j]
                f[f"{d}:lex"] = low[j] in known
                f[f"{d}:qual"] = low[j] in quality
            else:
                f[f"{d}:edge"] = True
        if i > 0:
            f["-1w|w"] = low[i - 1] + "|" + w
        feats.append(f)
    return feats


def _words(value: object) -> list[str]:
    return [t.lower() for t, _, _ in tokens(str(value))]


def base(word: str) -> str:
    """ "sepatunya" → "sepatu": the Indonesian "-nya" ("the …") is not part of the product's name."""
    return word[:-3] if word.endswith("nya") and len(word) > 5 else word


def _mark(labels: list[str], low: list[str], value: object, kind: str) -> None:
    want = [base(w) for w in _words(value)]
    if not want:
        return
    stems = [base(w) for w in low]
    for i in range(len(low) - len(want) + 1):
        if stems[i : i + len(want)] == want and all(x == "O" for x in labels[i : i + len(want)]):
            labels[i] = f"B-{kind}"
            for j in range(i + 1, i + len(want)):
                labels[j] = f"I-{kind}"
            return


def bio(example: Example) -> tuple[list[str], list[str]]:
    words = [t for t, _, _ in tokens(example.text)]
    low = [w.lower() for w in words]
    labels = ["O"] * len(words)
    if example.slots.get("product"):
        _mark(labels, low, example.slots["product"], "P")
    attrs = example.slots.get("attributes") or []
    for attr in attrs if isinstance(attrs, list) else [attrs]:
        _mark(labels, low, attr, "A")
    return words, labels


def train_tagger(examples: Sequence[Example], path: Path) -> dict[str, object]:
    trainer = pycrfsuite.Trainer(verbose=False)
    n = 0
    for ex in examples:
        words, labels = bio(ex)
        if words:
            trainer.append(_features(words, _ruled(tokens(ex.text), _rule_spans(ex))), labels)
            n += 1
    trainer.set_params({"c1": 0.05, "c2": 0.01, "max_iterations": 400, "feature.possible_transitions": True})
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))
    return {"examples": n}


class SpanTagger:
    """Loads a trained model file; ``find`` returns (product, attributes) from a message."""

    def __init__(self, path: Path) -> None:
        self._tagger = pycrfsuite.Tagger()
        # crfsuite opens by file name; a copy in a temp dir keeps package resources read-only-safe
        self._tmp = tempfile.TemporaryDirectory(prefix="hangat-tagger-")
        local = Path(self._tmp.name) / "tagger.crfsuite"
        local.write_bytes(path.read_bytes())
        self._tagger.open(str(local))
        self._lock = threading.Lock()  # a crfsuite tagger keeps its lattice between calls

    def find(self, text: str, ruled: Spans = ()) -> tuple[str | None, list[str]]:
        """``ruled``: character spans the rules already read (they are features, not products)."""
        toks = tokens(text[:1000])
        if not toks:
            return None, []
        words = [t for t, _, _ in toks]
        features = _features(words, _ruled(toks, ruled))
        with self._lock:
            labels = self._tagger.tag(features)
        spans: list[tuple[str, list[str]]] = []
        for word, label in zip(words, labels, strict=True):
            if label.startswith("B-") or (
                label.startswith("I-") and (not spans or spans[-1][0] != label[2:])
            ):
                spans.append((label[2:], [base(word.lower())]))
            elif label.startswith("I-"):
                spans[-1][1].append(base(word.lower()))
        products = [" ".join(ws) for kind, ws in spans if kind == "P"]
        attributes = [" ".join(ws) for kind, ws in spans if kind == "A"]
        product = max(products, key=len) if products else None
        return product, attributes
