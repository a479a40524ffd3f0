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

    @property
    def today(self) -> float:
        """The cut-off day if known, else the day of the last basket."""
        if self.cutoff is not None:
            return self.cutoff
        return max((bs[-1].day for bs in self.baskets if bs), default=0.0)

    def before(self, day: float) -> Histories:
        """The same households and items, with only the baskets before ``day``."""
        kept = [[b for b in bs if b.day < day] for bs in self.baskets]
        return Histories(self.households, self.items, kept, day)

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
    households: Sequence[str], orders: Sequence[str], items: Sequence[str], days: Sequence[float]
) -> Histories:
    """From parallel columns (one row per order line) to histories; baskets ordered by time."""
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
    return Histories([str(x) for x in h_names], [str(x) for x in i_names], baskets)
