"""Decide: from the understanding of a message and the conversation so far, the typed actions of
this turn, whether to acknowledge the shopper's feeling, and whether to offer a person.

Pure: no store, no catalog. The rules are the product's (PRODUCT.md, "Stakes-aware handoff"):
a person is offered before things go wrong when the stakes are high, always when the shopper asks,
and when the assistant has failed twice; urgent safety cases go straight through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hangat.domain.conversation import ConversationState
from hangat.domain.store_profile import HandoffRules
from hangat.handoff.router import PRICE_QUESTION, Route, asked, bargains, route, urgent_reason
from hangat.memory.extract import facts
from hangat.understand.language import reply_language
from hangat.understand.understanding import Understanding

ACTIONS = (
    "search",
    "recommend",
    "product_question",
    "reviews",
    "compare",
    "plan_occasion",
    "reorder",
    "cart_add",
    "cart_change",
    "cart_remove",
    "checkout",
    "confirm",
    "decline_offer",
    "order_status",
    "return_refund",
    "book_service",
    "handoff",
    "memory_view",
    "memory_forget",
    "greet",
    "clarify",
    "decline",
    "wait_for_person",
)
_INTENT_ACTION = {
    "search": "search",
    "recommend": "recommend",
    "product_question": "product_question",
    "reviews": "reviews",
    "compare": "compare",
    "plan_occasion": "plan_occasion",
    "reorder": "reorder",
    "cart_add": "cart_add",
    "cart_remove": "cart_remove",
    "checkout": "checkout",
    "order_status": "order_status",
    "return_refund": "return_refund",
    "book_service": "book_service",
    "human_request": "handoff",
    "memory_view": "memory_view",
    "memory_forget": "memory_forget",
    "bulk_order": "search",
    "negotiate": "handoff",
    "out_of_scope": "decline",
    "greeting": "greet",
    "smalltalk": "greet",
    "complaint": "order_status",
}
DEFAULT_RULES = HandoffRules()
HEALTH_FIRM = 0.9  # symptoms: no products pushed; a person (and a doctor) offered instead
# what treats (a medicine, a supplement, a dose) — never picked by the assistant for a condition
_TREATS = re.compile(
    r"\b(?:obat\w*|vitamin\w*|suplemen\w*|supplements?|medicines?|medications?|meds|pills?|tablets?|kapsul|"
    r"capsules?|salep|ointments?|herbal|jamu|remed(?:y|ies)|cure|sembuh\w*|menyembuhkan|treat\w*|painkillers?|"
    r"pereda|antibiotik\w*|antibiotics?|dosis|dose|sirup|syrup|krim|cream|balm|minyak angin|koyo)\b",
    re.IGNORECASE,
)


def aid_for_a_condition(text: str, u: Understanding) -> bool:
    """ "A jar opener for my mother, she has arthritis", "gula rendah kalori, ayah saya diabetes":
    a product named for someone's condition that is not something to treat it with. Searched for
    (the condition acknowledged), where a request to treat a symptom is not."""
    return bool(u.slots.get("product")) and not _TREATS.search(text)


STRONG = 0.6  # emotion intensity from which the shopper's feeling is acknowledged
_NEGATIVE = frozenset({"frustration", "anxiety", "sadness", "confusion"})
_YES = re.compile(
    r"^\s*(ya+|iya+|iyah|yes+|yep|yup|yeah|ok(e|ay)?|oke+|sure|boleh|mau|setuju|lanjut(kan)?|betul|benar|"
    r"confirm(ed)?|konfirmasi|please do|go ahead|do it|gas|siap|sip|y)\b"
    r"(?!.*\b(not|no|jangan|tidak|gak|batal)\b)",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(no+|nope|nah|tidak|nggak|ngga|gak|ga|enggak|jangan|batal(kan)?|cancel|not now|not yet|"
    r"nanti( aja| saja)?|tidak usah|gak usah|ga usah|ngga usah)\b",
    re.IGNORECASE,
)
_CHOICE = re.compile(r"^\s*(?:no\.?\s*|nomor\s*|#|yang\s+|yg\s+|option\s+|pilihan\s+)?([1-9])\s*[.!]?\s*$")
_BROKEN = re.compile(
    r"\b(broke|broken|stopped working|doesn'?t work|not working|died|dead|defect(ive)?|faulty|damaged|rusak|"
    r"mati|cacat|tidak berfungsi|gak berfungsi|ga nyala|nggak nyala|pecah|sobek)\b",
    re.IGNORECASE,
)
_TOO_EXPENSIVE = re.compile(
    r"\b(over|above|beyond|exceeds?) (my |the )?budget|too (expensive|pricey|much)|something cheaper|"
    r"cheaper (ones?|options?)|kemahalan|terlalu mahal|mahal banget|mahal bgt|di atas budget|"
    r"lebih dari budget|melebihi budget|lewat budget|yang lebih murah|yg lebih murah|"
    r"lebih murah (dong|lagi|ada)",
    re.IGNORECASE,
)
_BOUGHT = re.compile(
    r"\b(got|bought|ordered|received|purchased|beli|dibeli|kubeli|pesan|dipesan|terima|diterima|datang)\b",
    re.IGNORECASE,
)
_REORDER = re.compile(
    r"\b(usually|usual|always buy|buy again|reorder|re-order|restock|biasa(nya)?|langganan|beli lagi|"
    r"pesan lagi|yang kemarin|seperti biasa|kayak biasa)\b",
    re.IGNORECASE,
)
_ARE_YOU_AI = re.compile(
    r"\b(are you (a |an )?(bot|robot|ai|human|real|person)|is this (a )?(bot|human|real person)|"
    r"kamu (itu )?(bot|robot|ai|manusia|orang)|ini (bot|robot|manusia)|anda (bot|robot|manusia))\b",
    re.IGNORECASE,
)
_CHANGE_QTY = re.compile(
    r"\b(ubah|ganti|jadi(kan|in)?|change|make (it|that|them)|set|update|tambah(in)?|kurangi|instead)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Action:
    """One typed action of a turn: a tool and its parameters."""

    type: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    language: str
    detected_language: str
    actions: tuple[Action, ...]
    acknowledge: bool = False
    offer_person: str | None = None  # the reason a person is offered, if one is
    urgent: bool = False  # a person is brought in at once (safety)
    route: Route = field(default_factory=lambda: Route(None, "not routed"))  # why a person is offered, or not
    silent: bool = False  # a person owns the conversation: the bot sends nothing
    first_reply: bool = False

    @property
    def main(self) -> str:
        return self.actions[0].type if self.actions else "greet"


def decide(
    text: str, state: ConversationState, understanding: Understanding, hint: str | None, default: str,
    rules: HandoffRules = DEFAULT_RULES, bulk_quantity: int = 50,
) -> Plan:  # fmt: skip
    """The plan for one shopper message, with the store's handoff ``rules``."""
    detected = understanding.language
    language = reply_language(detected, state.language or hint, state.language or hint or default)
    if len(text.split()) <= 2 and state.language in ("en", "id") and state.replies:
        language = state.language  # "ya", "ok", "2": too short to change the conversation's language
    first = state.replies == 0
    if state.owner == "person":
        return Plan(language, detected, (), silent=True)
    intents = understanding.intent_names
    stakes = understanding.stake_names
    actions = (
        _pending_answer(text, state)
        or _reminders_off(text)
        or _statement(text, understanding)
        or _actions(text, intents, understanding, state)
    )
    if (
        understanding.stake_confidence("health") >= HEALTH_FIRM
        and actions[0].type in ("search", "recommend")
        and not aid_for_a_condition(text, understanding)
    ):
        actions = (Action("health_advice", {"intent": actions[0].type}),)
    urgent = urgent_reason(understanding, rules)
    decision = route(tuple(a.type for a in actions), understanding, state, rules, bulk_quantity)
    asked = next((a for a in actions if a.type == "handoff"), None)
    if asked is not None:
        how = "brought in" if asked.params.get("requested") else "offered"
        rule = f"{how}: the message asks ({understanding.top_intent})"
        decision = Route(str(asked.params.get("reason")), rule)
    if urgent:
        actions = (Action("handoff", {"reason": urgent, "requested": True}),)
        decision = Route(urgent, f"urgent stake {urgent}", urgent=True)
    acknowledge = (
        (understanding.emotion.state in _NEGATIVE and understanding.emotion.intensity >= STRONG)
        or "bereavement" in stakes
        or understanding.stake_confidence("health") >= HEALTH_FIRM
        or understanding.stake_confidence("vulnerability") >= rules.stake_floor
    )
    return Plan(
        language, detected, actions, acknowledge, decision.reason if not urgent else None, bool(urgent),
        route=decision, first_reply=first,
    )  # fmt: skip


