"""Readers for the public product-QA data the answer models learn from and are measured on.

- hetPQA (Amazon, Toys & Games; tab-separated): ``evidence_ranking`` rows are labelled
  (question, candidate) pairs; ``answer_generation`` rows are (question, supporting evidence,
  human answer), positives only. Its six evidence types map onto hangat's three sources:
  ``attribute`` → attribute; ``bullet``, ``Desc``, ``OSP`` (the product page) → description;
  ``review``, ``CQA`` (shoppers' answers) → review. Attribute candidates, written as Amazon's
  ``name: { value:… }`` records, are flattened to hangat's "name: value" text.
- SubjQA (comma-separated): one (question, review) pair a row; answerable unless
  ``human_ans_spans`` is ``ANSWERNOTFOUND``.

A malformed file raises :class:`~hangat.errors.InputError` naming the file and what is missing.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hangat.answers.evidence import Evidence, Source, attribute_evidence
from hangat.errors import InputError

HETPQA_SOURCES: dict[str, Source] = {
    "attribute": "attribute", "bullet": "description", "Desc": "description", "OSP": "description",
    "review": "review", "CQA": "review",
}  # fmt: skip
RANKING_COLUMNS = ("qid", "question", "candidate", "label", "source")
GENERATION_COLUMNS = ("ASIN", "question", "candidate", "source")
SUBJQA_COLUMNS = ("question", "review", "review_id", "human_ans_spans")
NOT_FOUND = "ANSWERNOTFOUND"

_NORMALISED = re.compile(r"normalized_value:\{[^{}]*\},?")
_KEY = re.compile(r"\b(?:value|unit|quantity|type|cell_composition):")


@dataclass(frozen=True)
class RankingQuestion:
    """One question with its labelled candidates; ``origins`` keeps hetPQA's own evidence types."""

    qid: str
    question: str
    candidates: tuple[Evidence, ...]
    labels: tuple[int, ...]
    origins: tuple[str, ...]


@dataclass(frozen=True)
class AnswerableExample:
    question: str
    review: str
    review_id: str
    answerable: bool
    item_id: str = ""


def hetpqa_evidence(candidate: str, source: str) -> Evidence:
    """A hetPQA candidate as hangat evidence (an attribute record flattened to "name: value")."""
    text = candidate.strip()
    mapped = HETPQA_SOURCES.get(source)
    if mapped is None:
        raise InputError(f"unknown evidence source {source!r} (expected one of {sorted(HETPQA_SOURCES)})")
    if mapped != "attribute" or ":" not in text:
        return Evidence(text, mapped)
    name, _, record = text.partition(":")
    value = _KEY.sub("", _NORMALISED.sub("", record))
    value = re.sub(r"[{}\[\]\"]", " ", value).replace("_", " ").replace(";", ",")
    value = re.sub(r"\s*,\s*(?:,\s*)*", ", ", " ".join(value.split())).strip(" ,")
    return attribute_evidence(name.strip(), re.sub(r"(\d)\.(?!\d)", r"\1", value))


def read_ranking(path: Path) -> list[RankingQuestion]:
    """hetPQA ``evidence_ranking`` (qid, question, candidate, label, source, …) grouped by question."""
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in _rows(path, RANKING_COLUMNS, "\t"):
        grouped.setdefault(row["qid"], []).append(row)
    out = []
    for qid, rows in grouped.items():
        labels = tuple(_label(path, r["label"]) for r in rows)
        evidence = tuple(hetpqa_evidence(r["candidate"], r["source"]) for r in rows)
        question = rows[0]["question"].strip()
        out.append(RankingQuestion(qid, question, evidence, labels, tuple(r["source"] for r in rows)))
    return out


def read_generation(path: Path) -> list[tuple[str, str, Evidence]]:
    """hetPQA ``answer_generation``: (ASIN, question, supporting evidence) rows."""
    return [
        (r["ASIN"], r["question"].strip(), hetpqa_evidence(r["candidate"], r["source"]))
        for r in _rows(path, GENERATION_COLUMNS, "\t")
    ]


def read_subjqa(path: Path) -> list[AnswerableExample]:
    """SubjQA rows as (question, review, answerable) examples."""
    return [
        AnswerableExample(
            r["question"].strip(),
            r["review"].strip().removesuffix(NOT_FOUND).strip(),  # SQuAD-style marker on every review
            r["review_id"],
            r["human_ans_spans"].strip() != NOT_FOUND,
            r.get("item_id") or "",
        )
        for r in _rows(path, SUBJQA_COLUMNS, ",")
    ]


def _rows(path: Path, columns: tuple[str, ...], delimiter: str) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter=delimiter)
            missing = [c for c in columns if c not in (reader.fieldnames or ())]
            if missing:
                found = ", ".join(reader.fieldnames or ()) or "nothing"
                raise InputError(f"{path}: missing column(s) {', '.join(missing)} (found: {found})")
            for n, row in enumerate(reader, start=2):
                if any(row.get(c) is None for c in columns):
                    raise InputError(f"{path}, line {n}: too few fields")
                yield row
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: not a readable CSV/TSV file ({exc})") from exc


def _label(path: Path, value: str) -> int:
    try:
        return int(float(value))
    except ValueError as exc:
        raise InputError(f"{path}: label {value!r} is not a number") from exc
