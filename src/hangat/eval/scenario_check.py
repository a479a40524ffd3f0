"""Checks one replayed turn against a scenario's expectations (tests/data/conversation_scenarios.jsonl)."""

from __future__ import annotations

from typing import Any

from hangat.dialogue.warmth import scripted_phrases_in


def check_turn(expect: dict[str, Any], out: dict[str, Any]) -> list[str]:
    """The expectations this turn's record misses (empty: it meets them all)."""
    problems: list[str] = []
    reply = str(out["reply"]).lower()
    types = {a.get("type") for a in out["actions"]}
    if scripted_phrases_in(out["reply"]):
        problems.append(f"scripted empathy {scripted_phrases_in(out['reply'])}")
    if "language" in expect and out["language"] != expect["language"]:
        problems.append(f"language {out['language']} != {expect['language']}")
    wanted = expect.get("actions_any") or ([expect["action"]] if "action" in expect else [])
    if wanted and not types & set(wanted):
        problems.append(f"action {sorted(t for t in types if t)} not in {wanted}")
    shown = out["product_details"]
    if len(shown) < expect.get("products_min", 0):
        problems.append(f"{len(shown)} products < {expect['products_min']}")
    if "products_max" in expect and len(shown) > expect["products_max"]:
        problems.append(f"{len(shown)} products > {expect['products_max']}")
    if "budget_max" in expect:
        over = [p["title"] for p in shown if p["price"] is not None and p["price"] > expect["budget_max"]]
        if over:
            problems.append(f"over budget: {over}")
    if expect.get("acknowledge") is True:
        if not out["acknowledged"]:
            problems.append("no acknowledgment")
        elif expect.get("acknowledge_mentions") and not any(
            w in reply for w in expect["acknowledge_mentions"]
        ):
            problems.append(f"acknowledgment names none of {expect['acknowledge_mentions']}")
    if expect.get("acknowledge") is False and out["acknowledged"]:
        problems.append("acknowledged a neutral message")
    if "handoff_offered" in expect and (out["handoff"] is not None) != expect["handoff_offered"]:
        problems.append(f"handoff {out['handoff']} (expected offered={expect['handoff_offered']})")
    if expect.get("mentions_any") and not any(m.lower() in reply for m in expect["mentions_any"]):
        problems.append(f"mentions none of {expect['mentions_any']}")
    for m in expect.get("never_mentions", []):
        if m.lower() in reply:
            problems.append(f"mentions {m!r}")
    if expect.get("confirm_required"):
        if any(a.get("confirmed") for a in out["actions"]):
            problems.append("spent money without a confirmation")
        if not any(a.get("confirm_required") for a in out["actions"]):
            problems.append("no confirmation asked")
    return problems
