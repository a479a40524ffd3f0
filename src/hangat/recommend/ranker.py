"""hangat's next-basket model: TIFU-KNN candidates re-ranked by a small learned model.

``NextBasket`` (TIFU-KNN) gives every item a personal and a neighbour score; ``features`` adds
frequency, recency, due-ness and item-level re-purchase statistics; a gradient-boosted classifier
(scikit-learn) learns from the training history alone how these predict the next basket: ``fit``
cuts the history it is given ``horizon`` days before its end, builds the candidates' features from
the baskets before that inner cut-off and labels them with each household's next basket after it,
then rebuilds every feature on the whole history for serving. Repeat and explore candidates are
scored on one scale, so a new item takes a slot only when it beats the weakest repeat item.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from hangat.recommend import features
from hangat.recommend.features import ItemStats
from hangat.recommend.history import Histories
from hangat.recommend.models import NextBasket, NextBasketConfig


@dataclass(frozen=True)
class RankerConfig:
    # inner cut-offs, in days before the history's end: each adds a round of training examples
    horizons: tuple[float, ...] = (
        3.5, 7.0, 10.5, 14.0, 17.5, 21.0, 24.5, 28.0, 31.5, 35.0, 42.0, 49.0, 56.0, 70.0, 84.0,
    )  # fmt: skip
    repeat: int = 60  # repeat candidates per household (its best by decayed frequency)
    explore: int = 30  # explore candidates per household (from its neighbours)
    kinds: int = 10  # its most bought kinds whose most bought items are explore candidates too
    explore_slot: float = 0.3  # the last slot goes to the best new item if it is this likely
    # relative to the item it replaces (0: never); recall rose with it at the validation cut-off
    tifu: NextBasketConfig = field(default_factory=NextBasketConfig)
    max_iter: int = 200
    learning_rate: float = 0.03
    max_leaf_nodes: int = 31
    seed: int = 0


class _State:
    """Everything the features need at one cut-off."""

    def __init__(self, h: Histories, cfg: RankerConfig) -> None:
        self.day = h.today
        self.tifu = NextBasket(cfg.tifu).fit(h)
        groups = h.group_of()
        self.profiles = [features.profile(bs, groups) for bs in h.baskets]
        self.stats = ItemStats.of(h, self.profiles)
        known = self.stats.interval[~np.isnan(self.stats.interval)]
        self.overall = float(np.median(known)) if len(known) else 30.0
        self.cfg = cfg

    def refreshed(self, h: Histories, changed: np.ndarray) -> _State:
        """A copy with the ``changed`` households' new baskets: their profiles, decayed scores and
        neighbours are recomputed, and the items' statistics (a sum over the profiles) are redone."""
        new = copy.copy(self)
        new.day = h.today
        new.tifu = self.tifu.refreshed(h, changed)
        groups = h.group_of()
        profiles = list(self.profiles) + [
            features.profile([], groups) for _ in range(len(h.households) - len(self.profiles))
        ]
        for house in changed.tolist():
            profiles[house] = features.profile(h.baskets[house], groups)
        new.profiles = profiles
        new.stats = ItemStats.of(h, profiles)
        return new

    def rows(self, house: int, day: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        own, neighbours = self.tifu.parts(house)
        p, fresh = features.candidates(
            self.profiles[house], own, neighbours, self.cfg.repeat, self.cfg.explore,
            self.stats, self.cfg.kinds,
        )  # fmt: skip
        return features.matrix(
            p, self.stats, own, neighbours, fresh, self.day if day is None else day, self.overall
        )


class RankedNextBasket:
    """The household's likely next basket: repeat and new items ranked by a learned model."""

    def __init__(self, config: RankerConfig | None = None) -> None:
        self.config = config or RankerConfig()

    def fit(self, h: Histories) -> RankedNextBasket:
        xs, ys, ws = [], [], []
        for horizon in self.config.horizons:
            inner_day = h.today - horizon
            inner = h.before(inner_day)
            state = _State(inner, self.config)
            for house, baskets in enumerate(h.baskets):
                target = next((b for b in baskets if b.day >= inner_day), None)
                if target is None or not inner.baskets[house]:
                    continue
                ids, x = state.rows(house)
                xs.append(x)
                ys.append(np.isin(ids, target.items))
                ws.append(np.full(len(ids), 1 / len(target.items)))  # as recall weighs a basket
        cfg = self.config
        self.model = HistGradientBoostingClassifier(
            max_iter=cfg.max_iter, learning_rate=cfg.learning_rate, max_leaf_nodes=cfg.max_leaf_nodes,
            random_state=cfg.seed,
        )  # fmt: skip
        self.model.fit(np.vstack(xs), np.concatenate(ys), sample_weight=np.concatenate(ws))
        self.state = _State(h, self.config)
        return self

    def refreshed(self, h: Histories, changed: np.ndarray) -> RankedNextBasket:
        """A copy that knows new baskets (``h``: every household's, ``changed``: those that got any)
        without learning again: the learned ranker is shared, only the features move."""
        new = copy.copy(self)
        new.state = self.state.refreshed(h, changed)
        return new

    def scored(self, house: int, day: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Every candidate item and its probability of being in the next basket, best first."""
        ids, x = self.state.rows(house, day)
        if not len(ids):
            return ids, np.zeros(0)
        with threadpool_limits(1):  # one household is a few dozen rows: threads only add waiting
            p = self.model.predict_proba(x)[:, 1]
        order = np.argsort(-p, kind="stable")
        return ids[order], p[order]

    def top(self, house: int, k: int, day: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` items to show and their probabilities: the most likely, except that when none of
        them is new to the household, the last slot goes to the most likely new item if it is at
        least ``explore_slot`` times as likely as the item it replaces (new items are
        under-estimated beside the household's own: at the validation cut-off this slot raised both
        recall and the recall of new items)."""
        ids, p = self.scored(house, day)
        ratio = self.config.explore_slot
        if ratio <= 0 or len(ids) <= k or k < 2:
            return ids[:k], p[:k]
        known = self.state.profiles[house].items
        new = ~np.isin(ids, known)
        if new[:k].any():
            return ids[:k], p[:k]
        later = np.flatnonzero(new[k:])
        if not len(later) or p[k + later[0]] < ratio * p[k - 1]:
            return ids[:k], p[:k]
        keep = np.r_[np.arange(k - 1), k + later[0]]
        return ids[keep], p[keep]

    def recommend(self, house: int, k: int) -> np.ndarray:
        ids, _ = self.top(house, k)
        if len(ids) >= k:
            return ids
        popular = np.argsort(-self.state.stats.popularity, kind="stable")
        return np.concatenate([ids, popular[~np.isin(popular, ids)][: k - len(ids)]])