# what a request to see or to erase the memory says, in either language: without these words a
# reading of memory_view / memory_forget is a misreading ("please keep answers short" is not "forget")
FORGET_WORDS = re.compile(r"\b(?:lupa\w*|forget\w*|forgot|hapus\w*|erase|delete|remove|buang|clear)\b", re.I)
RECALL_WORDS = re.compile(
    r"\b(?:ingat\w*|inget\w*|tahu|tau|know|knows|remember\w*|memory|memori|data|simpan\w*|stored|keep)\b",
    re.I,
)
_ASKS = re.compile(
    r"\?|\b(?:mau|ingin|pengen|pingin|cari\w*|nyari|butuh|kado\w*|rekomen\w*|saran\w*|ada ga\w*|"
    r"want|need|looking|gift|recommend\w*|suggest\w*|show|find|any)\b",
    re.IGNORECASE,
)
STATEMENT_CONFIDENCE = 0.4  # below this, a message that states facts about the person is a statement


_STOP_REMINDERS = re.compile(
    r"\b(?:stop|no more|unsubscribe from)\s+(?:the\s+)?reminders?\b"
    r"|\b(?:stop|berhenti|hentikan)\s+(?:kirim\s+)?pengingat\b"
    r"|\bjangan\s+(?:kirim\s+)?pengingat\b|\bgak usah (?:kirim )?pengingat\b",
    re.IGNORECASE,
)


