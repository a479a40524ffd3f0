"""The ranked next-basket model, its features, and the suggestions a conversation tool gets."""

from __future__ import annotations

import numpy as np
import pytest

from hangat.errors import InputError
from hangat.recommend import features
from hangat.recommend.history import Basket, Histories, build
from hangat.recommend.ranker import RankedNextBasket, RankerConfig
from hangat.recommend.suggest import Recommender, span
from hangat.recommend.timing import DueDates


def shop(households: int = 12, days: int = 126) -> Histories:
    """Each household shops weekly: milk every time, coffee every third week, its own snack now and
    then, and a seasonal item in the last weeks that only the even households had bought before."""
    rows: list[tuple[str, str, str, float]] = []
    for h in range(households):
        for week in range(days // 7):
            day = week * 7 + h % 3
            order = f"o{h}-{week}"
            rows.append((f"c{h}", order, "milk", day))
            if week % 3 == 0:
                rows.append((f"c{h}", order, "coffee", day))
            if (week + h) % 4 == 0:
                rows.append((f"c{h}", order, f"snack{h}", day))
            if week >= days // 7 - 4 and (h % 2 == 0 or week == days // 7 - 1):
                rows.append((f"c{h}", order, "cocoa", day))
    hh, od, it, dy = zip(*rows, strict=True)
    return build(list(hh), list(od), list(it), list(dy))


def test_profile_counts_recency_and_interval() -> None:
    baskets = [Basket(0.0, np.array([1, 2])), Basket(10.0, np.array([1])), Basket(30.0, np.array([1, 3]))]
    p = features.profile(baskets)
    assert p.items.tolist() == [1, 2, 3]
    assert p.count.tolist() == [3, 1, 1]
    assert p.baskets_since.tolist() == [0, 2, 0]
    assert p.interval[0] == pytest.approx(15.0) and np.isnan(p.interval[1])
    assert p.n_baskets == 3 and p.last_visit == 30.0 and p.basket_size == pytest.approx(5 / 3)


def test_features_say_when_an_item_is_due() -> None:
    h = shop()
    profiles = [features.profile(bs) for bs in h.baskets]
    stats = features.ItemStats.of(h, profiles)
    p = profiles[0]
    coffee = h.items.index("coffee")
    own = np.zeros(h.n_items)
    own[p.items] = 1
    ids, x = features.matrix(p, stats, own, np.zeros(h.n_items), np.zeros(0, int), 126.0, 14.0)
    due = dict(zip(ids.tolist(), x[:, features.FEATURES.index("due")].tolist(), strict=True))
    last_coffee = max(b.day for b in h.baskets[0] if coffee in b.items)
    assert due[coffee] == pytest.approx(np.log((126.0 - last_coffee + 1) / 22))
    assert stats.rebuy_rate[coffee] > 0.9 and stats.interval[coffee] == pytest.approx(21.0)


def test_ranker_puts_staples_first_and_explores_what_neighbours_buy() -> None:
    h = shop()
    cocoa = h.items.index("cocoa")
    train = h.before(120.0)
    odd = h.households.index("c1")
    assert cocoa not in np.concatenate([b.items for b in train.baskets[odd]])
    model = RankedNextBasket(RankerConfig(horizons=(7.0, 14.0, 21.0), max_iter=50)).fit(train)
    recs = [h.items[i] for i in model.recommend(odd, 4)]  # its three items, then the best new one
    assert recs[0] == "milk" and "cocoa" in recs, recs
    ids, probs = model.scored(odd)
    assert np.all(np.diff(probs) <= 0) and len(ids) == len(set(ids.tolist()))


def test_recommender_gives_due_dates_and_reasons() -> None:
    h = shop()
    rec = Recommender(RankerConfig(horizons=(7.0, 14.0, 21.0), max_iter=50)).fit(h.before(120.0))
    got = {s.item: s for s in rec.next_basket("c0", k=5)}
    coffee = got["coffee"]
    assert coffee.repeat and coffee.reason.startswith("you buy this about every 3 weeks; last time")
    due = DueDates().fit(h.before(120.0))
    assert coffee.due_day == due.due(0, h.items.index("coffee"), 120.0)
    assert coffee.due_day is not None and coffee.due_day >= 120.0
    odd = {s.item: s for s in rec.next_basket("c1", k=5)}
    assert not odd["cocoa"].repeat and odd["cocoa"].due_day is None
    with pytest.raises(InputError, match="unknown household"):
        rec.next_basket("nobody")


def test_span_words() -> None:
    words = ["1 day", "5 days", "3 weeks", "3 weeks", "3 months"]
    assert [span(1), span(5), span(19), span(21), span(90)] == words


def _lines(h: Histories, after: float) -> tuple[list[str], list[str], list[str], list[float]]:
    """The order lines of ``h`` on or after day ``after``, one row per line."""
    rows = [
        (h.households[house], f"o{house}-{b.day}", h.items[i], b.day)
        for house, baskets in enumerate(h.baskets)
        for b in baskets
        if b.day >= after
        for i in b.items.tolist()
    ]
    hh, od, it, dy = zip(*rows, strict=True)
    return list(hh), list(od), list(it), list(dy)


def test_a_refresh_learns_new_orders_without_training_again() -> None:
    h = shop()
    config = RankerConfig(horizons=(7.0, 14.0, 21.0), max_iter=50)
    old = h.before(100.0)
    rec = Recommender(config).fit(old)
    households, orders, items, days = _lines(h, 100.0)
    # a new customer and a new product arrive with the new orders
    households += ["newcomer", "newcomer"]
    orders += ["n1", "n1"]
    items += ["milk", "durian chips"]
    days += [110.0, 110.0]
    fresh, n = rec.refreshed(households, orders, items, days)
    assert n == len(set(orders)) and fresh is not rec
    assert fresh.model.model is rec.model.model  # the learned ranker is shared, not refitted
    assert "newcomer" in fresh.index and "newcomer" not in rec.index  # the old copy is untouched
    assert fresh.histories.today == max(days)
    lines = zip(households, days, items, strict=True)
    last_milk = max(d for who, d, it in lines if who == "c0" and it == "milk")
    milk = fresh.histories.items.index("milk")
    assert fresh.due.last[fresh.index["c0"]][milk] == last_milk
    # c0 buys milk weekly and bought it two days ago: not offered again until it runs low
    assert fresh.histories.today - last_milk == 2
    assert "milk" not in {s.item for s in fresh.next_basket("c0", k=5)}
    assert "milk" in {s.item for s in fresh.next_basket("c0", k=5, day=last_milk + 6)}  # running low
    mine = {s.item for s in fresh.next_basket("newcomer", k=5)}
    assert {"milk", "durian chips"} <= mine
    # the same orders again change nothing
    again, n_again = fresh.refreshed(households, orders, items, days)
    assert again is fresh and n_again == 0
    # refreshed features match those of a model fitted on everything (the neighbours aside)
    full = RankedNextBasket(config).fit(h)
    refreshed = rec.refreshed(*_lines(h, 100.0))[0].model
    house = h.households.index("c3")
    for name in ("share", "log_days_since", "due", "repeat_share"):
        col = features.FEATURES.index(name)
        a, b = full.state.rows(house)[1], refreshed.state.rows(house)[1]
        ids_a, ids_b = full.state.rows(house)[0], refreshed.state.rows(house)[0]
        got = dict(zip(ids_b.tolist(), b[:, col].tolist(), strict=True))
        want = dict(zip(ids_a.tolist(), a[:, col].tolist(), strict=True))
        assert {k: got[k] for k in want if k in got} == pytest.approx(want), name


def test_kinds_when_nobody_has_bought_anything_yet() -> None:
    h = build(["a", "b"], ["o1", "o2"], ["milk", "oat milk"], [10.0, 12.0], ["Milk", "Milk"])
    early = h.before(5.0)  # an inner cut-off before the first order
    stats = features.ItemStats.of(early, [features.profile(bs, early.groups) for bs in early.baskets])
    assert stats.by_kind == {}
    later = features.ItemStats.of(h, [features.profile(bs, h.groups) for bs in h.baskets])
    assert len(later.by_kind) == 1 and sorted(h.items[i] for i in next(iter(later.by_kind.values()))) == [
        "milk",
        "oat milk",
    ]
