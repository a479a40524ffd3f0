"""`hangat replay`: recorded shopper messages in, one record per turn out (used by the scenario
suite and the benchmarks). Input lines: ``{"conversation", "text", "customer"?, "now"?}``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hangat.assistant import TurnResult
from hangat.errors import InputError

MAX_LINES = 100_000


@dataclass(frozen=True)
class ReplayLine:
    conversation: str
    text: str
    customer: str | None = None
    now: datetime | None = None


def read_lines(path: Path) -> list[ReplayLine]:
    """Every line of the file, checked; a bad line is an error naming the line and the reason."""
    try:
        raw = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    out = []
    for number, text in enumerate(raw[:MAX_LINES], start=1):
        if text.strip():
            out.append(parse_line(text, number))
    return out


def parse_line(text: str, number: int) -> ReplayLine:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {number}: not JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise InputError(f"line {number}: expected an object")
    for name in ("conversation", "text"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise InputError(f"line {number}: '{name}' must be non-empty text")
    customer = data.get("customer")
    if customer is not None and not isinstance(customer, str):
        raise InputError(f"line {number}: 'customer' must be text or null")
    now = None
    if data.get("now") is not None:
        try:
            now = datetime.fromisoformat(str(data["now"]))
        except ValueError as exc:
            raise InputError(f"line {number}: 'now' is not an ISO 8601 time") from exc
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    return ReplayLine(data["conversation"], data["text"], customer, now)


def turn_record(conversation: str, turn: int, result: TurnResult) -> dict[str, Any]:
    """The issue's output shape: conversation, turn, language, reply, products, evidence, actions,
    handoff, understanding (plus prices and the comparison table, for checking grounding)."""
    reply = result.reply
    return {
        "conversation": conversation,
        "turn": turn,
        "language": reply.language,
        "reply": reply.text,
        "silent": reply.silent,
        "products": [c.product.external_id for c in reply.products],
        "product_details": [
            {
                "id": c.product.external_id,
                "title": c.product.title,
                "price": None if c.product.price is None else float(c.product.price),
                "currency": c.product.currency,
                "reason": c.reason,
            }
            for c in reply.products
        ],
        "evidence": list(reply.evidence),
        "actions": list(reply.actions),
        "handoff": reply.handoff,
        "acknowledged": reply.acknowledged,
        "table": None if reply.table is None else [[r, list(c)] for r, c in reply.table.rows],
        "understanding": None if result.understanding is None else result.understanding.record(),
    }
