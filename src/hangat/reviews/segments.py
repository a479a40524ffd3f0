"""Sentences and clauses of a review, as character spans of its text.

Spans, not copies: a quote is always ``text[start:end]`` of one review, so it is an exact
substring by construction. Sentences end at ``.``, ``!``, ``?`` (before a space or the end), at
line breaks, and where a lost line break glued two sentences (``pengiriman cepatProduk sesuai``).
Clauses split a sentence further at ``,`` ``;`` and before a contrast word (but, tapi, namun…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_BREAK = re.compile(
    r"(?<=[.!?])[)\]\"']?\s+|[.!?]{2,}|\n+|(?<=[a-z]{2})(?=[A-Z][a-z])|(?<=[.!?])(?=[A-Z])"
)
_CONTRAST = (
    r"(?:but|however|although|though|except|whereas|tapi|tp|namun|cuma|cuman|sayangnya|padahal|"
    r"walaupun|meskipun)"
)
_CLAUSE_BREAK = re.compile(rf"[,;:]\s*|\s+-\s+|\s+(?={_CONTRAST}\b)", re.IGNORECASE)
_LEADING_CONTRAST = re.compile(rf"{_CONTRAST}\s+(?=\w)", re.IGNORECASE)
_JUNK = " \t\r\n,;:-–—*~\"'()"


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


def _pieces(text: str, start: int, end: int, breaks: re.Pattern[str]) -> list[Span]:
    out, cursor = [], start
    for match in breaks.finditer(text, start, end):
        out.append(_trim(text, cursor, match.start()))
        cursor = match.end()
    out.append(_trim(text, cursor, end))
    return [s for s in out if any(ch.isalpha() for ch in s.of(text))]


def _trim(text: str, start: int, end: int) -> Span:
    """Whitespace, stray punctuation and the ``??`` left where an emoji was lost, cut off both ends."""
    while start < end and (text[start] in _JUNK or text[start] == "?"):
        start += 1
    while end > start and (text[end - 1] in _JUNK or text[end - 2 : end] == "??"):
        end -= 1
    while end > start and text[end - 1] == "?" and text[end - 2 : end - 1] in (" ", "?"):
        end -= 1
    return Span(start, end)


def sentences(text: str) -> list[Span]:
    """The sentences of ``text``."""
    return _pieces(text, 0, len(text), _SENTENCE_BREAK)


def clauses(text: str, sentence: Span) -> list[Span]:
    """The clauses of one sentence of ``text``, without a leading contrast word (``but``, ``tapi``)."""
    out = []
    for span in _pieces(text, sentence.start, sentence.end, _CLAUSE_BREAK):
        lead = _LEADING_CONTRAST.match(text, span.start, span.end)
        out.append(Span(lead.end(), span.end) if lead else span)
    return out


def cut(text: str, span: Span, limit: int) -> Span:
    """``span`` if it is at most ``limit`` characters, else its longest prefix that ends at a word
    boundary and fits (a word longer than ``limit`` is cut where it must)."""
    if len(span) <= limit:
        return span
    end = span.start + limit
    boundary = text.rfind(" ", span.start, end + 1)
    end = boundary if boundary > span.start else end
    return _trim(text, span.start, end)
