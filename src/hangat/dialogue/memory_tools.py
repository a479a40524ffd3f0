"""The memory tools: notice facts (asking consent first), answer the consent question, show the
memory card, forget, and recall facts where they change an answer.

Only a signed-in customer is remembered. Each fact needs a yes to its purpose when it is written
(the store refuses it otherwise); a purpose is asked about once per conversation and never again
once the shopper said no; health facts need their own, separate yes (``sensitive``).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from hangat.dialogue.outcome import Outcome, ToolContext
from hangat.domain.conversation import TEXT_CHANNEL_PREFIX, EventKind, NewEvent
from hangat.domain.memory import KIND_PURPOSE, Consent, Fact, latest, lifetime
from hangat.i18n.memory_messages import CONSENT_VERSION
from hangat.memory.card import phrase, phrases, sources
from hangat.memory.extract import Found, facts
from hangat.memory.recall import relevant, rerank

ASK_ORDER = ("sensitive", "personalisation")  # health is asked about on its own, first
SINGLE = ("size", "style")  # one value per person: a new one corrects the old
CARD_LIMIT = 30


def channel(conversation_id: str) -> str:
    return "sms" if conversation_id.startswith(TEXT_CHANNEL_PREFIX) else "chat"


def heard(ctx: ToolContext) -> Outcome:
    """The shopper told something about themselves: take it in, and ask what they are after."""
    return Outcome("fact_heard", (ctx.say("memory.heard"),), record={"type": "fact_heard"})


def notice(ctx: ToolContext, failed: bool, may_ask: bool = True) -> Outcome | None:
    """Facts in the shopper's message: kept when their purpose has a yes, asked about when it was
    never answered, dropped when the answer was no."""
    customer = ctx.customer_id
    if not customer:
        return None
    found = facts(ctx.text)
    if not found:
        return _deferred(ctx, failed) if may_ask else None
    consents = ctx.store.consents(customer)
    keep: list[Found] = []
    for purpose in ASK_ORDER:
        answer = latest(consents, purpose)
        if answer is not None and answer.granted:
            keep.extend(f for f in found if KIND_PURPOSE[f.kind] == purpose)
    unasked = _unasked(ctx, found, consents)
    lines: list[str] = []
    events: list[NewEvent] = []
    if keep:
        kept_lines, kept_events = _keep(ctx, customer, keep, ctx.said_seq)
        lines += kept_lines
        events += kept_events
    asked = None
    if unasked and may_ask:
        asked = str(unasked["purpose"])
        lines.append(_question(ctx, unasked))
        events.append(NewEvent(EventKind.MEMORY_ASKED, unasked))
    elif unasked and ctx.state.deferred is None:  # another question is open: this one waits its turn
        events.append(NewEvent(EventKind.MEMORY_DEFERRED, unasked))
    if not lines and not events:
        return None
    record = {"type": "memory", "kept": len(keep), "asked": asked}
    return Outcome("memory", tuple(lines), events=tuple(events), record=record, failed=failed)


def _question(ctx: ToolContext, asking: dict[str, Any]) -> str:
    """The consent question for one purpose, naming the facts it would keep."""
    purpose = str(asking["purpose"])
    group = [_found_from(r) for r in asking.get("facts", []) if isinstance(r, dict)]
    if purpose == "sensitive":
        described = ", ".join(f"“{f.value}”" for f in group)
    else:
        described = "; ".join(_describe(f, ctx.lang) for f in group)
    return ctx.say(f"memory.ask.{purpose}", facts=described)


def _unasked(ctx: ToolContext, found: list[Found], consents: list[Consent]) -> dict[str, Any] | None:
    """The consent question to ask for ``found`` (health first), with the next ones queued in
    ``then``; ``None`` when every purpose involved is answered or was asked here already."""
    questions = []
    for purpose in ASK_ORDER:
        group = [f for f in found if KIND_PURPOSE[f.kind] == purpose]
        if group and latest(consents, purpose) is None and purpose not in ctx.state.memory_asked:
            questions.append({"purpose": purpose, "version": CONSENT_VERSION, "seq": ctx.said_seq,
                              "facts": [_found_record(f) for f in group]})  # fmt: skip
    if not questions:
        return None
    return {**questions[0], "then": questions[1:]}


def _deferred(ctx: ToolContext, failed: bool) -> Outcome | None:
    """The consent question that waited while another was open, asked now."""
    waiting = ctx.state.deferred
    customer = ctx.customer_id
    if not waiting or not customer:
        return None
    purpose = str(waiting.get("purpose", ""))
    if purpose in ctx.state.memory_asked or latest(ctx.store.consents(customer), purpose) is not None:
        return None
    if not waiting.get("facts"):
        return None
    event = NewEvent(EventKind.MEMORY_ASKED, dict(waiting))
    record = {"type": "memory", "kept": 0, "asked": purpose}
    return Outcome("memory", (_question(ctx, waiting),), events=(event,), record=record, failed=failed)


def offer_reminders(ctx: ToolContext, failed: bool) -> Outcome | None:
    """After the model's reorder suggestions: may it remind the shopper when these run low? Asked
    once, of a signed-in customer who never answered."""
    customer = ctx.customer_id
    if not customer or "reminders" in ctx.state.memory_asked:
        return None
    if latest(ctx.store.consents(customer), "reminders") is not None:
        return None
    asking: dict[str, Any] = {
        "purpose": "reminders",
        "version": CONSENT_VERSION,
        "seq": ctx.said_seq,
        "facts": [],
    }
    event = NewEvent(EventKind.MEMORY_ASKED, asking)
    record = {"type": "memory", "kept": 0, "asked": "reminders"}
    return Outcome(
        "memory", (ctx.say("memory.ask.reminders"),), events=(event,), record=record, failed=failed
    )


def reminders_off(ctx: ToolContext) -> Outcome:
    """ "stop reminders": a no to the ``reminders`` purpose, kept as proof like any other answer."""
    customer = ctx.customer_id
    if customer:
        where = channel(ctx.conversation_id)
        no = Consent(customer, "reminders", False, ctx.now, CONSENT_VERSION, ctx.lang, where)
        ctx.store.record_consent(no)
    event = NewEvent(
        EventKind.CONSENT_RECORDED, {"purpose": "reminders", "granted": False, "version": CONSENT_VERSION}
    )
    record = {"type": "consent", "purpose": "reminders", "granted": False}
    return Outcome(
        "consent", (ctx.say("memory.reminders_off"),), events=(event,) if customer else (), record=record
    )


def consent(ctx: ToolContext, granted: bool) -> Outcome:
    """The shopper's yes or no to the question just asked: kept as proof, then acted on."""
    pending = ctx.state.pending or {}
    purpose = str(pending.get("purpose", ""))
    customer = ctx.customer_id
    if not customer or not purpose:
        return Outcome("clarify", (ctx.say("reply.not_understood"),), record={"type": "clarify"}, failed=True)
    version = str(pending.get("version", CONSENT_VERSION))
    ctx.store.record_consent(
        Consent(customer, purpose, granted, ctx.now, version, ctx.lang, channel(ctx.conversation_id))
    )
    event = NewEvent(EventKind.CONSENT_RECORDED, {"purpose": purpose, "granted": granted, "version": version})
    record = {"type": "consent", "purpose": purpose, "granted": granted}
    lines: list[str] = []
    events = [event]
    if purpose == "reminders":
        lines.append(ctx.say("memory.reminders_yes" if granted else "memory.consent_no"))
    elif granted:
        found = [_found_from(r) for r in pending.get("facts", []) if isinstance(r, dict)]
        seq = pending.get("seq")
        _, kept_events = _keep(ctx, customer, found, int(seq) if isinstance(seq, int) else None)
        events += kept_events
        lines.append(ctx.say("memory.consent_yes", facts="; ".join(_describe(f, ctx.lang) for f in found)))
    else:
        lines.append(ctx.say("memory.consent_no"))
    answered = ctx.store.consents(customer)
    queued = [
        q
        for q in pending.get("then", [])
        if isinstance(q, dict) and latest(answered, str(q["purpose"])) is None
    ]
    if queued:  # the next purpose the same message needs (health first, then the rest)
        following = {**queued[0], "then": queued[1:]}
        lines.append(_question(ctx, following))
        events.append(NewEvent(EventKind.MEMORY_ASKED, following))
    return Outcome("consent", tuple(lines), events=tuple(events), record=record)


