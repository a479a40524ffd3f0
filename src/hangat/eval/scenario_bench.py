"""The bilingual scenario suite as a benchmark: hangat's turns beside a baseline in the same run.

The baseline is the walking skeleton's turn — every message a search (3 products), its reply the
results sentence, no acknowledgment, no person — on the same store, scored by the same checks.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from hangat.assistant import Assistant
from hangat.errors import InputError
from hangat.eval.leftovers import close_requests
from hangat.eval.machine import describe
from hangat.eval.scenario_check import check_turn
from hangat.i18n import t
from hangat.replay import turn_record
from hangat.understand.language import detect_language

STRICT = {"scripted": "scripted empathy", "language": "reply language", "acknowledgment": "acknowledgment",
          "no": "acknowledgment", "acknowledged": "acknowledgment", "handoff": "person offered",
          "over": "budget"}  # fmt: skip


def read_scenarios(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a scenario file ({exc})") from exc


def _baseline(assistant: Assistant, text: str) -> dict[str, Any]:
    lang = detect_language(text, default=assistant.settings.default_language)
    lang = lang if lang in ("en", "id") else "id"
    cards = assistant.search(text, lang, limit=3).results
    key = "reply.results" if cards else "reply.no_results"
    return {
        "language": lang, "reply": t(lang, key, n=len(cards), query=text[:80]), "acknowledged": False,
        "handoff": None, "actions": [{"type": "search"}], "evidence": [],
        "product_details": [_detail(c.product) for c in cards],
    }  # fmt: skip


def _detail(p: Any) -> dict[str, Any]:
    return {"id": p.external_id, "title": p.title, "price": None if p.price is None else float(p.price)}


def run_scenarios(assistant: Assistant, scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    tally: dict[str, Counter[str]] = {"hangat": Counter(), "search_only": Counter()}
    turns = 0
    for s in scenarios:
        convo = f"{s['id']}-{uuid.uuid4().hex[:8]}"
        now = s.get("now")
        for i, turn in enumerate(s["turns"], start=1):
            turns += 1
            moment = None if now is None else datetime.fromisoformat(now)
            result = assistant.handle_message(convo, turn["text"], f"t{i}", s.get("customer"), None, moment)
            outputs = {
                "hangat": turn_record(convo, i, result),
                "search_only": _baseline(assistant, turn["text"]),
            }
            for name, out in outputs.items():
                problems = check_turn(turn["expect"], out)
                tally[name]["all"] += not problems
                for kind in {STRICT.get(p.split(" ")[0], "") for p in problems} - {""}:
                    tally[name][kind] += 1
    close_requests(assistant, tuple(f"{s['id']}-" for s in scenarios))  # leave the console as it was
    systems = {
        name: {"turns": turns, "all_expectations": round(c["all"] / turns, 3),
               **{f"{kind} misses": c[kind] for kind in sorted(set(STRICT.values()))}}
        for name, c in tally.items()
    }  # fmt: skip
    return {"scenarios": len(scenarios), "turns": turns, "systems": systems, "machine": describe()}


def markdown(result: dict[str, Any], command: str, path: Path) -> str:
    names = list(result["systems"])
    keys = list(next(iter(result["systems"].values())))
    rows = "\n".join(
        f"| {k} | " + " | ".join(str(result["systems"][n][k]) for n in names) + " |" for k in keys
    )
    return (
        "## Conversation scenarios\n\n"
        f"Command: `{command}`\n\n"
        f"Data: `{path}` — {result['scenarios']} bilingual scenarios, {result['turns']} turns, on the demo "
        "store. `search_only` is the walking skeleton's turn (every message a search, no acknowledgment, "
        "no person), scored by the same checks in the same run. Misses count turns whose reply broke "
        "that expectation.\n\n"
        f"Machine: {result['machine']}\n\n"
        f"| measure | {' | '.join(names)} |\n|---|" + "---:|" * len(names) + f"\n{rows}\n"
    )
