"""Respond: compose the reply from the outcomes — the acknowledgment (only when the shopper's
feeling is strong, naming the specific thing), the tools' facts, and a person offered when the
stakes call for one. Every sentence comes from the message catalogs; no stock empathy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hangat.dialogue import handoff_tools
from hangat.dialogue.outcome import Outcome, ShownProduct, Table, ToolContext
from hangat.dialogue.policy import Plan
from hangat.dialogue.warmth import acknowledgment, scripted_phrases_in
from hangat.domain.conversation import NewEvent
from hangat.errors import HangatError


@dataclass(frozen=True)
class Reply:
    text: str
    language: str
    products: tuple[ShownProduct, ...] = ()
    table: Table | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    actions: tuple[dict[str, Any], ...] = ()
    handoff: dict[str, Any] | None = None
    choices: tuple[str, ...] = ()
    acknowledged: bool = False
    silent: bool = False
    failed: bool = False

    def record(self) -> dict[str, Any]:
        """The assistant's event payload (the replay of a conversation rebuilds the reply from it)."""
        return {
            "text": self.text,
            "language": self.language,
            "actions": list(self.actions),
            "evidence": list(self.evidence),
            "handoff": self.handoff,
            "choices": list(self.choices),
            "acknowledged": self.acknowledged,
            "outcome": "failed" if self.failed else "ok",
            "products": [[c.product.external_id, c.reason] for c in self.products],
            "table": None
            if self.table is None
            else {
                "product_ids": list(self.table.product_ids),
                "headers": list(self.table.headers),
                "rows": [[r, list(c)] for r, c in self.table.rows],
            },
        }


class ScriptedEmpathy(HangatError):
    """A composed reply contained a stock empathy phrase (a bug in a message catalog)."""


def person_offer(plan: Plan, outcomes: list[Outcome]) -> str | None:
    """Why this reply offers a person, if it does."""
    reason = plan.offer_person or next((o.offer_person for o in outcomes if o.offer_person), None)
    failed = all(o.failed for o in outcomes) if outcomes else True
    if reason == "low_confidence" and not failed:
        return None  # unsure what was asked, but the answer served: no person needed
    return reason


def respond(plan: Plan, outcomes: list[Outcome], ctx: ToolContext) -> tuple[Reply, list[NewEvent]]:
    """The reply and the events the tools produced (plus a handoff offer when one is due)."""
    if plan.silent:
        return Reply("", plan.language, silent=True), []
    lines: list[str] = []
    facts: dict[str, Any] = {k: v for o in outcomes for k, v in o.facts.items()}
    if plan.first_reply and plan.main != "greet":
        lines.append(ctx.say("reply.ai_intro"))
    ack = None
    if plan.acknowledge:
        u = ctx.understanding
        ack = acknowledgment(u.emotion.state, ctx.text, plan.language, facts, u.stake_names, u.slots)
        if ack:
            lines.append(ack)
    for outcome in outcomes:
        lines.extend(outcome.lines)
    events = [e for o in outcomes for e in o.events]
    actions = [o.record for o in outcomes]
    handoff = next(
        (
            {
                "reason": o.record.get("reason"),
                "stakes": list(ctx.understanding.stake_names),
                "requested": bool(o.record.get("requested")),
            }
            for o in outcomes
            if o.action == "handoff"
        ),
        None,
    )
    choices = [c for o in outcomes for c in o.choices]
    reason = person_offer(plan, outcomes)
    failed = all(o.failed for o in outcomes) if outcomes else True
    if handoff is None and reason and ctx.state.owner == "bot":
        offer = handoff_tools.handoff(ctx, reason, requested=False)
        lines.extend(offer.lines)
        events.extend(offer.events)
        actions.append(offer.record)
        choices.extend(offer.choices)
        handoff = {"reason": reason, "stakes": list(ctx.understanding.stake_names), "requested": False}
    text = "\n".join(lines)
    if scripted_phrases_in(text):
        raise ScriptedEmpathy(f"reply contains scripted empathy: {scripted_phrases_in(text)}")
    products = tuple(c for o in outcomes for c in o.products)
    table = next((o.table for o in outcomes if o.table is not None), None)
    evidence = tuple(e for o in outcomes for e in o.evidence)
    reply = Reply(
        text,
        plan.language,
        products,
        table,
        evidence,
        tuple(actions),
        handoff,
        tuple(dict.fromkeys(choices)),
        ack is not None,
        failed=failed,
    )
    return reply, events


def reply_from_record(payload: dict[str, Any], products: tuple[ShownProduct, ...]) -> Reply:
    """A stored assistant reply, rebuilt from its event payload (for an idempotent retry)."""
    raw = payload.get("table")
    table = None
    if isinstance(raw, dict):
        rows = tuple((str(r[0]), tuple(str(c) for c in r[1])) for r in raw.get("rows", []))
        table = Table(tuple(raw["product_ids"]), tuple(raw["headers"]), rows)
    return Reply(
        str(payload["text"]),
        str(payload["language"]),
        products,
        table,
        tuple(payload.get("evidence", [])),
        tuple(payload.get("actions", [])),
        payload.get("handoff"),
        tuple(payload.get("choices", [])),
        bool(payload.get("acknowledged")),
        failed=payload.get("outcome") == "failed",
    )
