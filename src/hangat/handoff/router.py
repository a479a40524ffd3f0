"""When to bring a person in: the store's rules (``[handoff]`` in the store profile) applied to one
message's understanding and the conversation so far. Every decision carries the rule that made it,
and the turn records it, so a store can see why a person was — or was not — offered.

Pure: no store, no catalog. Offered means asked: the shopper chooses. Only the stakes the store marks
``urgent`` (safety, by default) bring a person in at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hangat.domain.conversation import ConversationState
from hangat.domain.store_profile import HandoffRules
from hangat.understand.understanding import Understanding

STRONG = 0.6  # emotion intensity from which a complaint, or an urgent case, is taken as strong
NO_OFFER_AFTER = ("handoff", "wait_for_person", "confirm", "decline_offer")

PRICE_QUESTION = re.compile(
    r"\b(harga(nya)?\s+(berapa|brp)|(berapa|brp)\s+harga(nya)?|how much (is|does|are)|"
    r"what('s| is) the price)\b",
    re.IGNORECASE,
)
_BARGAIN = re.compile(
    r"\b(kurang|nego|diskon|discount|potongan|cheaper|better price|best price|lower|deal|grosir|wholesale|"
    r"knock|haggle|tawar|ditawar|harga pas|\d+\s*%\s*off)\b",
    re.IGNORECASE,
)


def bargains(text: str) -> bool:
    """The words bargain ("bisa kurang?", "knock 20% off", "nego dong")."""
    return bool(_BARGAIN.search(text))


@dataclass(frozen=True)
class Route:
    """A routing decision: the reason a person is offered (``None``: not now) and the rule applied."""

    reason: str | None
    rule: str
    urgent: bool = False

    def record(self) -> dict[str, object]:
        return {"reason": self.reason, "rule": self.rule, "urgent": self.urgent}


def urgent_reason(u: Understanding, rules: HandoffRules) -> str | None:
    """A stake the store brings a person in for at once, when the message is strong about it."""
    strong = u.emotion.intensity >= STRONG or "human_request" in u.intent_names
    for stake in rules.urgent:
        if u.stake_confidence(stake) >= rules.stake_floor and strong:
            return stake
    return None


def route(
    actions: tuple[str, ...], u: Understanding, state: ConversationState, rules: HandoffRules,
    bulk_quantity: int,
) -> Route:  # fmt: skip
    """Whether this reply offers a person, and why. ``actions`` are the turn's action types."""
    if state.owner != "bot":
        return Route(None, f"a person is already {state.owner}")
    done = [a for a in actions if a in NO_OFFER_AFTER]
    if done:
        return Route(None, f"the turn is '{done[0]}'")
    stakes = u.stake_names
    for stake in rules.offer_for:
        if stake in state.settled:
            continue  # a person has dealt with this in the conversation already
        bulk = _bulk(u, bulk_quantity) or asked(u, ("bulk_order", "negotiate"), rules)
        if stake == "b2b_bulk" and not bulk:
            continue  # "for office use", or a vague message, without a large quantity is not a bulk order
        if stake == "negotiation" and (not asked(u, ("negotiate",), rules) or _price_only(u.text)):
            continue  # "harganya berapa?" asks a price; it does not bargain
        confidence = u.stake_confidence(stake)
        if stake in stakes and confidence >= rules.stake_floor:
            return Route(stake, f"stake {stake} {confidence:.2f} >= {rules.stake_floor}")
    if state.failures >= rules.failures and "repeated_failure" not in state.settled:
        return Route("repeated_failure", f"{state.failures} replies in a row could not help")
    if u.top_intent == "complaint" and u.emotion.intensity >= STRONG and "complaint" not in state.settled:
        return Route("complaint", f"a strong complaint ({u.emotion.state} {u.emotion.intensity:.2f})")
    top = max((i.confidence for i in u.intents), default=0.0)
    if top < rules.low_confidence and len(u.text.split()) >= 4 and "low_confidence" not in state.settled:
        # offered only if the turn's answer then fails too (the reply decides; see respond)
        return Route("low_confidence", f"intent confidence {top:.2f} < {rules.low_confidence}")
    return Route(None, "no rule applies")


def _bulk(u: Understanding, bulk_quantity: int) -> bool:
    quantity = u.slots.get("quantity")
    return isinstance(quantity, int) and quantity >= bulk_quantity


def _price_only(text: str) -> bool:
    return bool(PRICE_QUESTION.search(text)) and not _BARGAIN.search(text)


def asked(u: Understanding, intents: tuple[str, ...], rules: HandoffRules) -> bool:
    """The message asks for one of ``intents`` with at least the store's stake floor of confidence."""
    return any(i.name in intents and i.confidence >= rules.stake_floor for i in u.intents)