def view(ctx: ToolContext) -> Outcome | None:
    """The memory card: every fact in plain words, where it came from, and how to change it."""
    customer = ctx.customer_id
    if not customer:
        return None
    held = [f for f in ctx.store.facts(customer) if f.live(ctx.now)]
    lines = [ctx.say("memory.card_title", n=len(held)) if held else ctx.say("memory.card_empty")]
    quotes = sources(ctx.store, held[:CARD_LIMIT])
    for f in held[:CARD_LIMIT]:
        date = _date(f.created_at, ctx.lang)
        if f.author != "shopper":
            line = ctx.say(
                "memory.card_line_staff", fact=phrase(f, ctx.lang), who=f.author.split(":")[-1], date=date
            )
        elif f.ident in quotes:
            line = ctx.say("memory.card_line", fact=phrase(f, ctx.lang), quote=quotes[f.ident], date=date)
        else:
            line = ctx.say("memory.card_line_bare", fact=phrase(f, ctx.lang), date=date)
        lines.append(line)
    consents = ctx.store.consents(customer)
    decided = {p: latest(consents, p) for p in ("personalisation", "reminders", "sensitive")}
    allowed = [ctx.say(f"purpose.{p}") for p, c in decided.items() if c is not None and c.granted]
    refused = [ctx.say(f"purpose.{p}") for p, c in decided.items() if c is not None and not c.granted]
    if allowed or refused:
        none = ctx.say("purpose.none")
        lines.append(ctx.say("memory.card_consents", allowed=", ".join(allowed) or none,
                             refused=", ".join(refused) or none))  # fmt: skip
    if held:
        lines.append(ctx.say("memory.card_how"))
    record = {"type": "memory_view", "facts": [f.ident for f in held]}
    return Outcome("memory_view", tuple(lines), record=record)


