"""Train the two answer heads from public data: ``hangat train answers`` (about a minute once the
embeddings are cached; deterministic).

- Evidence ranking, from hetPQA ``answer_generation/train.csv``: each product's passages are the
  evidence written for all its questions; a question's own evidence is positive, the rest of the
  product's evidence negative (the product's other facts, as in the live assistant). Questions that
  also appear in hetPQA ``evidence_ranking/dev.csv`` (the benchmark file) are left out.
- Answerability, from SubjQA electronics ``train.csv``: the review's sentences are ranked with the
  new ranker, and a logistic regression reads :data:`~hangat.answers.answerable.ANSWER_FEATURES`;
  the threshold is the best-accuracy one in 5-fold cross-validation grouped by product.

Only weights are written: ``answers.npz`` (floats, no pickle) and ``answers.json`` (what was
learnt from what, with the cross-validated figures).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from hangat.answers import corpora
from hangat.answers.answerable import ANSWER_FEATURES, answer_features
from hangat.answers.evidence import Evidence, sentences
from hangat.answers.ranking import DENSE, FEATURES, MODELS, LinearScorer, features, prepare, rank
from hangat.answers.vectors import CorpusEmbedder, embed_texts

Say = Callable[[str], None]
Vectors = dict[str, np.ndarray]
HETPQA = Path("reviews/amazon-product-qa/hetPQA")
SUBJQA = Path("reviews/subjqa/electronics")


@dataclass(frozen=True)
class AnswerData:
    hetpqa_train: Path
    subjqa_train: Path
    exclude: Path | None = None  # a hetPQA evidence_ranking file whose questions stay out of training

    @classmethod
    def under(cls, root: Path) -> AnswerData:
        """The files' places under the shared data folder (``…/shared/data``)."""
        exclude = root / HETPQA / "evidence_ranking/dev.csv"
        return cls(root / HETPQA / "answer_generation/train.csv", root / SUBJQA / "train.csv",
                   exclude if exclude.is_file() else None)  # fmt: skip


def fit_linear(x: np.ndarray, y: np.ndarray, dense: tuple[int, ...], c: float = 1.0) -> LinearScorer:
    """Standardise ``x`` and fit logistic regressions with and without the ``dense`` columns."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    z = (x - mean) / scale
    weights = []
    for keep_dense in (True, False):
        zz = z.copy()
        if not keep_dense:
            zz[:, list(dense)] = 0.0
        model = LogisticRegression(C=c, max_iter=2000).fit(zz, y)
        w = model.coef_[0].copy()
        if not keep_dense:
            w[list(dense)] = 0.0
        weights.append(np.append(w, model.intercept_[0]))
    return LinearScorer(mean, scale, weights[0], weights[1])


def ranking_examples(rows: list[tuple[str, str, Evidence]], questions: Vectors, passages: Vectors,
                     exclude: set[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Features, labels and question ids: every question against all its product's evidence."""
    by_product: dict[str, dict[str, set[str]]] = {}
    evidence: dict[str, dict[str, Evidence]] = {}
    for asin, question, item in rows:
        by_product.setdefault(asin, {}).setdefault(question, set()).add(item.text)
        evidence.setdefault(asin, {}).setdefault(item.text, item)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    groups: list[np.ndarray] = []
    for asin, asked in sorted(by_product.items()):
        items = list(evidence[asin].values())
        prepared = prepare(items, vectors=np.stack([passages[e.text] for e in items]))
        for question, positive in sorted(asked.items()):
            if question.casefold() in exclude or len(positive) == len(items):
                continue
            xs.append(features(question, prepared, questions[question]))
            ys.append(np.array([e.text in positive for e in items], dtype=int))
            groups.append(np.full(len(items), len(groups)))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(groups)


