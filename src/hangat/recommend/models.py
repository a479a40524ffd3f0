"""Next-basket models: hangat's (personal decayed frequency blended with similar households, TIFU-KNN
style, plus a few slots for new items), and the baselines G-TopFreq, P-TopFreq and item-kNN.

Written with numpy/scipy: the published implementations are research scripts, not libraries.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from hangat.recommend.history import Basket, Histories


def _top(scores: np.ndarray, k: int, exclude: np.ndarray | None = None) -> np.ndarray:
    s = scores.astype(np.float64, copy=True)
    if exclude is not None and len(exclude):
        s[exclude] = -np.inf
    k = min(k, len(s))
    best = np.argpartition(-s, k - 1)[:k]
    best = best[np.argsort(-s[best], kind="stable")]
    return best[np.isfinite(s[best]) & (s[best] > 0)]


class GTopFreq:
    """The items most households buy, the same for everyone."""

    def fit(self, h: Histories) -> GTopFreq:
        self.scores = np.asarray(h.binary().sum(axis=0)).ravel()
        return self

    def recommend(self, house: int, k: int) -> np.ndarray:
        return _top(self.scores, k)


class PTopFreq:
    """The household's own most frequently bought items (ties: the global popularity)."""

    def fit(self, h: Histories) -> PTopFreq:
        self.h = h
        self.popular = np.asarray(h.binary().sum(axis=0)).ravel()
        return self

    def recommend(self, house: int, k: int) -> np.ndarray:
        counts = np.zeros(self.h.n_items)
        for b in self.h.baskets[house]:
            counts[b.items] += 1
        scores = counts + 1e-6 * self.popular / (self.popular.max() or 1)
        scores[counts == 0] = 0
        mine = _top(scores, k)
        if len(mine) < k:
            mine = np.concatenate([mine, _top(self.popular, k, exclude=mine)[: k - len(mine)]])
        return mine


class ItemKNN:
    """Plain item-based kNN: an item's score is its summed cosine similarity to the household's items."""

    def fit(self, h: Histories) -> ItemKNN:
        x = h.binary()
        norms = np.sqrt(np.asarray(x.sum(axis=0)).ravel())
        norms[norms == 0] = 1
        self.x = x
        self.xn = sparse.csr_matrix(x.multiply(1 / norms[None, :]))
        return self

    def recommend(self, house: int, k: int) -> np.ndarray:
        # the sum over the household's items j of cos(i, j): x_h @ (Xn^T Xn), computed as
        # (x_h @ Xn^T) @ Xn so that the item-item matrix is never materialised
        via_households = self.x[house] @ self.xn.T
        scores = np.asarray((via_households @ self.xn).todense()).ravel()
        return _top(scores, k)


@dataclass(frozen=True)
class NextBasketConfig:
    decay: float = 0.97  # weight of a basket n baskets ago: decay**n (tuned at a validation cut-off)
    neighbours: int = 100
    alpha: float = 0.5  # share of the household's own history
    explore_slots: int = 0  # slots kept for items the household never bought


class NextBasket:
    """hangat's model: decayed personal item frequencies, blended with the nearest households'."""

    def __init__(self, config: NextBasketConfig | None = None) -> None:
        self.config = config or NextBasketConfig()

    def _row(self, baskets: list[Basket]) -> tuple[np.ndarray, np.ndarray]:
        """One household's decayed item frequencies: item ids and weights (summing to 1 per basket)."""
        if not baskets:
            return np.zeros(0, dtype=int), np.zeros(0)
        weights = self.config.decay ** np.arange(len(baskets) - 1, -1, -1, dtype=np.float64)
        weights /= weights.sum()
        cols = np.concatenate([b.items for b in baskets])
        vals = np.repeat(weights, [len(b.items) for b in baskets])
        return cols, vals

    def _assemble(self, n_items: int) -> None:
        lengths = [len(c) for c, _ in self.rows]
        u = sparse.csr_matrix(
            (
                np.concatenate([v for _, v in self.rows]) if self.rows else np.zeros(0),
                (np.repeat(np.arange(len(self.rows)), lengths), np.concatenate([c for c, _ in self.rows])),
            ),
            shape=(len(self.rows), n_items),
        )
        u.sum_duplicates()
        self.personal = u
        norms = np.sqrt(np.asarray(u.multiply(u).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        self.unit = sparse.csr_matrix(u.multiply(1 / norms[:, None]))

    def _nearest(self, houses: np.ndarray) -> np.ndarray:
        sims = (self.unit[houses] @ self.unit.T).toarray()
        sims[np.arange(len(houses)), houses] = 0
        k = min(self.config.neighbours, max(1, self.unit.shape[0] - 1))
        return np.argpartition(-sims, k - 1, axis=1)[:, :k]

    def fit(self, h: Histories) -> NextBasket:
        self.rows = [self._row(bs) for bs in h.baskets]
        self._assemble(h.n_items)
        everyone = np.arange(len(h.households))
        self.nearest = np.vstack([self._nearest(part) for part in np.array_split(everyone, 8) if len(part)])
        self.bought = h.binary()
        return self

    def refreshed(self, h: Histories, changed: np.ndarray) -> NextBasket:
        """A copy that knows the new baskets of the ``changed`` households (``h`` holds every
        household's, new ones appended). Only their rows and nearest households are recomputed: the
        other households keep their neighbours until the next full fit."""
        new = copy.copy(self)
        new.rows = list(self.rows) + [self._row([])] * (len(h.households) - len(self.rows))
        for house in changed.tolist():
            new.rows[house] = self._row(h.baskets[house])
        new._assemble(h.n_items)
        k = min(self.config.neighbours, max(1, len(h.households) - 1))
        if self.nearest.shape[1] != k:  # a store that still grows from a handful of households
            return NextBasket(self.config).fit(h)
        nearest = np.zeros((len(h.households), k), dtype=self.nearest.dtype)
        nearest[: len(self.nearest)] = self.nearest
        if len(changed):
            nearest[changed] = new._nearest(changed)
        new.nearest = nearest
        new.bought = h.binary()
        return new

    def parts(self, house: int) -> tuple[np.ndarray, np.ndarray]:
        """The household's own decayed item frequencies, and the mean of its nearest households'."""
        own = np.asarray(self.personal[house].todense()).ravel()
        others = np.asarray(self.personal[self.nearest[house]].mean(axis=0)).ravel()
        return own, others

    def scores(self, house: int) -> np.ndarray:
        own, others = self.parts(house)
        return self.config.alpha * own + (1 - self.config.alpha) * others

    def recommend(self, house: int, k: int) -> np.ndarray:
        scores = self.scores(house)
        slots = self.config.explore_slots
        if not slots:
            return _top(scores, k)
        bought = self.bought[house].indices
        new = np.setdiff1d(np.arange(len(scores)), bought, assume_unique=True)
        fresh = _top(np.where(np.isin(np.arange(len(scores)), new), scores, 0), slots)
        known = _top(scores, k - len(fresh), exclude=fresh)
        return np.concatenate([known, fresh])
