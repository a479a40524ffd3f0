"""Candidate items for a household's next basket, and the features a ranker scores them by.

Candidates are every item the household bought (repeat) plus the items its nearest households buy
that it never did (explore). Each candidate gets a row of features known on the day of the
recommendation: how often and how recently the household bought it, whether it is due (time since
the last purchase against its usual interval), what similar households buy, and how popular and how
often re-bought the item is overall. Written with numpy: a few grouped sums per household, far
cheaper than a data-frame library at serving time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hangat.recommend.history import Basket, Histories

FEATURES = (
    "repeat",  # 1 if the household bought the item before
    "share",  # share of the household's baskets that hold it
    "log_count",
    "decayed",  # TIFU-KNN personal score (recent baskets weigh more)
    "neighbours",  # mean TIFU-KNN score of the nearest households
    "log_days_since",  # days since the household last bought it
    "log_baskets_since",
    "due",  # log(days since last / usual interval): 0 = due today, > 0 overdue
    "log_interval",  # the household's mean interval for the item, else the item's
    "log_popularity",  # households that bought it
    "rebuy_rate",  # share of its buyers who bought it on two or more days
    "log_n_baskets",
    "log_days_since_visit",  # days since the household's last basket
    "log_basket_size",  # the household's mean basket size
    "rank",  # log of the item's rank in the household's decayed scores
    "repeat_share",  # share of the household's basket lines that were items it had bought before
    "kind_share",  # share of the household's baskets holding any item of the item's kind
    "kind_due",  # log(days since the kind was last bought / the household's interval for the kind)
    "in_kind",  # the item's share of the household's baskets of its kind
)


KIND_TOP = 5  # a kind's most bought items that are explore candidates


@dataclass(frozen=True)
class Profile:
    """What one household bought before a day, one entry per distinct item."""

    items: np.ndarray
    count: np.ndarray  # baskets holding the item
    last_day: np.ndarray
    baskets_since: np.ndarray  # baskets after the last one holding it
    interval: np.ndarray  # mean days between purchases; nan when bought on one day only
    n_baskets: int
    last_visit: float
    basket_size: float
    repeat_share: float
    kinds: Kinds


@dataclass(frozen=True)
class Kinds:
    """How one household buys kinds of item (product types): sorted kind ids and, per kind, the
    baskets holding one, the last day, and the mean days between those baskets (nan: one day only)."""

    ids: np.ndarray
    count: np.ndarray
    last_day: np.ndarray
    interval: np.ndarray

    def lookup(self, kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Count, last day and interval for each of ``kinds`` (0, -inf and nan when never bought)."""
        if not len(self.ids):
            return np.zeros(len(kinds)), np.full(len(kinds), -np.inf), np.full(len(kinds), np.nan)
        at = np.minimum(np.searchsorted(self.ids, kinds), len(self.ids) - 1)
        hit = self.ids[at] == kinds
        return (
            np.where(hit, self.count[at], 0.0),
            np.where(hit, self.last_day[at], -np.inf),
            np.where(hit, self.interval[at], np.nan),
        )


