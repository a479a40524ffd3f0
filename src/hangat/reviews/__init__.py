"""Review synthesis: what reviewers say about a product, by aspect, with real quotes."""

from hangat.reviews.aspects import ASPECTS, Aspect, aspects_in
from hangat.reviews.highlights import highlights
from hangat.reviews.synthesis import AspectSummary, Quote, Synthesis, render, synthesise

__all__ = [
    "ASPECTS",
    "Aspect",
    "AspectSummary",
    "Quote",
    "Synthesis",
    "aspects_in",
    "highlights",
    "render",
    "synthesise",
]
