"""What a conversation tool asks for: a household's likely next items, each with a due day and a reason.

``Recommender`` trains the ranked next-basket model and the due dates together from one store's
histories, then answers ``next_basket(household)`` with ``Suggestion``s the assistant can show as is.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from hangat.errors import InputError
from hangat.recommend.history import Histories, build
from hangat.recommend.ranker import RankedNextBasket, RankerConfig
from hangat.recommend.timing import DueDates

HELD_BACK = 5  # extra items asked of the model, for those held back as just bought
JUST_BOUGHT = 0.5  # share of its usual interval within which an item not yet due is not offered


@dataclass(frozen=True)
class Suggestion:
    item: str
    score: float  # the model's probability that the item is in the next basket
    repeat: bool  # the household bought it before
    due_day: float | None  # predicted day of the next purchase (repeat items); same clock as the history
    reason: str
    every_days: float | None = None  # the household's own usual interval for this item
    last_days: float | None = None  # days since the household last bought it
    due_in_days: float | None = None  # days from "today" to the due day (negative: overdue)


def span(days: float) -> str:
    """A number of days in the words a shop assistant would use."""
    d = max(round(days), 0)
    if d < 14:
        return "1 day" if d == 1 else f"{d} days"
    if d < 60:
        return f"{round(d / 7)} weeks"
    return f"{round(d / 30)} months"


class Recommender:
    """Fit once on a store's orders; then ``next_basket`` per household, a few milliseconds each."""

    FORMAT = 2  # the saved model's layout: a file of another format is trained again, not read

    def __init__(self, config: RankerConfig | None = None) -> None:
        self.format = self.FORMAT
        self.model = RankedNextBasket(config)
        self.epoch: datetime | None = None  # the moment of day 0 of the histories, when known

    def day_of(self, moment: datetime) -> float | None:
        """``moment`` on the histories' clock (days since the first order), when the epoch is known."""
        epoch = getattr(self, "epoch", None)  # a model saved before the epoch was kept has none
        return (moment - epoch).total_seconds() / 86400 if epoch is not None else None

    def fit(self, h: Histories, orders: Iterable[str] = ()) -> Recommender:
        """Learn from ``h``; ``orders`` names the orders it holds, so that a refresh skips them."""
        self.histories = h
        self.model.fit(h)
        self.due = DueDates().fit(h)
        self.index = {name: i for i, name in enumerate(h.households)}
        self.orders = set(orders)
        return self

    def refreshed(
        self, households: Sequence[str], orders: Sequence[str], items: Sequence[str], days: Sequence[float]
    ) -> tuple[Recommender, int]:
        """A copy that also knows these order lines (one row per line, days on this model's clock),
        and how many orders were new to it. Orders it already holds are skipped. Nothing is learned
        again: the new baskets move the changed households' features, neighbours and due dates in
        a second or two, where a full fit takes minutes; the daily fit catches up with the rest."""
        fresh = [i for i, order in enumerate(orders) if order not in self.orders]
        if not fresh:
            return self, 0
        new_orders = {orders[i] for i in fresh}
        added = build(
            [households[i] for i in fresh], [orders[i] for i in fresh], [items[i] for i in fresh],
            [days[i] for i in fresh],
        )  # fmt: skip
        h, changed = self.histories.merged(added)
        new = copy.copy(self)
        new.histories = h
        new.model = self.model.refreshed(h, changed)
        new.due = self.due.refreshed(h, changed)
        new.index = {name: i for i, name in enumerate(h.households)}
        new.orders = self.orders | new_orders
        return new, len(new_orders)

    def next_basket(self, household: str, k: int = 10, day: float | None = None) -> list[Suggestion]:
        """The ``k`` items the household most likely buys next, as of ``day`` (default: the history's end)."""
        house = self.index.get(household)
        if house is None:
            raise InputError(f"unknown household {household!r}")
        today = self.histories.today if day is None else day
        ids, probs = self.model.top(house, k + HELD_BACK, today)
        found = [self._suggest(house, int(i), float(p), today) for i, p in zip(ids, probs, strict=True)]
        return [s for s in found if not self._just_bought(house, s)][:k]

    def _just_bought(self, house: int, s: Suggestion) -> bool:
        """Bought so recently that the household surely still has it: within the first half of its
        usual interval and not due (the model ranks what a household buys weekly high right after
        it bought it; a shopper should not be offered what they bought this morning)."""
        if not s.repeat or s.last_days is None or s.due_in_days is None or s.due_in_days <= 1:
            return False
        return s.last_days < JUST_BOUGHT * (s.last_days + s.due_in_days)

    def _suggest(self, house: int, item: int, prob: float, today: float) -> Suggestion:
        name = self.histories.items[item]
        last = self.due.last[house].get(item)
        if last is None:
            return Suggestion(name, prob, False, None, "households that shop like you often buy this")
        ago = f"last time {span(today - last)} ago"
        own = self.due.own[house].get(item)
        reason = f"you buy this about every {span(own)}; {ago}" if own else f"you bought this before; {ago}"
        due = self.due.due(house, item, today)
        due_in = None if due is None else due - today
        return Suggestion(name, prob, True, due, reason, own, today - last, due_in)