def forget(ctx: ToolContext) -> Outcome | None:
    """ "forget my size" erases the facts the message names; otherwise everything is forgotten."""
    customer = ctx.customer_id
    if not customer:
        return None
    held = ctx.store.facts(customer)
    named = _named(held, ctx.text)
    doomed = named or held
    erased = ctx.store.erase_facts(customer, [f.ident for f in doomed]) if doomed else 0
    if not erased:
        return Outcome(
            "memory_forget", (ctx.say("memory.forgot_nothing"),), record={"type": "memory_forget", "n": 0}
        )
    if named:
        line = ctx.say("memory.forgot", n=erased, facts=phrases(doomed, ctx.lang, limit=6))
    else:
        line = ctx.say("memory.forgot_all", n=erased)
    event = NewEvent(EventKind.MEMORY_ERASED, {"fact_ids": [f.ident for f in doomed]})
    return Outcome("memory_forget", (line,), events=(event,), record={"type": "memory_forget", "n": erased})


def recall(ctx: ToolContext, outcome: Outcome) -> Outcome:
    """A search or a suggestion shaped by what the shopper told before: products that meet a
    remembered need first, and one sentence saying so (once per fact per conversation)."""
    customer = ctx.customer_id
    if not customer or not outcome.products or outcome.action not in ("search", "recommend", "reorder"):
        return outcome
    live = list(ctx.remembered)  # read once when the turn began
    recipient = str(ctx.slot("recipient") or "")
    useful = relevant(live, ctx.text, recipient, size_given=bool(ctx.slot("size")))
    if outcome.action == "reorder":  # "what do I usually buy": their dislikes and needs, whatever the words
        useful = [f for f in live if f.kind in ("dislike", "constraint") and f.subject == "self"]
    if not useful:
        return outcome
    by_id = {c.product.external_id: c for c in outcome.products}
    ordered, moved = rerank([c.product for c in outcome.products], useful)
    # said in this very conversation, or recalled here already: not "you told me before" again
    fresh = [
        f for f in useful if f.ident not in ctx.state.recalled and f.conversation_id != ctx.conversation_id
    ]
    lines = list(outcome.lines)
    if fresh:
        # a need says enough: the condition behind it is not said aloud again
        needs = {f.subject for f in fresh if f.kind != "health"}
        said = [f for f in fresh if f.kind != "health" or f.subject not in needs]
        key = "memory.recall_ranked" if moved else "memory.recall"
        lines.insert(0, ctx.say(key, facts=phrases(said, ctx.lang)))
    used = NewEvent(EventKind.MEMORY_USED, {"fact_ids": [f.ident for f in fresh]})
    record = {**outcome.record, "recalled": [f.ident for f in useful], "reordered": moved}
    return replace(
        outcome,
        lines=tuple(lines),
        products=tuple(by_id[p.external_id] for p in ordered),
        events=(*outcome.events, used) if fresh else outcome.events,
        record=record,
    )