def _spread(
    keys: np.ndarray, day: np.ndarray, idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct key: baskets holding it, first and last day, and its inverse index."""
    ids, inv = np.unique(keys, return_inverse=True)
    first, last = np.full(len(ids), np.inf), np.full(len(ids), -np.inf)
    np.minimum.at(first, inv, day)
    np.maximum.at(last, inv, day)
    pairs = np.unique(inv * (idx.max() + 1) + idx)  # one per (key, basket)
    count = np.bincount(pairs // (idx.max() + 1), minlength=len(ids)).astype(float)
    return ids, count, first, last


def _interval(count: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        interval = np.where(count > 1, (last - first) / (count - 1), np.nan)
    return np.where(interval < 1, np.nan, interval)  # same-day repeats say nothing about a cycle


def profile(baskets: list[Basket], groups: np.ndarray | None = None) -> Profile:
    """What the household bought; ``groups`` maps items to kinds (None: each item is its own)."""
    if not baskets:
        empty = np.zeros(0)
        none = Kinds(empty.astype(int), empty, empty, empty)
        return Profile(empty.astype(int), empty, empty, empty, empty, 0, -np.inf, 0.0, 0.0, none)
    sizes = np.array([len(b.items) for b in baskets])
    day = np.repeat([b.day for b in baskets], sizes)
    idx = np.repeat(np.arange(len(baskets)), sizes)
    items, inv = np.unique(np.concatenate([b.items for b in baskets]), return_inverse=True)
    count = np.bincount(inv).astype(float)
    first, last = np.full(len(items), np.inf), np.full(len(items), -np.inf)
    np.minimum.at(first, inv, day)
    np.maximum.at(last, inv, day)
    last_idx = np.zeros(len(items), dtype=int)
    np.maximum.at(last_idx, inv, idx)
    interval = _interval(count, first, last)
    lines = np.concatenate([b.items for b in baskets])
    k_ids, k_count, k_first, k_last = _spread(lines if groups is None else groups[lines], day, idx)
    kinds = Kinds(k_ids, k_count, k_last, _interval(k_count, k_first, k_last))
    return Profile(
        items, count, last, len(baskets) - 1 - last_idx, interval, len(baskets), baskets[-1].day,
        float(sizes.mean()), 1 - len(items) / sizes.sum(), kinds,
    )  # fmt: skip


@dataclass
class ItemStats:
    """Per item, over every household: how many bought it, how many re-bought it, the usual interval."""

    popularity: np.ndarray
    rebuy_rate: np.ndarray
    interval: np.ndarray  # median of the households' mean intervals; nan if nobody re-bought it
    groups: np.ndarray  # per item, its kind
    by_kind: dict[int, np.ndarray]  # per kind, its most popular items, best first

    @classmethod
    def of(cls, h: Histories, profiles: list[Profile]) -> ItemStats:
        buyers = np.zeros(h.n_items)
        rebuyers = np.zeros(h.n_items)
        per_item: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        for p in profiles:
            buyers[p.items] += 1
            again = ~np.isnan(p.interval)
            rebuyers[p.items[again]] += 1
            per_item.append(p.interval[again])
            owners.append(p.items[again])
        interval = np.full(h.n_items, np.nan)
        if per_item:
            values, who = np.concatenate(per_item), np.concatenate(owners)
            order = np.lexsort((values, who))
            values, who = values[order], who[order]
            starts = np.searchsorted(who, np.arange(h.n_items))
            ends = np.searchsorted(who, np.arange(h.n_items), side="right")
            has = ends > starts
            mid = (starts + ends - 1) / 2
            interval[has] = (
                values[np.floor(mid[has]).astype(int)] + values[np.ceil(mid[has]).astype(int)]
            ) / 2
        rate = np.where(buyers > 0, (rebuyers + 0.1) / (buyers + 1), 0.0)
        groups = h.group_of()
        by_kind = _by_kind(groups, buyers) if h.groups is not None else {}
        return cls(buyers, rate, interval, groups, by_kind)


def _by_kind(groups: np.ndarray, buyers: np.ndarray) -> dict[int, np.ndarray]:
    """Per kind, its ``KIND_TOP`` most bought items (bought by anyone), best first."""
    order = np.lexsort((-buyers, groups))  # by kind, then most bought first
    order = order[buyers[order] > 0]
    kinds = groups[order]
    if not len(kinds):  # nobody bought anything yet (an early inner cut-off)
        return {}
    starts = np.flatnonzero(np.r_[True, kinds[1:] != kinds[:-1]])
    ends = np.r_[starts[1:], len(kinds)]
    return {int(kinds[a]): order[a : min(b, a + KIND_TOP)] for a, b in zip(starts, ends, strict=True)}


def _best(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, int((scores > 0).sum()))
    return np.argpartition(-scores, n - 1)[:n] if n > 0 else np.zeros(0, dtype=int)


def candidates(
    p: Profile, own: np.ndarray, neighbours: np.ndarray, repeat: int, explore: int,
    stats: ItemStats | None = None, kinds: int = 0,
) -> tuple[Profile, np.ndarray]:  # fmt: skip
    """The household's ``repeat`` best items by its own decayed score (a ``Profile`` cut to them), and
    the ``explore`` items its neighbours score best that it never bought, plus the most bought
    items it never bought of its ``kinds`` most bought kinds."""
    keep = _best(own[p.items], repeat) if len(p.items) > repeat else np.arange(len(p.items))
    scores = neighbours.copy()
    scores[p.items] = 0
    cut = Profile(
        p.items[keep], p.count[keep], p.last_day[keep], p.baskets_since[keep], p.interval[keep],
        p.n_baskets, p.last_visit, p.basket_size, p.repeat_share, p.kinds,
    )  # fmt: skip
    fresh = _best(scores, explore)
    if kinds and stats is not None and len(p.kinds.ids):
        top = p.kinds.ids[np.argsort(-p.kinds.count, kind="stable")[:kinds]]
        more = np.concatenate([stats.by_kind.get(int(g), np.zeros(0, int)) for g in top])
        more = more[~np.isin(more, p.items) & ~np.isin(more, fresh)]
        fresh = np.concatenate([fresh, np.unique(more)])
    return cut, fresh


def matrix(
    p: Profile, stats: ItemStats, own: np.ndarray, neighbours: np.ndarray, fresh: np.ndarray,
    day: float, overall_interval: float,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Candidate item ids and their feature rows (columns in the order of ``FEATURES``)."""
    ids = np.concatenate([p.items, fresh])
    n_rep, n = len(p.items), len(p.items) + len(fresh)
    x = np.zeros((n, len(FEATURES)))
    rep = slice(0, n_rep)
    since = np.maximum(day - p.last_day, 0.0)
    interval = np.where(np.isnan(p.interval), stats.interval[p.items], p.interval)
    interval = np.where(np.isnan(interval), overall_interval, interval)
    x[rep, 0] = 1
    x[rep, 1] = p.count / max(p.n_baskets, 1)
    x[rep, 2] = np.log1p(p.count)
    x[rep, 5] = np.log1p(since)
    x[rep, 6] = np.log1p(p.baskets_since)
    x[rep, 7] = np.log((since + 1) / (interval + 1))
    x[rep, 8] = np.log1p(interval)
    x[n_rep:, 5] = x[n_rep:, 6] = x[n_rep:, 7] = -1  # never bought: a value no repeat item takes
    fresh_interval = stats.interval[fresh]
    x[n_rep:, 8] = np.log1p(np.where(np.isnan(fresh_interval), overall_interval, fresh_interval))
    x[:, 3] = own[ids]
    x[:, 4] = neighbours[ids]
    x[:, 9] = np.log1p(stats.popularity[ids])
    x[:, 10] = stats.rebuy_rate[ids]
    x[:, 11] = np.log1p(p.n_baskets)
    x[:, 12] = np.log1p(max(day - p.last_visit, 0.0)) if p.n_baskets else -1
    x[:, 13] = np.log1p(p.basket_size)
    x[:, 15] = p.repeat_share
    k_count, k_last, k_interval = p.kinds.lookup(stats.groups[ids])
    k_interval = np.where(np.isnan(k_interval), overall_interval, k_interval)
    x[:, 16] = k_count / max(p.n_baskets, 1)
    x[:, 17] = np.where(k_count > 0, np.log((np.maximum(day - k_last, 0.0) + 1) / (k_interval + 1)), -1)
    x[rep, 18] = p.count / np.maximum(k_count[rep], 1)
    order = np.argsort(-(x[:, 3] + 1e-3 * x[:, 4]), kind="stable")
    x[order, 14] = np.log1p(np.arange(n))
    return ids, x
