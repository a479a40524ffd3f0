"""Fairness across the ways people write: the same shopping requests written formally, informally,
in slang, code-mixed with English and with typos, each run as a fresh conversation.

A turn succeeds when the assistant took an action that fits the request's intent and, for requests
about products, at least one product it showed is a right one (its title contains one of the
request's ``product_terms`` as a word). The baseline, in the same run, is plain search on the same
text, judged on the products only. The gap is the best style's task success minus the worst's, in
percentage points.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from hangat.assistant import Assistant
from hangat.errors import InputError
from hangat.eval.leftovers import close_requests
from hangat.eval.machine import describe
from hangat.replay import turn_record

STYLES = ("formal", "informal", "slang", "mixed", "typos")
ACCEPTED = {
    "search": {"search", "recommend", "cheaper"},
    "recommend": {"recommend", "search"},
    "plan_occasion": {"plan_occasion", "search", "recommend"},
    "order_status": {"order_status"},
    "human_request": {"handoff"},
}
ABOUT_PRODUCTS = {"search", "recommend", "plan_occasion"}
NOW = datetime.fromisoformat("2026-11-26T10:00:00+07:00")
BASELINE_LIMIT = 5
TOP_FAILURES = 5
EXAMPLES = 2


def read_requests(path: Path) -> list[dict[str, Any]]:
    """The requests of a JSONL file: ``id``, ``intent``, ``product_terms`` and ``styles`` (style → text)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        requests = [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a fairness request file ({exc})") from exc
    if not requests:
        raise InputError(f"{path}: no requests")
    for n, r in enumerate(requests, start=1):
        ok = (
            isinstance(r, dict)
            and isinstance(r.get("id"), str)
            and r.get("intent") in ACCEPTED
            and isinstance(r.get("product_terms"), list)
            and all(isinstance(term, str) and term.strip() for term in r["product_terms"])
            and isinstance(r.get("styles"), dict)
            and r["styles"]
            and all(isinstance(text, str) and text.strip() for text in r["styles"].values())
        )
        if not ok:
            raise InputError(
                f"{path}: request {n} needs an id, an intent ({', '.join(ACCEPTED)}), "
                "product_terms (a list of words) and styles (style → text)"
            )
        if r["intent"] in ABOUT_PRODUCTS and not r["product_terms"]:
            raise InputError(f"{path}: request {r['id']} is about products but has no product_terms")
    return requests


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![0-9a-z])" + re.escape(term.lower()) + r"(?:s|es)?(?![0-9a-z])")


def right_product(title: str, terms: list[str]) -> bool:
    """Whether ``title`` contains one of ``terms`` as a word (case-insensitive; an English plural allowed)."""
    low = title.lower()
    return any(_pattern(term).search(low) for term in terms)


def _styles(requests: list[dict[str, Any]]) -> list[str]:
    seen = {style for r in requests for style in r["styles"]}
    return [s for s in STYLES if s in seen] + sorted(seen - set(STYLES))


def run_fairness(assistant: Assistant, requests: list[dict[str, Any]], now: datetime = NOW) -> dict[str, Any]:
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    failures: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    turns = 0
    for r in requests:
        accepted, terms = ACCEPTED[r["intent"]], r["product_terms"]
        about_products = r["intent"] in ABOUT_PRODUCTS
        for style, text in r["styles"].items():
            turns += 1
            convo = f"{r['id']}-{style}-{uuid.uuid4().hex[:8]}"
            out = turn_record(convo, 1, assistant.handle_message(convo, text, "f1", None, None, now))
            kinds = [a.get("type") for a in out["actions"] if isinstance(a, dict)]
            titles = [d["title"] for d in out["product_details"]]
            intent_ok = any(kind in accepted for kind in kinds)
            found = about_products and any(right_product(title, terms) for title in titles)
            success = intent_ok and (found or not about_products)
            c = tally[style]
            c["n"] += 1
            c["intent"] += intent_ok
            c["success"] += success
            if about_products:
                c["about_products"] += 1
                c["found"] += found
                baseline = assistant.search(text, limit=BASELINE_LIMIT).results
                c["baseline_found"] += any(right_product(card.product.title, terms) for card in baseline)
                exact = assistant.catalog.engine().search(text, None, BASELINE_LIMIT, spelling=False).hits
                c["exact_found"] += any(right_product(hit.product.title, terms) for hit in exact)
            if not success:
                if not intent_ok:
                    pattern = f"{r['intent']} read as {kinds[0] if kinds else 'no action'}"
                elif not titles:
                    pattern = "no products"
                else:
                    pattern = "wrong products"
                failures[style][pattern].append(
                    {"id": r["id"], "text": text, "actions": kinds, "titles": titles[:3]}
                )
    close_requests(assistant, tuple(f"{r['id']}-" for r in requests))  # leave the console as it was
    styles = {style: _summary(tally[style]) for style in _styles(requests)}
    rates: dict[str, float] = {style: s["task_success"] for style, s in styles.items()}
    best, worst = max(rates, key=rates.__getitem__), min(rates, key=rates.__getitem__)
    return {
        "requests": len(requests),
        "turns": turns,
        "styles": styles,
        "best_style": best,
        "worst_style": worst,
        "gap_points": round(100 * (rates[best] - rates[worst]), 1),
        "failures": {style: _top(failures[style]) for style in styles},
        "machine": describe(),
    }


def _share(part: int, whole: int) -> float | None:
    return None if not whole else round(part / whole, 3)


def _summary(c: Counter[str]) -> dict[str, Any]:
    return {
        "n": c["n"],
        "intent_accuracy": _share(c["intent"], c["n"]),
        "about_products": c["about_products"],
        "products_found": _share(c["found"], c["about_products"]),
        "task_success": round(c["success"] / c["n"], 3),
        "search_only_products_found": _share(c["baseline_found"], c["about_products"]),
        "search_without_spelling_products_found": _share(c["exact_found"], c["about_products"]),
    }


def _top(patterns: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    ranked = sorted(patterns.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_FAILURES]
    return [{"pattern": p, "count": len(cases), "examples": cases[:EXAMPLES]} for p, cases in ranked]


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{100 * share:.1f} %"


def markdown(result: dict[str, Any], command: str, path: Path) -> str:
    rows = "\n".join(
        f"| {style} | {s['n']} | {_pct(s['intent_accuracy'])} | {_pct(s['products_found'])} | "
        f"{_pct(s['task_success'])} | {_pct(s['search_only_products_found'])} | "
        f"{_pct(s['search_without_spelling_products_found'])} |"
        for style, s in result["styles"].items()
    )
    return (
        "## Fairness across writing styles\n\n"
        f"Command: `{command}`\n\n"
        f"Data: `{path}` — {result['requests']} shopping requests, each written in "
        f"{len(result['styles'])} styles ({', '.join(result['styles'])}), {result['turns']} turns, each a "
        "fresh conversation on the demo store. A turn succeeds when the assistant's action fits the "
        "request's intent and, for requests about products, one of the products it shows is a right one "
        "(its title contains one of the request's product terms). `search-only` is plain search on the "
        f"same text (top {BASELINE_LIMIT}), judged on the products only, in the same run; `without "
        "spelling` is that search with typo tolerance off.\n\n"
        f"Machine: {result['machine']}\n\n"
        "| style | n | intent | products found | task success | search-only products found | "
        "search-only without spelling |\n"
        f"|---|---:|---:|---:|---:|---:|---:|\n{rows}\n\n"
        f"Gap: {result['gap_points']} points between the best style ({result['best_style']}) and the "
        f"worst ({result['worst_style']}) in task success (target: at most 5).\n"
    )
