"""When a household is due to buy an item again: its own median interval between purchases of
that item, else the item's median interval across households, else the overall median."""

from __future__ import annotations

import numpy as np

from hangat.recommend.history import Histories


class DueDates:
    def fit(self, h: Histories) -> DueDates:
        self.last: list[dict[int, float]] = []
        self.own: list[dict[int, float]] = []
        per_item: dict[int, list[float]] = {}
        for baskets in h.baskets:
            days: dict[int, list[float]] = {}
            for b in baskets:
                for i in b.items.tolist():
                    days.setdefault(i, []).append(b.day)
            last, own = {}, {}
            for i, ds in days.items():
                last[i] = ds[-1]
                gaps = np.diff(np.unique(np.floor(ds)))
                if len(gaps):
                    own[i] = float(np.median(gaps))
                    per_item.setdefault(i, []).extend(gaps.tolist())
            self.last.append(last)
            self.own.append(own)
        self.item = {i: float(np.median(g)) for i, g in per_item.items()}
        every = [g for gs in per_item.values() for g in gs]
        self.overall = float(np.median(every)) if every else 30.0
        return self

    def interval(self, house: int, item: int) -> float:
        return self.own[house].get(item) or self.item.get(item) or self.overall

    def due(self, house: int, item: int, today: float | None = None) -> float | None:
        """The predicted day of the next purchase, or ``None`` if the household never bought it.

        Given ``today``, an item not bought since it fell due is due today, not in the past."""
        last = self.last[house].get(item)
        if last is None:
            return None
        due = last + self.interval(house, item)
        return due if today is None else max(due, today)
