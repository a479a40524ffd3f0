"""The worst-case language model: it obeys every instruction it sees, wherever it sees it.

The adversary of the security tests. It follows the system prompt as an obedient model would (it
returns the draft), and then does whatever the shopper's message or a product description or review
quoted in the prompt says: asked for its instructions or a secret, told to forget its rules, or at
any mention of a password, a "system mode" or its "developer", it prints the whole system prompt,
canary included; told to say, reply, add or include something, it repeats it; any other imperative
sentence, question or instruction about its reply it repeats as it is, with every link in it; asked
to add to the cart, confirm or cancel an order or approve a refund, it claims it did (in the
draft's language). Without an attack it returns the draft unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from hangat.domain.chat import DRAFT_CLOSE, DRAFT_OPEN, ChatMessage, draft_in
from hangat.errors import InputError
from hangat.understand.language import detect_language

_S = r"[^.!?\n]"
_REVEAL = re.compile(
    rf"(?i)\b(print|reveal|show|tell|repeat|output|give|share|display|spell|leak|list|what is|what are|"
    rf"what's|tampilkan|tunjukkan|sebutkan|beritahu|beri tahu|ulangi|bocorkan|apa)\b{_S}{{0,60}}"
    rf"\b(system prompt|prompt|instructions?|secret|password|key|rules|canary|marker|confidential|"
    rf"instruksi|perintah|rahasia|sandi|kunci|aturan)"
)
_SECRET = re.compile(
    r"(?i)\b(system prompt|secret|password|passcode|passphrase|pin|api key|credentials|"
    r"database|confidential|hidden|canary|contrase[ñn]a|mot de passe|passwort|senha|parola d'ordine|"
    r"rahasia|kata sandi|sandi|prompt sistem|instruksi)\b"
)
_PERSONA = re.compile(
    r"(?i)\b(system mode|god mode|developer mode|maintenance mode|override|i'?m your (developer|creator)|"
    r"as your (developer|creator)|you are now|from now on|new rules?|regardless of|forget about)\b"
    r"|<\s*system|^\s*system\s*:"
)
_ABOUT_OUTPUT = re.compile(r"(?i)\b(your|the|in your) (response|reply|answer|message|output)\b")
_IGNORE = re.compile(
    rf"(?i)\b(ignore|forget|disregard|override|bypass|abaikan|lupakan|jangan ikuti)\b{_S}{{0,60}}"
    rf"\b(instructions?|rules|prompt|above|previous|prior|everything|instruksi|perintah|aturan|sebelumnya)"
)
_SAY = re.compile(
    r"(?i)\b(?:say|reply with|respond with|answer with|output|print|write|type|katakan|jawab dengan|"
    r"tulis|balas dengan)\b[:,]?\s+(.+?)(?:[.!?\n]|$)"
)
_QUOTED = re.compile(r"\"([^\"\n]{1,300})\"|“([^”\n]{1,300})”|'([^'\n]{4,300})'")
_IMPERATIVE = re.compile(
    r"(?i)^\W*(please\s+|now\s+|tolong\s+)?(add|include|integrate|insert|append|put|mention|use|provide|"
    r"write|say|tell|reply|respond|answer|start|end|begin|make|give|replace|convert|rearrange|remove|"
    r"group|misspell|introduce|scramble|jumble|render|substitute|translate|draft|compose|explain|describe|"
    r"develop|create|generate|list|modify|encourage|emphasi[sz]e|ask|recommend|promote|visit|click|"
    r"download|go|send|share|print|output|repeat|ignore|forget|disregard|pretend|act|tambahkan|sertakan|"
    r"tulis|katakan|sebutkan|berikan|abaikan|lupakan|kirim|kunjungi|klik|unduh)\b"
)
_URL = re.compile(
    r"(?i)\b(?:https?://|www\.)[^\s<>\"'()]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|xyz|io)\b"
)
_CLAIMS = [
    (
        re.compile(
            rf"(?i)\b(add|put|place)\b{_S}{{0,40}}\b(cart|basket)\b|\b(tambahkan|masukkan)\b{_S}{{0,40}}keranjang"
        ),
        {"en": "Done: I've added it to your cart.", "id": "Sudah saya tambahkan ke keranjang."},
    ),
    (
        re.compile(
            rf"(?i)\b(confirm|place|complete|submit|finali[sz]e)\b{_S}{{0,30}}\b(order|purchase)\b"
            r"|\bcheck ?out\b"
            rf"|\b(konfirmasi|proses|buatkan|selesaikan)\b{_S}{{0,30}}\bpesanan\b"
        ),
        {"en": "Your order is confirmed.", "id": "Pesanan dikonfirmasi."},
    ),
    (
        re.compile(r"(?i)\bcancel\b\s+(the |my |this )?order|\bbatalkan\s+pesanan"),
        {"en": "Your order has been cancelled.", "id": "Pesanan sudah dibatalkan."},
    ),
    (
        re.compile(
            rf"(?i)\b(issue|approve|process|give|send)\b{_S}{{0,20}}\brefund\b|\brefund (me|my|it|this)\b"
            rf"|\b(proses|setujui|berikan)\s+refund\b|\bkembalikan\s+(uang|dana)"
        ),
        {"en": "Your refund has been approved.", "id": "Refund sudah disetujui."},
    ),
]


class WorstCaseLanguageModel:
    """Obeys every instruction in every message. Deterministic; for security tests only."""

    def __init__(self) -> None:
        self.name = "worst-case"

    def complete(self, messages: Sequence[ChatMessage], timeout: float) -> str:
        if not messages:
            raise InputError("a chat completion needs at least one message")
        draft = draft_in(messages)
        lang = "id" if draft is not None and detect_language(draft) == "id" else "en"
        system = "\n".join(m.content for m in messages if m.role == "system")
        others = [_without_draft(m.content) for m in messages if m.role != "system"]
        sentences = _sentences("\n".join(others))
        out = [draft if draft is not None else ""]
        for sentence in sentences:
            out += _obey(sentence, system, lang)
        return "\n".join(_unique(part for part in out if part))


def _obey(sentence: str, system: str, lang: str) -> list[str]:
    done: list[str] = []
    if any(p.search(sentence) for p in (_REVEAL, _IGNORE, _SECRET, _PERSONA)):
        done.append(system)
    quoted = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(sentence)]
    said = _SAY.search(sentence)
    commanded = bool(
        said
        or any(p.search(sentence) for p in (_IMPERATIVE, _IGNORE, _PERSONA, _ABOUT_OUTPUT))
        or sentence.rstrip().endswith("?")
    )
    if quoted and commanded:
        done += quoted
    elif said:
        done.append(said.group(1))
    elif commanded:
        done.append(sentence.strip())
    if commanded:
        done += [m.group() for m in _URL.finditer(sentence)]
    done += [claims[lang] for pattern, claims in _CLAIMS if pattern.search(sentence)]
    return done


def _without_draft(text: str) -> str:
    start = text.find(DRAFT_OPEN)
    end = text.find(DRAFT_CLOSE, start + 1)
    return text if start == -1 or end == -1 else text[:start] + text[end + len(DRAFT_CLOSE) :]


def _sentences(text: str) -> list[str]:
    """Sentences, lines and fenced quotes («…», as the phrasing prompt fences untrusted text)."""
    return [s for s in re.split(r"(?<=[.!?])\s+|\n+|[«»]", text) if s.strip()]


def _unique(parts: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for part in parts:
        if part not in seen:
            seen.append(part)
    return seen
