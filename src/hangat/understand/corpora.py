"""Readers for the public data sets the understanding models learn from and are measured on.

Each reader returns plain ``(text, labels)`` rows in hangat's own names (the mappings below are
the issue's contract), so training and the benchmark share one definition of every label.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hangat.errors import InputError

EMOTIONS = ("frustration", "anxiety", "sadness", "confusion", "joy", "gratitude", "neutral")

# GoEmotions' 28 labels → our 7 states, exactly as the understanding issue fixes them.
GOEMOTIONS_MAP = {
    "anger": "frustration", "annoyance": "frustration", "disapproval": "frustration",
    "disgust": "frustration",
    "sadness": "sadness", "grief": "sadness", "disappointment": "sadness", "remorse": "sadness",
    "fear": "anxiety", "nervousness": "anxiety",
    "confusion": "confusion",
    "gratitude": "gratitude",
    "joy": "joy", "amusement": "joy", "excitement": "joy", "love": "joy", "admiration": "joy",
    "approval": "joy", "optimism": "joy", "pride": "joy", "relief": "joy", "caring": "joy",
    "desire": "joy",
    "neutral": "neutral", "realization": "neutral", "surprise": "neutral", "curiosity": "neutral",
    "embarrassment": "neutral",
}  # fmt: skip
GOEMOTIONS_LABELS = (
    "admiration amusement anger annoyance approval caring confusion curiosity desire disappointment "
    "disapproval disgust embarrassment excitement fear gratitude grief joy love nervousness optimism "
    "pride realization relief remorse sadness surprise neutral"
).split()
EMOT_MAP = {"anger": "frustration", "fear": "anxiety", "sadness": "sadness", "happy": "joy", "love": "joy"}
# PRDECT-ID's review emotions (Indonesian product reviews)
PRDECT_MAP = {"Anger": "frustration", "Fear": "anxiety", "Sadness": "sadness", "Happy": "joy", "Love": "joy"}


@dataclass(frozen=True)
class Example:
    text: str
    labels: tuple[str, ...]


def _need(path: Path) -> Path:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    return path


def goemotions(path: Path) -> list[Example]:
    """A GoEmotions TSV (text, comma-separated ids of the 28 original labels, id) in our 7 states."""
    rows = []
    with _need(path).open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), start=1):
            if len(row) < 2:
                raise InputError(f"{path}:{n}: expected text<TAB>label ids")
            try:
                ids = [int(x) for x in row[1].split(",") if x.strip()]
                states = {GOEMOTIONS_MAP[GOEMOTIONS_LABELS[i]] for i in ids}
            except (ValueError, IndexError) as exc:
                raise InputError(f"{path}:{n}: bad label ids {row[1]!r}") from exc
            rows.append(Example(row[0], tuple(sorted(states))))
    return rows


def emot(path: Path) -> list[Example]:
    """An IndoNLU EmoT CSV (label, tweet)."""
    rows = []
    with _need(path).open(encoding="utf-8", newline="") as fh:
        for n, rec in enumerate(csv.DictReader(fh), start=2):
            label = EMOT_MAP.get((rec.get("label") or "").strip())
            if label is None or rec.get("tweet") is None:
                raise InputError(f"{path}:{n}: expected label in {sorted(EMOT_MAP)} and a tweet")
            rows.append(Example(rec["tweet"], (label,)))
    return rows


def prdect_reviews(path: Path) -> list[Example]:
    """PRDECT-ID review texts with their annotated emotion."""
    rows = []
    with _need(path).open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            label = PRDECT_MAP.get((rec.get("Emotion") or "").strip())
            if label and rec.get("Customer Review"):
                rows.append(Example(rec["Customer Review"], (label,)))
    return rows


def clinc(path: Path, split: str) -> list[Example]:
    """CLINC150 ``data_full``-style JSON: ``SPLIT`` rows keep their intent, ``oos_SPLIT`` become
    ``out_of_scope``."""
    try:
        data = json.loads(_need(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON ({exc.msg})") from exc
    if split not in data or f"oos_{split}" not in data:
        raise InputError(f"{path}: needs the keys {split!r} and 'oos_{split}'")
    rows = [Example(str(t), (str(label),)) for t, label in data[split]]
    rows += [Example(str(t), ("out_of_scope",)) for t, _ in data[f"oos_{split}"]]
    return rows


def jsonl(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    """Numbered JSON objects of a JSON Lines file; a bad line is a clear error."""
    with _need(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(obj, dict):
                raise InputError(f"{path}:{n}: expected a JSON object")
            yield n, obj
