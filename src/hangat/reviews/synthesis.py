"""What reviewers say: pros and cons by aspect, how many reviewers said each, and real quotes.

Hand-written because no maintained library does this for informal Indonesian and English together:
aspect-based sentiment packages (PyABSA, setfit-absa) need large models and training data in the
shop's language, summarisers write text no reviewer wrote, and the Indonesian sentiment models
score whole reviews, not aspects. This module is extractive and honest by construction:

* every review is cut into sentences and clauses (:mod:`hangat.reviews.segments`); a clause's
  aspects come from the bilingual lexicon (:mod:`hangat.reviews.aspects`), its polarity from the
  polarity lexicon with negation (:mod:`hangat.reviews.polarity`), else from the review's stars;
* an aspect's counts are numbers of distinct reviews that praise / criticise it;
* a quote is a span of one review's text (a whole sentence, or a clause, cut at a word boundary
  when longer than :data:`QUOTE_CHARS`) and carries that review's id: it is never rewritten.

Pure: no I/O, no model, no network. :func:`render` states the result in English or Indonesian.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest

from hangat.domain.catalog import Review
from hangat.i18n import format_number, t
from hangat.reviews.aspects import ASPECTS, Aspect, aspects_in
from hangat.reviews.polarity import Sentiment, score, verdict
from hangat.reviews.segments import Span, clauses, cut, sentences

QUOTE_CHARS = 120
RENDER_ASPECTS = 3


@dataclass(frozen=True)
class Quote:
    """An exact substring of one review's text, with that review's id."""

    review_id: str
    text: str
    sentiment: Sentiment
    aspect: str = ""


@dataclass(frozen=True)
class AspectSummary:
    """One aspect: how many reviews praise it, how many criticise it, and quotes that do."""

    aspect: Aspect
    positive: int
    negative: int
    quotes: tuple[Quote, ...]
    mentions: int = 0


@dataclass(frozen=True)
class Synthesis:
    """What a set of reviews says. Empty reviews give ``review_count`` 0 and nothing else."""

    review_count: int
    rated_count: int
    average_rating: float | None
    aspects: tuple[AspectSummary, ...]
    quotes: tuple[Quote, ...]

    @property
    def pros(self) -> tuple[AspectSummary, ...]:
        """Aspects some reviewers praise, the most praised first."""
        return tuple(sorted((a for a in self.aspects if a.positive), key=lambda a: -a.positive))

    @property
    def cons(self) -> tuple[AspectSummary, ...]:
        """Aspects some reviewers criticise, the most criticised first."""
        return tuple(sorted((a for a in self.aspects if a.negative), key=lambda a: -a.negative))


@dataclass(frozen=True)
class Mention:
    """One clause of one review that speaks of one aspect (or of none: ``aspect`` is ``None``)."""

    review: int
    aspect: Aspect | None
    sentiment: Sentiment
    explicit: bool
    quote: Span


def mentions(review_index: int, review: Review) -> list[Mention]:
    """Every (clause, aspect) of one review, with the clause's polarity and its quotable span: the
    whole sentence when it is short and does not say the opposite, else the clause."""
    text, out = review.text, []
    for sentence in sentences(text):
        overall = score(sentence.of(text))
        for clause in clauses(text, sentence):
            value = score(clause.of(text))
            agrees = overall * value > 0 or (value == 0 and overall == 0)
            whole = len(sentence) <= QUOTE_CHARS and (agrees or len(sentence) == len(clause))
            span = sentence if whole else cut(text, clause, QUOTE_CHARS)
            found: tuple[Aspect | None, ...] = aspects_in(clause.of(text)) or (None,)
            sentiment = verdict(value, review.rating)
            out += [Mention(review_index, a, sentiment, value != 0, span) for a in found]
    return out


def synthesise(reviews: Sequence[Review], max_quotes: int = 2) -> Synthesis:
    """Pros and cons by aspect, counted in reviews, with up to ``max_quotes`` quotes overall and
    per aspect."""
    found = [m for i, r in enumerate(reviews) for m in mentions(i, r)]
    ratings = [r.rating for r in reviews if r.rating is not None]
    average = sum(ratings) / len(ratings) if ratings else None
    summaries = [_summary(a, found, reviews, max_quotes) for a in ASPECTS]
    ranked = sorted((s for s in summaries if s.mentions), key=lambda s: (-s.mentions, -s.positive))
    quotes = _overall_quotes(ranked, found, reviews, max_quotes)
    return Synthesis(len(reviews), len(ratings), average, tuple(ranked), quotes)


def _summary(aspect: Aspect, found: list[Mention], reviews: Sequence[Review], k: int) -> AspectSummary:
    own = [m for m in found if m.aspect is aspect]
    positive = {m.review for m in own if m.sentiment == "positive"}
    negative = {m.review for m in own if m.sentiment == "negative"}
    order: tuple[Sentiment, Sentiment] = ("positive", "negative")
    if len(negative) > len(positive):
        order = ("negative", "positive")
    quotes: list[Quote] = []
    for sentiment in order:
        quotes += _best(own, sentiment, reviews, 1, {q.review_id for q in quotes})
    quotes += _best(own, order[0], reviews, k - len(quotes), {q.review_id for q in quotes})
    return AspectSummary(
        aspect, len(positive), len(negative), tuple(quotes[:k]), len({m.review for m in own})
    )


def _best(found: list[Mention], sentiment: Sentiment, reviews: Sequence[Review], k: int,
          used: set[str]) -> list[Quote]:  # fmt: skip
    """The ``k`` clearest quotes of ``sentiment`` from reviews not in ``used``."""
    out: list[Quote] = []
    for m in sorted((m for m in found if m.sentiment == sentiment), key=lambda m: _rank(m, reviews)):
        review = reviews[m.review]
        if len(out) >= k or review.external_id in used:
            continue
        used.add(review.external_id)
        key = m.aspect.key if m.aspect else ""
        out.append(Quote(review.external_id, m.quote.of(review.text), sentiment, key))
    return out


def _rank(m: Mention, reviews: Sequence[Review]) -> tuple[bool, bool, bool, int]:
    """Explicit polarity first, then text that is not shouted, that speaks of at most two aspects,
    then length near 70 characters."""
    text = m.quote.of(reviews[m.review].text)
    return (not m.explicit, text.isupper(), len(aspects_in(text)) > 2, abs(len(text) - 70))


def _overall_quotes(ranked: list[AspectSummary], found: list[Mention], reviews: Sequence[Review],
                    k: int) -> tuple[Quote, ...]:  # fmt: skip
    """The top praise and the top complaint, alternating; the clearest sentences when no aspect."""
    positive: Sentiment = "positive"
    negative: Sentiment = "negative"
    pros = [(a, positive) for a in sorted((a for a in ranked if a.positive), key=lambda a: -a.positive)]
    cons = [(a, negative) for a in sorted((a for a in ranked if a.negative), key=lambda a: -a.negative)]
    turns = [turn for pair in zip_longest(pros, cons) for turn in pair if turn is not None]
    out: list[Quote] = []
    for summary, sentiment in turns:
        if len(out) < k:
            own = [m for m in found if m.aspect is summary.aspect]
            out += _best(own, sentiment, reviews, 1, {q.review_id for q in out})
    if len(out) < k:
        explicit = [m for m in found if m.explicit and m.sentiment != "neutral"]
        majority: Sentiment = "negative" if _share(found, "negative") > 0.5 else "positive"
        out += _best(explicit, majority, reviews, k - len(out), {q.review_id for q in out})
    return tuple(out)


def _share(found: list[Mention], sentiment: Sentiment) -> float:
    polar = [m for m in found if m.sentiment != "neutral"]
    return sum(m.sentiment == sentiment for m in polar) / len(polar) if polar else 0.0


def render(s: Synthesis, lang: str) -> str:
    """One or two plain sentences: how many reviews, the average, the most praised and the most
    criticised aspects with how many reviewers said so."""
    if not s.review_count:
        return t(lang, "reviews.none")
    count = t(lang, "reviews.count_one" if s.review_count == 1 else "reviews.count",
              n=format_number(s.review_count, lang))  # fmt: skip
    parts = [
        t(lang, "reviews.summary", count=count, rating=format_number(s.average_rating, lang, 1))
        if s.average_rating is not None
        else t(lang, "reviews.summary_unrated", count=count)
    ]
    pros = [(a.aspect, a.positive) for a in s.pros[:RENDER_ASPECTS]]
    cons = [(a.aspect, a.negative) for a in s.cons[:RENDER_ASPECTS]]
    if pros:
        parts.append(t(lang, "reviews.praised", aspects=_listed(pros, lang)))
    if cons:
        parts.append(t(lang, "reviews.complaints", aspects=_listed(cons, lang)))
    return " ".join(parts)


def _listed(items: list[tuple[Aspect, int]], lang: str) -> str:
    """``delivery (9 reviewers), as described (7)``: the unit said once, on the first."""
    first, n = items[0]
    key = "reviews.aspect_first_one" if n == 1 else "reviews.aspect_first"
    out = [t(lang, key, aspect=first.label(lang), n=format_number(n, lang))]
    out += [
        t(lang, "reviews.aspect_more", aspect=a.label(lang), n=format_number(m, lang)) for a, m in items[1:]
    ]
    return t(lang, "reviews.list_separator").join(out)
