"""Precision and recall of fact extraction on hand-annotated English and Indonesian messages.

Each line of the file (``tests/data/memory_facts.jsonl``) is a message with the lasting facts it
states: a kind, who it is about and the exact span carrying the value; about 40 % state nothing
(one-off searches, questions, hypotheticals). A found fact counts when a gold fact of the same kind
overlaps its span. Reported overall, per kind and per language, with the share of fact-free
messages where anything was found (false alarms), on the tuning set and on a held-out set
(``memory_facts_heldout.jsonl``) written later by another author and never tuned on.

The baseline is the first thing people write: a keyword list per kind (sizes after "size"/"ukuran",
diet words, health words, "suka"/"like" …) with no question, hypothetical or search guard.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hangat.domain.memory import FOUND_KINDS as KINDS
from hangat.eval.machine import describe
from hangat.memory.extract import Found, facts

Extractor = Callable[[str], list[Found]]

_BASELINE = {
    "size": r"\b(?:size|ukuran|uk)\s+(\w+)",
    "preference": r"\b(?:like|love|prefer|suka|favorit|favorite)\s+(\w+)",
    "dislike": r"\b(?:hate|don't like|gak suka|ga suka|tidak suka|nggak suka)\s+(\w+)",
    "constraint": r"\b(halal|vegetarian|vegan|gluten-free|sugar-free|easy-open)\b",
    "health": r"\b(diabetes|arthritis|hamil|pregnant|asma|asthma|alergi \w+|allergic to \w+|darah tinggi)\b",
    "household": r"\b(\d+ (?:kids|children|anak|kucing|cats|dogs|anjing))\b",
    "recipient": r"\b(?:ulang tahun|birthday)\s+(\w+(?:\s+\w+)?)",
    "accessibility": r"\b(screen reader|pembaca layar|low vision|kursi roda|wheelchair)\b",
    "style": r"\b(short answers|singkat|plain language|bahasa santai|formal)\b",
}


def baseline(text: str) -> list[Found]:
    out = []
    for kind, pattern in _BASELINE.items():
        for m in re.finditer(pattern, text, re.IGNORECASE):
            out.append(Found(kind, "self", m.group(1), m.start(1), m.end(1)))
    return out


def load(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
    return rows


def score(rows: list[dict[str, Any]], extract: Extractor) -> dict[str, Any]:
    """Counts of true and false positives and misses, overall and per kind and language."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    alarms = empty = subject_right = 0
    misses: list[dict[str, Any]] = []
    for row in rows:
        text, lang = row["text"], row["lang"]
        gold = [(g, *_span(text, g["span"])) for g in row["facts"]]  # (fact, start, end)
        found = extract(text)
        used: set[int] = set()
        for f in found:
            same = [
                i for i, (g, s, e) in enumerate(gold) if g["kind"] == f.kind and s < f.end and f.start < e
            ]
            hit = next((i for i in same if i not in used), None)
            if hit is None:
                for key in ("all", f.kind, f"lang:{lang}"):
                    fp[key] += 1
                misses.append({"id": row["id"], "text": text, "wrong": [f.kind, f.value]})
                continue
            used.add(hit)
            subject_right += _same_subject(gold[hit][0]["subject"], f.subject)
            for key in ("all", f.kind, f"lang:{lang}"):
                tp[key] += 1
        for i, (g, _, _) in enumerate(gold):
            if i not in used:
                for key in ("all", g["kind"], f"lang:{lang}"):
                    fn[key] += 1
                misses.append({"id": row["id"], "text": text, "missed": [g["kind"], g["span"]]})
        if not gold:
            empty += 1
            alarms += bool(found)
    keys = ["all", *KINDS, "lang:en", "lang:id", "lang:mixed"]
    table = {k: _prf(tp[k], fp[k], fn[k]) for k in keys}
    return {
        "messages": len(rows), "facts": sum(len(r["facts"]) for r in rows), "scores": table,
        "false_alarm_rate": round(alarms / empty, 3) if empty else 0.0, "fact_free": empty,
        "subject_accuracy": round(subject_right / tp["all"], 3) if tp["all"] else 0.0, "misses": misses,
    }  # fmt: skip


def run(dev: Path, heldout: Path | None = None) -> dict[str, Any]:
    """Scores on the file the rules were tuned on and on the held-out one, beside the baseline."""
    out: dict[str, Any] = {}
    for name, path in (("dev", dev), ("heldout", heldout)):
        if path is None:
            continue
        rows = load(path)
        out[name] = {"file": str(path), "hangat": score(rows, facts), "baseline": score(rows, baseline)}
    return out


def markdown(result: dict[str, Any], command: str) -> str:
    lines = [
        "## Memory: fact extraction",
        "",
        f"Command: `{command}`  ",
        f"Machine: {describe()}",
        "",
        "Two hand-written, hand-annotated sets of shopper messages (English, Indonesian, code-mixed), "
        "written by different authors. The rules were written first, then tuned on the first set; the "
        "second was written afterwards by an author who never saw the first set or the rules, and "
        "nothing was tuned on it. A found fact counts when a gold fact of the same kind overlaps its span.",
        "",
    ]
    for name, title in (("heldout", "held out (never tuned on)"), ("dev", "tuning set")):
        if name not in result:
            continue
        part = result[name]
        ours, base = part["hangat"], part["baseline"]
        lines += [
            f"### {title}: `{part['file']}`",
            "",
            f"{ours['messages']} messages, {ours['facts']} facts, {ours['fact_free']} messages stating none.",
            "",
            "| | hangat P | R | F1 | keyword baseline P | R | F1 |",
            "|---|---|---|---|---|---|---|",
        ]
        for key in ["all", *KINDS, "lang:en", "lang:id", "lang:mixed"]:
            a, b = ours["scores"][key], base["scores"][key]
            cells = [a["p"], a["r"], a["f1"], b["p"], b["r"], b["f1"]]
            lines.append(f"| {key} | " + " | ".join(f"{x:.3f}" for x in cells) + " |")
        lines += [
            "",
            f"- Fact-free messages with a false find: hangat {ours['false_alarm_rate']:.1%}, "
            f"baseline {base['false_alarm_rate']:.1%}.",
            f"- Who the fact is about, when found: {ours['subject_accuracy']:.1%} right.",
            "",
        ]
    return "\n".join(lines)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f1, 3), "tp": tp, "fp": fp, "fn": fn}


def _span(text: str, span: str) -> tuple[int, int]:
    start = text.find(span)
    if start < 0:
        raise ValueError(f"span {span!r} is not in {text!r}")
    return start, start + len(span)


def _same_subject(gold: str, found: str) -> bool:
    g, f = gold.lower(), found.lower()
    return g == f or (g != "self" and f != "self" and (g in f or f in g or g.split()[-1] == f.split()[-1]))
