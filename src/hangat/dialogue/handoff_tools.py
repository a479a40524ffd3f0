"""The handoff tool: offer a person (the shopper chooses), or bring one in — telling the shopper
honestly who is coming and about how long it takes, or, outside business hours, when the store
opens. The request goes into the queue the staff console shows; the reason and stakes go with it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hangat.dialogue.outcome import Outcome, ToolContext
from hangat.domain.conversation import EventKind, NewEvent
from hangat.handoff.hours import callback_slots
from hangat.handoff.queue import Wait, estimate
from hangat.i18n import MESSAGES, t


def handoff(ctx: ToolContext, reason: str, requested: bool) -> Outcome:
    """Bring a person in (``requested``) or offer one."""
    if not requested:
        event = NewEvent(EventKind.HANDOFF_OFFERED, {"reason": reason})
        key = f"handoff.offer.{reason}"
        key = key if key in MESSAGES["en"] else "handoff.offer.generic"
        return Outcome(
            "handoff",
            (t(ctx.lang, key),),
            events=(event,),
            record={"type": "handoff", "reason": reason, "offered": True},
            choices=(ctx.say("choice.person"),),
        )
    wait = estimate(ctx.store, ctx.profile, ctx.lang, ctx.now, ctx.customer_id, ctx.conversation_id)
    payload: dict[str, object] = {
        "reason": reason,
        "stakes": list(ctx.understanding.stake_names),
        "language": ctx.lang,
        "mode": "live" if wait.open_now else "message",
    }
    if wait.staff is not None and wait.preferred:
        payload["preferred_staff"] = wait.staff.external_id
    record: dict[str, object] = {
        "type": "handoff",
        "reason": reason,
        "requested": True,
        "staff": wait.staff.first_name if wait.staff else None,
        "wait_minutes": wait.minutes,
        "open": wait.open_now,
    }
    events = [NewEvent(EventKind.HANDOFF_REQUESTED, payload)]
    lines: list[str] = [_told(ctx, wait)]
    choices: tuple[str, ...] = ()
    if not wait.open_now:
        slots = callback_slots(ctx.now, ctx.profile)
        if slots:
            labels = tuple(ctx.say("choice.callback", when=_when(at, ctx)) for at in slots)
            options = [
                {"at": at.isoformat(), "label": label} for at, label in zip(slots, labels, strict=True)
            ]
            events.append(NewEvent(EventKind.CALLBACK_OFFERED, {"options": options}))
            numbered = "; ".join(f"{i}) {_when(at, ctx)}" for i, at in enumerate(slots, start=1))
            lines.append(ctx.say("handoff.callback_offer", slots=numbered))
            choices = labels
            record["callback_options"] = [o["at"] for o in options]
    return Outcome("handoff", tuple(lines), events=tuple(events), record=record, choices=choices)


def confirm_callback(ctx: ToolContext, choice: int) -> Outcome:
    """The shopper picked a call-back time: the queued request becomes a call-back request."""
    options = list((ctx.state.pending or {}).get("options", []))
    if not 1 <= choice <= len(options):
        line = ctx.say("reply.slot_choice", n=len(options))
        return Outcome("clarify", (line,), record={"type": "clarify", "for": "callback"})
    at = datetime.fromisoformat(options[choice - 1]["at"])
    event = NewEvent(
        EventKind.HANDOFF_REQUESTED,
        {
            "reason": ctx.state.handoff_reason or "shopper_asked",
            "mode": "callback",
            "callback_at": at.isoformat(),
        },
    )
    line = ctx.say("handoff.callback_booked", when=_when(at, ctx))
    record = {"type": "handoff", "callback_at": at.isoformat(), "requested": True}
    return Outcome("handoff", (line,), events=(event,), record=record)


def _told(ctx: ToolContext, wait: Wait) -> str:
    if not wait.open_now:
        if wait.opens_at is None:
            return ctx.say("handoff.closed_unknown")
        return ctx.say("handoff.closed", when=_when(wait.opens_at, ctx))
    if wait.staff is None:
        return ctx.say("handoff.nobody_online")
    key = "handoff.requested_again" if wait.preferred else "handoff.requested_named"
    return ctx.say(key, name=wait.staff.first_name, minutes=wait.minutes)


def _when(moment: datetime, ctx: ToolContext) -> str:
    local = moment.astimezone(ZoneInfo(ctx.profile.timezone))
    days = {
        "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    }[ctx.lang if ctx.lang in ("en", "id") else "en"]
    return f"{days[local.weekday()]} {local.strftime('%H:%M')}"