# -- helpers ----------------------------------------------------------------------------------------


def _keep(
    ctx: ToolContext, customer: str, found: list[Found], seq: int | None
) -> tuple[list[str], list[NewEvent]]:
    held = ctx.store.facts(customer)
    new: list[Fact] = []
    changed: list[tuple[Fact, str]] = []
    for f in found:
        same = [h for h in held if h.kind == f.kind and h.subject == f.subject]
        if any(h.value.lower() == f.value.lower() for h in same):
            continue  # already known
        expires = ctx.now + lifetime(f.kind, ctx.profile.retention_days)
        if f.kind in SINGLE and same:
            changed.append(
                (ctx.store.change_fact(customer, same[-1].ident, f.value, expires), same[-1].value)
            )
            continue
        new.append(Fact(uuid.uuid4().hex, customer, f.kind, f.subject, f.value, ctx.lang,
                        ctx.conversation_id, seq, ctx.now, expires))  # fmt: skip
    if new:
        ctx.store.add_facts(new)
    lines, events = [], []
    if new:
        lines.append(ctx.say("memory.noted", facts=phrases(new, ctx.lang, limit=6)))
    for fact, old in changed:
        lines.append(ctx.say("memory.changed", facts=phrase(fact, ctx.lang), old=old))
    touched = new + [f for f, _ in changed]
    if touched:
        events.append(NewEvent(EventKind.MEMORY_NOTED, {"fact_ids": [f.ident for f in touched],
                                                        "kinds": [f.kind for f in touched]}))  # fmt: skip
    return lines, events


def _describe(found: Found, lang: str) -> str:
    return phrase(_as_fact(found, lang), lang)


def _as_fact(found: Found, lang: str) -> Fact:
    epoch = datetime.fromtimestamp(0).astimezone()
    return Fact("", "", found.kind, found.subject, found.value, lang, None, None, epoch, epoch)


def _found_record(f: Found) -> dict[str, Any]:
    return {"kind": f.kind, "subject": f.subject, "value": f.value, "start": f.start, "end": f.end}


def _found_from(r: dict[str, Any]) -> Found:
    return Found(
        str(r["kind"]), str(r["subject"]), str(r["value"]), int(r.get("start", 0)), int(r.get("end", 0))
    )


def _date(moment: datetime, lang: str) -> str:
    months = {
        "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
        "id": "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split(),
    }[lang if lang == "id" else "en"]
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


_KIND_WORDS = {
    "size": ("size", "ukuran", "sizes"),
    "preference": ("like", "likes", "suka", "favourite", "favorite", "favorit", "preference", "preferences"),
    "dislike": ("dislike", "dislikes", "avoid", "gak suka", "tidak suka"),
    "constraint": ("need", "needs", "diet", "perlu", "kebutuhan"),
    "recipient": ("birthday", "ulang tahun", "ultah", "occasion", "acara"),
    "household": (
        "household",
        "family",
        "keluarga",
        "rumah tangga",
        "kids",
        "anak",
        "pets",
        "kucing",
        "anjing",
    ),
    "accessibility": ("accessibility", "screen reader", "vision", "penglihatan"),
    "style": ("style", "answers", "jawaban", "gaya", "bahasa"),
    "health": ("health", "kesehatan", "medical", "medis", "condition", "penyakit"),
}


def _named(held: list[Fact], text: str) -> list[Fact]:
    """The facts a "forget …" message names: by kind word, by value or by the person."""
    low = f" {text.lower()} "
    chosen = []
    for f in held:
        kind_named = any(f" {w}" in low for w in _KIND_WORDS.get(f.kind, ()))
        value_named = f.value.lower() in low
        person_named = f.subject not in ("self", "household") and f" {f.subject.lower()}" in low
        if kind_named or value_named or person_named:
            chosen.append(f)
    return chosen