def _reminders_off(text: str) -> tuple[Action, ...] | None:
    """ "stop reminders" / "stop pengingat": the shopper withdraws the reminders consent."""
    return (Action("reminders_off"),) if _STOP_REMINDERS.search(text) else None


def _statement(text: str, u: Understanding) -> tuple[Action, ...] | None:
    """ "I always buy Indomie", "ukuran sepatu aku 40", "I hate scented candles": the shopper is
    telling something about themselves, not asking. The heads read such messages weakly as some
    request (reorder, memory_view, order_status) or as a complaint; the reply takes it in instead
    (and the memory tools may ask to keep it)."""
    top = u.intents[0] if u.intents else None
    if top is None or top.name in ("search", "recommend", "human_request"):
        return None
    if top.name == "memory_forget" and FORGET_WORDS.search(text):
        return None
    asking = any(u.slots.get(k) for k in ("product", "budget_max", "budget_min", "quantity", "reference"))
    if asking or _ASKS.search(text):
        return None  # "temen gw demen ngopi, mau kadoin biji kopi": it tells, and it asks
    stated = facts(text)
    if not stated:
        return None
    weak = top.confidence < STATEMENT_CONFIDENCE
    grudge = top.name == "complaint" and any(f.kind in ("dislike", "preference") for f in stated)
    if grudge and (_BOUGHT.search(text) or _BROKEN.search(text) or _about_orders(text, u.intent_names)):
        grudge = False  # a complaint about what the store did
    if weak or grudge:
        return (Action("fact_heard", {"intent": top.name}),)
    return None


def _pending_answer(text: str, state: ConversationState) -> tuple[Action, ...] | None:
    if state.pending is None or state.pending.get("turn") != state.turns:
        return None  # an offer is answered by the very next message, or not at all
    kind = str(state.pending.get("kind"))
    if kind == "callback":  # a chip's label, or its number
        labels = [str(o.get("label", "")).lower() for o in state.pending.get("options", [])]
        if text.strip().lower() in labels:
            return (Action("confirm", {"kind": kind, "choice": labels.index(text.strip().lower()) + 1}),)
    if kind == "booking":
        names = [str(o.get("name", "")).lower() for o in state.pending.get("options", [])]
        low = text.lower()
        named = [i for i, n in enumerate(names, start=1) if n and re.search(rf"\b{re.escape(n)}\b", low)]
        if named:
            return (Action("confirm", {"kind": kind, "choice": named[0]}),)
    if len(text.split()) > 4:
        return None  # a longer message says something new; a yes or no is short
    choice = _CHOICE.match(text)
    if kind in ("booking", "callback") and choice:
        return (Action("confirm", {"kind": kind, "choice": int(choice.group(1))}),)
    if _YES.match(text):
        return (Action("confirm", {"kind": kind, "choice": 1}),)
    if _NO.match(text):
        return (Action("decline_offer", {"kind": kind}),)
    return None


