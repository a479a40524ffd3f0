"""Purchase histories as sparse matrices: households × items, with basket order and dates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class Basket:
    day: float  # days since the epoch of the data (fractional)
    items: np.ndarray  # item indices, unique


@dataclass
class Histories:
    """Every household's baskets in time order, over a fixed item index."""

    households: list[str]
    items: list[str]
    baskets: list[list[Basket]]
    cutoff: float | None = None  # the day the history was cut at: "today" for its recommendations
    groups: np.ndarray | None = None  # per item, the index of its kind (a product type); None: unknown

    @property
    def today(self) -> float:
        """The cut-off day if known, else the day of the last basket."""
        if self.cutoff is not None:
            return self.cutoff
        return max((bs[-1].day for bs in self.baskets if bs), default=0.0)

    def before(self, day: float) -> Histories:
        """The same households and items, with only the baskets before ``day``."""
        kept = [[b for b in bs if b.day < day] for bs in self.baskets]
        return Histories(self.households, self.items, kept, day, self.groups)

    def group_of(self) -> np.ndarray:
        """Per item, its group index; each item its own group when the kinds are unknown."""
        return self.groups if self.groups is not None else np.arange(self.n_items)

    def merged(self, new: Histories) -> tuple[Histories, np.ndarray]:
        """These histories with ``new``'s baskets added, and the indices of the households that got
        any. New households and items are appended (an item new here gets a kind of its own until
        the next full fit); each household's baskets stay in time order."""
        households, items = list(self.households), list(self.items)
        h_index = {name: i for i, name in enumerate(households)}
        i_index = {name: i for i, name in enumerate(items)}
        for name in new.items:
            if name not in i_index:
                i_index[name] = len(items)
                items.append(name)
        to_here = np.array([i_index[name] for name in new.items], dtype=int)
        baskets = list(self.baskets)
        changed = []
        for j, name in enumerate(new.households):
            if not new.baskets[j]:
                continue
            house = h_index.get(name)
            if house is None:
                house = h_index[name] = len(households)
                households.append(name)
                baskets.append([])
            moved = [Basket(b.day, np.unique(to_here[b.items])) for b in new.baskets[j]]
            baskets[house] = sorted(baskets[house] + moved, key=lambda b: b.day)
            changed.append(house)
        groups = None
        if self.groups is not None:
            fresh = len(items) - len(self.items)
            start = int(self.groups.max()) + 1 if len(self.groups) else 0
            groups = np.concatenate([self.groups, np.arange(start, start + fresh)])
        return Histories(households, items, baskets, None, groups), np.array(changed, dtype=int)

    @property
    def n_items(self) -> int:
        return len(self.items)

    def binary(self) -> sparse.csr_matrix:
        """Households × items: 1 where the household ever bought the item."""
        rows, cols = [], []
        for h, baskets in enumerate(self.baskets):
            bought = np.unique(np.concatenate([b.items for b in baskets])) if baskets else np.zeros(0, int)
            rows.append(np.full(len(bought), h))
            cols.append(bought)
        r = np.concatenate(rows) if rows else np.zeros(0, int)
        c = np.concatenate(cols) if cols else np.zeros(0, int)
        return sparse.csr_matrix(
            (np.ones(len(r), np.float32), (r, c)), shape=(len(self.households), self.n_items)
        )


def build(
    households: Sequence[str], orders: Sequence[str], items: Sequence[str], days: Sequence[float],
    kinds: Sequence[str] | None = None,
) -> Histories:  # fmt: skip
    """From parallel columns (one row per order line) to histories; baskets ordered by time.

    ``kinds`` (optional, per line) names each item's kind, such as its product type or category: the
    model then also learns from how a household buys a kind ("milk weekly", whichever brand)."""
    hh = np.asarray(households)
    od = np.asarray(orders)
    it = np.asarray(items)
    dy = np.asarray(days, dtype=float)
    h_names, h_idx = np.unique(hh, return_inverse=True)
    i_names, i_idx = np.unique(it, return_inverse=True)
    o_names, o_idx = np.unique(od, return_inverse=True)
    order_day = np.full(len(o_names), np.inf)
    np.minimum.at(order_day, o_idx, dy)
    order_house = np.zeros(len(o_names), dtype=int)
    order_house[o_idx] = h_idx
    by_order = np.argsort(o_idx, kind="stable")
    bounds = np.searchsorted(o_idx[by_order], np.arange(len(o_names) + 1))
    baskets: list[list[Basket]] = [[] for _ in h_names]
    for o in np.argsort(order_day, kind="stable"):
        lines = i_idx[by_order[bounds[o] : bounds[o + 1]]]
        baskets[order_house[o]].append(Basket(float(order_day[o]), np.unique(lines)))
    groups = None
    if kinds is not None:
        _, k_idx = np.unique(np.asarray([str(k) for k in kinds]), return_inverse=True)
        groups = np.zeros(len(i_names), dtype=int)
        groups[i_idx] = k_idx  # an item named with two kinds keeps the last one given
    return Histories([str(x) for x in h_names], [str(x) for x in i_names], baskets, None, groups)
