"""``hangat eval understand``: emotion, intent/out-of-scope and the shopping set, each beside a
TF-IDF + logistic-regression baseline trained on the same training data in the same run.

Thresholds of both systems are tuned on a held-out part of the *training* data, never on the file
being measured. Tasks and metrics are those of the understanding issue (``docs/understand.md``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from hangat.errors import InputError
from hangat.eval.machine import describe
from hangat.eval.metrics import percentile
from hangat.understand import corpora
from hangat.understand.embedcache import BatchEmbedder, cached_embeddings
from hangat.understand.features import lexical_features
from hangat.understand.language import detect_language
from hangat.understand.training import INTENT_C, INTENT_DENSE_SCALE, ShoppingExample, shopping_examples
from hangat.understand.understander import Understander
from hangat.understand.understanding import EMOTIONS, INTENTS, STAKES

TASKS = ("emotion-en", "emotion-id", "intent-oos", "shopping")
GROUPS = ("en", "id-formal", "id-informal")
Say = Callable[[str], None]


class Baseline:
    """TF-IDF (word 1–2-grams, sublinear tf) + logistic regression; one-vs-rest with per-label
    thresholds tuned on 10% of the training data, or a softmax."""

    def __init__(self, labels: Sequence[str], softmax: bool, c: float = 10.0, seed: int = 7) -> None:
        self.labels = tuple(labels)
        self.softmax = softmax
        self.c = c
        self.seed = seed
        self.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), min_df=1)
        self.models: list[LogisticRegression | None] = []
        self.thresholds = np.full(len(labels), 0.5)

    def fit(self, texts: Sequence[str], y: np.ndarray) -> Baseline:
        x = self.vectorizer.fit_transform(texts)
        order = np.random.default_rng(self.seed).permutation(len(texts))
        cut = int(len(texts) * 0.9)
        a, b = order[:cut], order[cut:]
        if self.softmax:
            self.models = [LogisticRegression(C=self.c, max_iter=3000).fit(x[a], y[a])]
            return self
        self.models = []
        for j in range(len(self.labels)):
            col = y[a, j]
            self.models.append(None if col.min() == col.max() else
                               LogisticRegression(C=self.c, max_iter=3000).fit(x[a], col))  # fmt: skip
        probs = self._probs(x[b])
        for j in range(len(self.labels)):
            best_t, best_f = 0.5, -1.0
            for t in np.arange(0.05, 0.96, 0.05):
                f = f1_score(y[b, j], probs[:, j] >= t, zero_division=0)
                if f > best_f:
                    best_t, best_f = float(t), float(f)
            self.thresholds[j] = best_t
        return self

    def _probs(self, x: Any) -> np.ndarray:
        if self.softmax:
            model = self.models[0]
            assert model is not None
            out = np.zeros((x.shape[0], len(self.labels)))
            out[:, model.classes_.astype(int)] = model.predict_proba(x)
            return out
        cols = [np.zeros(x.shape[0]) if m is None else m.predict_proba(x)[:, 1] for m in self.models]
        return np.stack(cols, axis=1)

    def probs(self, texts: Sequence[str]) -> np.ndarray:
        return self._probs(self.vectorizer.transform(texts))


def _multilabel(probs: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    pred = probs >= thresholds
    empty = ~pred.any(axis=1)
    pred[empty, probs[empty].argmax(axis=1)] = True
    return pred


def _indicator(label_sets: Sequence[Sequence[str]], labels: Sequence[str]) -> np.ndarray:
    return np.array([[1 if name in s else 0 for name in labels] for s in label_sets])


# ---------------------------------------------------------------- emotion
def emotion_en(file: Path, data_dir: Path, understander: Understander, embedder: BatchEmbedder,
               cache: Path | None, say: Say) -> dict[str, Any]:  # fmt: skip
    test = corpora.goemotions(file)
    train = corpora.goemotions(data_dir / "emotion/goemotions/original/train.tsv")
    gold = _indicator([e.labels for e in test], EMOTIONS)
    say(f"baseline: TF-IDF + LR on {len(train):,} GoEmotions train comments")
    base = Baseline(EMOTIONS, softmax=False).fit(
        [e.text for e in train], _indicator([e.labels for e in train], EMOTIONS)
    )
    base_pred = _multilabel(base.probs([e.text for e in test]), base.thresholds)
    say(f"hangat: embedding {len(test):,} comments")
    dense = cached_embeddings([e.text for e in test], embedder, cache)
    head = understander.emotion_head
    ours = _multilabel(head.scores(dense, lexical_features([e.text for e in test])), head.thresholds)
    return {
        "n": len(test),
        "systems": {
            "hangat": {"macro_f1": round(float(f1_score(gold, ours, average="macro", zero_division=0)), 4)},
            "baseline": {
                "macro_f1": round(float(f1_score(gold, base_pred, average="macro", zero_division=0)), 4)
            },
        },
    }


def emotion_id(file: Path, data_dir: Path, understander: Understander, embedder: BatchEmbedder,
               cache: Path | None, say: Say) -> dict[str, Any]:  # fmt: skip
    test = corpora.emot(file)
    train = corpora.emot(data_dir / "emotion/indonlu-emot/train_preprocess.csv")
    gold = [e.labels[0] for e in test]
    present = sorted(set(gold))
    say(f"baseline: TF-IDF + LR on {len(train):,} EmoT train tweets")
    y = np.array([EMOTIONS.index(e.labels[0]) for e in train])
    base = Baseline(EMOTIONS, softmax=True).fit([e.text for e in train], y)
    base_pred = [EMOTIONS[j] for j in base.probs([e.text for e in test]).argmax(axis=1)]
    dense = cached_embeddings([e.text for e in test], embedder, cache)
    lexical = lexical_features([e.text for e in test])
    ours = []
    for i, e in enumerate(test):  # routed by the detected language, as in a conversation
        head = understander.emotion_head_for(detect_language(e.text, default="id"))
        ours.append(head.labels[int(head.scores(dense[i : i + 1], lexical[i]).argmax())])
    return {
        "n": len(test),
        "systems": {
            "hangat": {"macro_f1": round(float(f1_score(gold, ours, labels=present, average="macro")), 4)},
            "baseline": {
                "macro_f1": round(float(f1_score(gold, base_pred, labels=present, average="macro")), 4)
            },
        },
    }


# ---------------------------------------------------------------- intents and out-of-scope
def _oos_threshold(probs: np.ndarray, classes: np.ndarray, gold: np.ndarray) -> float:
    """The max-probability threshold with the best mean of in-scope accuracy and OOS recall."""
    best_t, best = 0.0, -1.0
    ins = gold != "out_of_scope"
    for t in np.arange(0.0, 0.95, 0.025):
        pred = np.where(probs.max(axis=1) >= t, classes[probs.argmax(axis=1)], "out_of_scope")
        score = ((pred[ins] == gold[ins]).mean() + (pred[~ins] == "out_of_scope").mean()) / 2
        if score > best:
            best_t, best = float(t), float(score)
    return best_t


def _oos_scores(probs: np.ndarray, classes: np.ndarray, gold: np.ndarray, t: float) -> dict[str, float]:
    pred = np.where(probs.max(axis=1) >= t, classes[probs.argmax(axis=1)], "out_of_scope")
    ins = gold != "out_of_scope"
    return {
        "in_scope_accuracy": round(float((pred[ins] == gold[ins]).mean()), 4),
        "oos_recall": round(float((pred[~ins] == "out_of_scope").mean()), 4),
        "threshold": round(t, 3),
    }


def intent_oos(
    file: Path, split: str, embedder: BatchEmbedder, cache: Path | None, say: Say
) -> dict[str, Any]:
    train = corpora.clinc(file, "train")
    test = corpora.clinc(file, split)
    ytr = np.array([e.labels[0] for e in train])
    yte = np.array([e.labels[0] for e in test])
    order = np.random.default_rng(7).permutation(len(train))
    cut = int(len(train) * 0.8)
    fit_idx, tune_idx = order[:cut], order[cut:]
    texts_tr = [e.text for e in train]
    texts_te = [e.text for e in test]
    results: dict[str, Any] = {}

    say("baseline: TF-IDF + LR on CLINC150 train")
    vec = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
    xtr = vec.fit_transform(texts_tr)
    model = LogisticRegression(C=10, max_iter=3000).fit(xtr[fit_idx], ytr[fit_idx])
    t = _oos_threshold(model.predict_proba(xtr[tune_idx]), model.classes_, ytr[tune_idx])
    results["baseline"] = _oos_scores(model.predict_proba(vec.transform(texts_te)), model.classes_, yte, t)

    say(f"hangat: embedding {len(train) + len(test):,} utterances")
    dense_tr = cached_embeddings(texts_tr, embedder, cache)
    dense_te = cached_embeddings(texts_te, embedder, cache)
    xtr2 = sparse.hstack(
        [sparse.csr_matrix(dense_tr * INTENT_DENSE_SCALE), lexical_features(texts_tr)]
    ).tocsr()
    xte2 = sparse.hstack(
        [sparse.csr_matrix(dense_te * INTENT_DENSE_SCALE), lexical_features(texts_te)]
    ).tocsr()
    say("hangat: fitting the intent head on CLINC150 train")
    model = LogisticRegression(C=INTENT_C, max_iter=3000).fit(xtr2[fit_idx], ytr[fit_idx])
    t = _oos_threshold(model.predict_proba(xtr2[tune_idx]), model.classes_, ytr[tune_idx])
    results["hangat"] = _oos_scores(model.predict_proba(xte2), model.classes_, yte, t)
    return {"n": len(test), "split": split, "systems": results}


# ---------------------------------------------------------------- the shopping set
_PUNCT = re.compile(r"[^\w\s]")


def _words(value: object) -> set[str]:
    return set(_PUNCT.sub(" ", str(value).lower()).split())


def _pairs(slots: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for name, value in slots.items():
        if name == "attributes":
            values = value if isinstance(value, list | tuple) else [value]
            out += [("attributes", v) for v in values]
        else:
            out.append((name, value))
    return out


def _same(name: str, a: Any, b: Any) -> bool:
    if name in ("product", "attributes"):
        wa, wb = _words(a), _words(b)
        return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return str(a).strip().lower() == str(b).strip().lower()


def slot_counts(gold: dict[str, Any], pred: dict[str, Any]) -> tuple[int, int, int]:
    """(true positives, predicted pairs, gold pairs); each gold pair is matched at most once."""
    g = _pairs(gold)
    used = [False] * len(g)
    tp = 0
    p = _pairs(pred)
    for name, value in p:
        for i, (gname, gvalue) in enumerate(g):
            if not used[i] and gname == name and _same(name, value, gvalue):
                used[i] = True
                tp += 1
                break
    return tp, len(p), len(g)


def _f1(tp: int, npred: int, ngold: int) -> float:
    if npred == 0 and ngold == 0:
        return 1.0
    return 2 * tp / (npred + ngold) if npred + ngold else 0.0


def _score(rows: Sequence[ShoppingExample], intents: Sequence[set[str]], emotions: Sequence[str],
           stakes: Sequence[set[str]], slots: Sequence[dict[str, Any]] | None) -> dict[str, Any]:  # fmt: skip
    n = len(rows)
    out: dict[str, Any] = {"n": n}
    out["intent_accuracy"] = round(
        sum(set(r.intents) == p for r, p in zip(rows, intents, strict=True)) / n, 4
    )
    out["emotion_accuracy"] = round(sum(r.emotion == p for r, p in zip(rows, emotions, strict=True)) / n, 4)
    tp = npred = ngold = 0
    for r, p in zip(rows, stakes, strict=True):
        tp += len(set(r.stakes) & p)
        npred += len(p)
        ngold += len(r.stakes)
    out["stakes_f1"] = round(_f1(tp, npred, ngold), 4)
    if slots is None:
        out["slot_f1"] = None
    else:
        tp = npred = ngold = 0
        for r, s in zip(rows, slots, strict=True):
            a, b, c = slot_counts(r.slots, s)
            tp, npred, ngold = tp + a, npred + b, ngold + c
        out["slot_f1"] = round(_f1(tp, npred, ngold), 4)
    return out


def _by_group(rows: Sequence[ShoppingExample], *columns: Sequence[Any] | None) -> dict[str, Any]:
    result: dict[str, Any] = {"all": _score(rows, *columns)}  # type: ignore[arg-type]
    for group in GROUPS:
        idx = [i for i, r in enumerate(rows) if r.group == group]
        if idx:
            picked = [None if c is None else [c[i] for i in idx] for c in columns]
            result[group] = _score([rows[i] for i in idx], *picked)  # type: ignore[arg-type]
    return result


def shopping(file: Path, train_files: Sequence[Path], understander: Understander, say: Say) -> dict[str, Any]:
    rows = shopping_examples(file)
    train = shopping_examples(*train_files)
    if not rows:
        raise InputError(f"{file}: no messages")
    overlap = {r.text.strip().lower() for r in rows} & {r.text.strip().lower() for r in train}
    if overlap:
        raise InputError(f"{file}: {len(overlap)} messages are also in the training data")
    say(f"baseline: TF-IDF + LR on {len(train):,} shopping training messages")
    texts = [r.text for r in train]
    b_int = Baseline(INTENTS, softmax=False).fit(texts, _indicator([r.intents for r in train], INTENTS))
    b_emo = Baseline(EMOTIONS, softmax=True).fit(texts, np.array([EMOTIONS.index(r.emotion) for r in train]))
    b_stk = Baseline(STAKES, softmax=False).fit(texts, _indicator([r.stakes for r in train], STAKES))
    test_texts = [r.text for r in rows]
    bi = _multilabel(b_int.probs(test_texts), b_int.thresholds)
    bs = b_stk.probs(test_texts) >= b_stk.thresholds
    base = _by_group(
        rows,
        [{INTENTS[j] for j in np.flatnonzero(row)} for row in bi],
        [EMOTIONS[j] for j in b_emo.probs(test_texts).argmax(axis=1)],
        [{STAKES[j] for j in np.flatnonzero(row)} for row in bs],
        None,
    )
    say(f"hangat: understanding {len(rows)} messages")
    for r in rows[:5]:
        understander.understand(r.text, now=_now(r))  # warm-up: first calls load lazily
    results = []
    times = []
    for r in rows:
        started = time.perf_counter()
        results.append(understander.understand(r.text, now=_now(r)))
        times.append((time.perf_counter() - started) * 1000)
    ours = _by_group(
        rows,
        [set(u.intent_names) for u in results],
        [u.emotion.state for u in results],
        [set(u.stake_names) for u in results],
        [{k: list(v) if isinstance(v, tuple) else v for k, v in u.slots.items()} for u in results],
    )
    ours["latency_ms"] = {"p50": round(percentile(times, 50), 2), "p95": round(percentile(times, 95), 2)}
    return {"n": len(rows), "systems": {"hangat": ours, "baseline": base}}


def _now(row: ShoppingExample) -> date:
    try:
        return date.fromisoformat(row.now)
    except ValueError:
        return date.today()


def markdown(task: str, result: dict[str, Any], command: str, data: str) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    lines = [f"\n### Understanding: {task} — {when} UTC\n", f"- Command: `{command}`", f"- Data: {data}",
             f"- Machine: {describe()}", ""]  # fmt: skip
    systems = result["systems"]
    if task == "shopping":
        lines += ["| system | group | n | intent accuracy | slot F1 | emotion accuracy | stakes F1 |",
                  "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for name, by_group in systems.items():
            for group in ("all", *GROUPS):
                if group in by_group:
                    s = by_group[group]
                    slot = "—" if s["slot_f1"] is None else f"{s['slot_f1']:.3f}"
                    lines.append(f"| {name} | {group} | {s['n']} | {s['intent_accuracy']:.3f} | {slot} | "
                                 f"{s['emotion_accuracy']:.3f} | {s['stakes_f1']:.3f} |")  # fmt: skip
        latency = systems["hangat"].get("latency_ms")
        if latency:
            lines += ["", f"hangat per message (embedding included): p50 {latency['p50']} ms, "
                          f"p95 {latency['p95']} ms. The baseline has no slot extractor (—)."]  # fmt: skip
    else:
        keys = [k for k in next(iter(systems.values())) if k != "threshold"]
        lines += ["| system | " + " | ".join(keys) + " |", "|---|" + "---:|" * len(keys)]
        for name, s in systems.items():
            lines.append(f"| {name} | " + " | ".join(f"{s[k]:.3f}" for k in keys) + " |")
        lines += ["", f"n = {result['n']:,}."]
    return "\n".join(lines) + "\n"