def precision_at_1(scores: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    hits = [y[groups == g][np.argmax(scores[groups == g])] for g in np.unique(groups)]
    return float(np.mean(hits)) if hits else 0.0


def answerable_examples(examples: list[corpora.AnswerableExample], ranker: LinearScorer,
                        questions: Vectors, passages: Vectors) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Answerability features (with and without embeddings, side by side) and labels."""
    rows = []
    for ex in examples:
        items = [Evidence(s, "review", review_id=ex.review_id) for s in sentences(ex.review)]
        vectors = np.stack([passages[e.text] for e in items]) if items else None
        prepared = prepare(items, vectors=vectors)
        dense = answer_features(rank(ex.question, prepared, questions[ex.question], ranker))
        lexical = answer_features(rank(ex.question, prepared, None, ranker))
        rows.append(np.concatenate([dense, lexical]))
    return np.vstack(rows), np.array([ex.answerable for ex in examples], dtype=int)


def best_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The threshold (on a 0.01 grid) with the best accuracy, and that accuracy."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    accuracy = [float(np.mean((p >= t) == y)) for t in grid]
    best = int(np.argmax(accuracy))
    return float(grid[best]), accuracy[best]


def cross_validated(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities of the answerability head (5 folds, grouped by product)."""
    p = np.zeros(len(y))
    for train, test in GroupKFold(n_splits=5).split(x, y, groups):
        p[test] = 1 / (1 + np.exp(-fit_linear(x[train], y[train], ())(x[test], True)))
    return p


def train_answers(data: AnswerData, embedder: CorpusEmbedder, out: Path = MODELS,
                  cache_dir: Path | None = None, say: Say = print) -> dict[str, object]:  # fmt: skip
    """Train both heads, write ``out/answers.npz`` and ``out/answers.json``; returns the manifest."""
    exclude = {q.question.casefold() for q in corpora.read_ranking(data.exclude)} if data.exclude else set()
    rows = corpora.read_generation(data.hetpqa_train)
    q_vec = embed_texts([q for _, q, _ in rows], embedder, cache_dir, False, say)
    p_vec = embed_texts([e.text for _, _, e in rows], embedder, cache_dir, True, say)
    x, y, groups = ranking_examples(rows, q_vec, p_vec, exclude)
    manifest: dict[str, object] = {"ranking": _ranking_report(x, y, groups)}
    ranker = fit_linear(x, y, DENSE)
    say(f"ranker: {len(np.unique(groups)):,} questions, held-out P@1 {manifest['ranking']}")
    examples = corpora.read_subjqa(data.subjqa_train)
    q_vec = embed_texts([e.question for e in examples], embedder, cache_dir, False, say)
    p_vec = embed_texts([s for e in examples for s in sentences(e.review)], embedder, cache_dir, True, say)
    ax, ay = answerable_examples(examples, ranker, q_vec, p_vec)
    products = np.unique([e.item_id for e in examples], return_inverse=True)[1]
    heads, report = _answerability(ax, ay, products)
    say(f"answerability: {report}")
    manifest |= {"answerable": report, "features": list(FEATURES), "answer_features": list(ANSWER_FEATURES)}
    manifest["data"] = {"ranking": str(data.hetpqa_train), "answerable": str(data.subjqa_train),
                        "excluded_questions_from": str(data.exclude) if data.exclude else None}  # fmt: skip
    _write(out, ranker, heads, report, manifest)
    return manifest


def _ranking_report(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """P@1 on a fifth of the training questions held out (the choice of features was made on it)."""
    held = groups % 5 == 0
    scorer = fit_linear(x[~held], y[~held], DENSE)
    report: dict[str, float] = {"questions": len(np.unique(groups))}
    for name, scores in (("dense", scorer(x[held], True)), ("lexical", scorer(x[held], False)),
                         ("bm25", x[held, FEATURES.index("bm25_log")])):  # fmt: skip
        report[f"heldout_p@1_{name}"] = round(precision_at_1(scores, y[held], groups[held]), 4)
    return report


Heads = list[LinearScorer]


def _answerability(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[Heads, dict[str, float]]:
    """A head (and its threshold) on the features of the ranking with embeddings, one without."""
    half = len(ANSWER_FEATURES)
    report: dict[str, float] = {"examples": len(y), "answerable_share": round(float(y.mean()), 4)}
    heads = []
    for name, cols in (("dense", slice(0, half)), ("lexical", slice(half, None))):
        t, acc = best_threshold(cross_validated(x[:, cols], y, groups), y)
        report[f"threshold_{name}"], report[f"cv_accuracy_{name}"] = t, round(acc, 4)
        heads.append(fit_linear(x[:, cols], y, ()))
    return heads, report


def _write(out: Path, ranker: LinearScorer, heads: Heads, report: dict[str, float],
           manifest: dict[str, object]) -> None:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    scorers = (("rank", ranker), ("ans_dense", heads[0]), ("ans_lexical", heads[1]))
    parts = ("mean", "scale", "dense", "lexical")
    arrays = {f"{prefix}_{k}": getattr(s, k) for prefix, s in scorers for k in parts}
    np.savez(out / "answers.npz", ans_threshold_dense=np.float64(report["threshold_dense"]),
             ans_threshold_lexical=np.float64(report["threshold_lexical"]), **arrays)  # fmt: skip
    (out / "answers.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
