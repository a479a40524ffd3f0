"""Act: run the plan's typed actions with the tools. The only step of a turn that touches stores.

The loop is capped (``MAX_ACTIONS``): a plan can never make the assistant act without end.
"""

from __future__ import annotations

from collections.abc import Callable

from hangat.dialogue import (
    answer_tools,
    cart_tools,
    catalog_tools,
    handoff_tools,
    memory_tools,
    review_tools,
    service_tools,
)
from hangat.dialogue.outcome import Outcome, ToolContext
from hangat.dialogue.policy import Action, Plan
from hangat.dialogue.respond import person_offer
from hangat.domain.conversation import EventKind, NewEvent

MAX_ACTIONS = 3
Extra = Callable[[ToolContext], Outcome]


def act(plan: Plan, ctx: ToolContext, extra: dict[str, Extra] | None = None) -> list[Outcome]:
    """The outcomes of the plan's actions, in order (at most ``MAX_ACTIONS``)."""
    tools = {**_TOOLS, **(extra or {})}
    outcomes = [memory_tools.recall(ctx, run(action, ctx, tools)) for action in plan.actions[:MAX_ACTIONS]]
    if not plan.silent and not any(o.action in _ABOUT_MEMORY for o in outcomes):
        offering = person_offer(plan, outcomes) is not None or any(_offers(o) for o in outcomes)
        noticed = memory_tools.notice(ctx, failed=all(o.failed for o in outcomes), may_ask=not offering)
        if noticed is not None:
            outcomes.append(noticed)
        elif not offering and any(o.record.get("model") == "next_basket" for o in outcomes):
            offered = memory_tools.offer_reminders(ctx, failed=all(o.failed for o in outcomes))
            if offered is not None:
                outcomes.append(offered)
    return outcomes


_ABOUT_MEMORY = ("consent", "memory_view", "memory_forget")
_OFFER_EVENTS = (EventKind.CHECKOUT_OFFERED, EventKind.SERVICE_OFFERED, EventKind.HANDOFF_OFFERED,
                 EventKind.CALLBACK_OFFERED, EventKind.HANDOFF_REQUESTED)  # fmt: skip


def _offers(outcome: Outcome) -> bool:
    """Whether the outcome asks the shopper something else (one question at a time)."""
    return any(e.kind in _OFFER_EVENTS for e in outcome.events)


def run(action: Action, ctx: ToolContext, tools: dict[str, Extra]) -> Outcome:
    p = action.params
    if action.type == "handoff":
        return handoff_tools.handoff(
            ctx, str(p.get("reason", "shopper_asked")), bool(p.get("requested", True))
        )
    if action.type == "confirm":
        return _confirm(ctx, str(p.get("kind")), int(p.get("choice", 1)))
    if action.type == "decline_offer" and p.get("kind") == "memory":
        return memory_tools.consent(ctx, granted=False)
    if action.type == "decline_offer":
        return Outcome(
            "decline_offer",
            (ctx.say("reply.offer_declined"),),
            record={"type": "decline_offer"},
            events=(_declined(str(p.get("kind"))),),
        )
    if action.type == "greet" and p.get("ai_question"):
        return Outcome("greet", (ctx.say("reply.i_am_ai"),), record={"type": "greet", "ai_question": True})
    tool = tools.get(action.type)
    if tool is None:
        return Outcome("decline", (ctx.say("reply.not_yet"),), record={"type": "decline"}, failed=True)
    return tool(ctx)


def _confirm(ctx: ToolContext, kind: str, choice: int) -> Outcome:
    pending = ctx.state.pending or {}
    if kind == "checkout":
        return cart_tools.confirm_checkout(ctx, str(pending.get("token", "")))
    if kind == "booking":
        return service_tools.confirm_booking(ctx, choice)
    if kind == "handoff":
        return handoff_tools.handoff(ctx, str(pending.get("reason", "shopper_asked")), requested=True)
    if kind == "callback":
        return handoff_tools.confirm_callback(ctx, choice)
    if kind == "memory":
        return memory_tools.consent(ctx, granted=True)
    return Outcome("clarify", (ctx.say("reply.not_understood"),), record={"type": "clarify"}, failed=True)


def _declined(kind: str) -> NewEvent:
    return NewEvent(EventKind.OFFER_DECLINED, {"kind": kind})


def _greet(ctx: ToolContext) -> Outcome:
    return Outcome("greet", (ctx.say("reply.greeting"),), record={"type": "greet"})


def _decline(ctx: ToolContext) -> Outcome:
    # honest, but the shopper's need is unmet: it counts towards offering a person
    return Outcome("decline", (ctx.say("reply.out_of_scope"),), record={"type": "decline"}, failed=True)


def _health(ctx: ToolContext) -> Outcome:
    line = ctx.say("reply.health_no_products")
    return Outcome("health_advice", (line,), record={"type": "health_advice"}, offer_person="health")


def _wait(ctx: ToolContext) -> Outcome:
    return Outcome("wait_for_person", (ctx.say("handoff.still_waiting"),), record={"type": "wait_for_person"})


_TOOLS: dict[str, Extra] = {
    "search": catalog_tools.search,
    "recommend": catalog_tools.recommend,
    "compare": catalog_tools.compare,
    "cheaper": catalog_tools.cheaper,
    "reviews": review_tools.reviews,
    "product_question": answer_tools.product_question,
    "plan_occasion": catalog_tools.plan_occasion,
    "cart_add": cart_tools.add,
    "cart_change": cart_tools.change,
    "cart_remove": cart_tools.remove,
    "checkout": cart_tools.checkout,
    "order_status": service_tools.order_status,
    "complaint": service_tools.complaint,
    "return_refund": service_tools.return_refund,
    "reorder": service_tools.reorder,
    "book_service": service_tools.book_service,
    "memory_view": service_tools.memory_view,
    "memory_forget": service_tools.memory_forget,
    "fact_heard": memory_tools.heard,
    "reminders_off": memory_tools.reminders_off,
    "greet": _greet,
    "decline": _decline,
    "wait_for_person": _wait,
    "health_advice": _health,
}
