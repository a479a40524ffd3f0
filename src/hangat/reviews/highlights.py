"""Representative sentences: what most of the reviews say, in reviewers' own words.

Each whole sentence of 4–30 words is a candidate. Its score is its centrality (the mean cosine
similarity of its stemmed words with each *other* review of the product: a sentence that many
reviewers echo is representative), plus a small bonus per aspect it names (up to two), minus a
penalty when it speaks in the first person ("I bought this for my husband" is a story, not a
verdict). Sentences are then picked by maximal marginal relevance (MMR) until a word budget is
spent, so the second sentence adds something the first did not say. The weights were chosen on
the FewSum Amazon *train* split (docs/reviews.md); the figures reported are on *val*.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from hangat.domain.catalog import Review
from hangat.reviews.aspects import aspects_in
from hangat.reviews.polarity import score, verdict
from hangat.reviews.segments import sentences
from hangat.reviews.synthesis import Quote
from hangat.search.text import analyze

MIN_WORDS, MAX_WORDS = 4, 30
RELEVANCE = 0.7  # MMR: weight of the sentence's own score against its similarity to those chosen
ASPECT_BONUS = 0.03
FIRST_PERSON_PENALTY = 0.1
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|i'd|my|me|we|our|saya|sy|aku|gw|gue)\b", re.IGNORECASE)

Vector = Counter[str]
Candidate = tuple[float, int, str, Vector]  # score, review index, sentence, its vector


def _vector(text: str, lang: str) -> Vector:
    return Counter(analyze(text, lang))


def _cosine(a: Vector, b: Vector) -> float:
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _candidates(reviews: Sequence[Review]) -> list[Candidate]:
    """Every sentence of a fitting length, scored."""
    whole = [_vector(r.text, r.language) for r in reviews]
    out = []
    for i, review in enumerate(reviews):
        for span in sentences(review.text):
            text = span.of(review.text)
            if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
                continue
            vector = _vector(text, review.language)
            others = [_cosine(vector, w) for j, w in enumerate(whole) if j != i]
            value = sum(others) / len(others) if others else 0.0
            value += ASPECT_BONUS * min(2, len(aspects_in(text)))
            value -= FIRST_PERSON_PENALTY if _FIRST_PERSON.search(text) else 0.0
            out.append((value, i, text, vector))
    return out


def highlights(reviews: Sequence[Review], words: int = 50) -> tuple[Quote, ...]:
    """Whole sentences of the reviews, the most representative first, about ``words`` words in all
    (the last one may overshoot); each is an exact substring of its review and carries its id."""
    pool, chosen, spent = _candidates(reviews), list[Candidate](), 0
    while pool and spent < words:
        best = max(pool, key=lambda c: _marginal(c, chosen))
        pool.remove(best)
        chosen.append(best)
        spent += len(best[2].split())
    out = []
    for _, i, text, _ in chosen:
        review = reviews[i]
        found = aspects_in(text)
        sentiment = verdict(score(text), review.rating)
        out.append(Quote(review.external_id, text, sentiment, found[0].key if found else ""))
    return tuple(out)


def _marginal(candidate: Candidate, chosen: list[Candidate]) -> float:
    redundancy = max((_cosine(candidate[3], c[3]) for c in chosen), default=0.0)
    return RELEVANCE * candidate[0] - (1 - RELEVANCE) * redundancy
