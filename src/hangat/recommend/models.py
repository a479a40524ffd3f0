"""Next-basket models: hangat's (personal decayed frequency blended with similar households, TIFU-KNN
style, plus a few slots for new items), and the baselines G-TopFreq, P-TopFreq and item-kNN.

Written with numpy/scipy: the published implementations are research scripts, not libraries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from hangat.recommend.history import Histories


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

    def fit(self, h: Histories) -> NextBasket:
        cfg = self.config
        rows, cols, vals = [], [], []
        for house, baskets in enumerate(h.baskets):
            n = len(baskets)
            if not n:
                continue
            weights = cfg.decay ** np.arange(n - 1, -1, -1, dtype=np.float64)
            total = weights.sum()
            for b, w in zip(baskets, weights, strict=True):
                rows.append(np.full(len(b.items), house))
                cols.append(b.items)
                vals.append(np.full(len(b.items), w / total))
        u = sparse.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(h.households), h.n_items),
        )
        u.sum_duplicates()
        self.personal = u
        norms = np.sqrt(np.asarray(u.multiply(u).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        un = sparse.csr_matrix(u.multiply(1 / norms[:, None]))
        sims = (un @ un.T).toarray()
        np.fill_diagonal(sims, 0)
        k = min(cfg.neighbours, max(1, len(h.households) - 1))
        self.nearest = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        self.bought = h.binary()
        return self

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