def _actions(
    text: str, intents: tuple[str, ...], u: Understanding, state: ConversationState
) -> tuple[Action, ...]:
    if state.owner == "queued" and "human_request" in intents:
        return (Action("wait_for_person"),)
    if "human_request" in intents:
        return (Action("handoff", {"reason": "shopper_asked", "requested": True}),)
    if state.last_products and _TOO_EXPENSIVE.search(text):
        return (Action("cheaper", {"intent": "search"}),)
    main = _main_intent(intents)
    action = _INTENT_ACTION.get(main, "search")
    if main == "negotiate" and not asked(u, ("negotiate",), DEFAULT_RULES) and not bargains(text):
        action = "search"  # a weak reading of bargaining ("yg 3 susun ada?") is a question about products
    has_number = "quantity" in u.slots or bool(re.search(r"\b\d{1,5}\b", text))
    if action == "cart_add" and _CHANGE_QTY.search(text) and has_number and state.cart.lines:
        action = "cart_change"
    if action == "cart_remove" and "quantity" in u.slots and _CHANGE_QTY.search(text):
        action = "cart_change"
    if action == "order_status" and main == "complaint" and not _about_orders(text, intents):
        action = "return_refund" if _BROKEN.search(text) else "complaint"
    elif _BROKEN.search(text) and _BOUGHT.search(text) and action in ("search", "recommend", "complaint"):
        action = "return_refund"  # "the blender I got from you stopped working"
    if action in ("search", "handoff") and PRICE_QUESTION.search(text) and main != "human_request":
        action = "product_question"
    if action in ("recommend", "search") and _REORDER.search(text) and not u.slots.get("product"):
        action = "reorder"
    if action == "memory_forget" and not FORGET_WORDS.search(text):
        action = "memory_view" if RECALL_WORDS.search(text) else "search"
    if action == "memory_view" and not RECALL_WORDS.search(text):
        action = "search"
    if action == "greet" and _ARE_YOU_AI.search(text):
        return (Action("greet", {"intent": main, "ai_question": True}),)
    if action == "greet" and u.slots.get("product") and main == "smalltalk":
        action = "search"
    params: dict[str, Any] = {"intent": main}
    out = [Action(action, params)]
    if main == "bulk_order" and asked(u, ("bulk_order",), DEFAULT_RULES) and not u.slots.get("product"):
        reason = "negotiation" if "negotiate" in intents else "b2b_bulk"
        return (Action("handoff", {"reason": reason, "requested": False}),)  # nothing named to search for
    if "bulk_order" in intents or "negotiate" in intents:
        if action == "handoff":
            out = [Action("handoff", {"reason": "negotiation", "requested": False})]
        if u.slots.get("product") and action != "search":
            out.append(Action("search", {"intent": "bulk_order"}))
    return tuple(out)


def _main_intent(intents: tuple[str, ...]) -> str:
    """The intent that decides the main action: a concrete request wins over a greeting or a
    bare complaint ("hi, where is my order" is an order question)."""
    concrete = [i for i in intents if i not in ("greeting", "smalltalk", "complaint")]
    if concrete:
        return concrete[0]
    return intents[0] if intents else "search"


_ORDER_WORDS = re.compile(
    r"\b(order|orders|pesanan|paket|package|parcel|delivery|deliver(ed)?|kiriman|pengiriman|dikirim|"
    r"sampai|datang|arrive[sd]?|late|telat|terlambat|tracking|resi|kurir|courier|shipped)\b",
    re.IGNORECASE,
)


def _about_orders(text: str, intents: tuple[str, ...]) -> bool:
    return "order_status" in intents or bool(_ORDER_WORDS.search(text))
