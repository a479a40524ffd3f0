"""What a benchmark leaves in the store it runs on: requests for a person that no one will answer.

The benchmarks run real conversations on the configured store; some ask for a person. Left open,
they would fill the staff console's queue (and push real requests out of its first page), so each
benchmark resolves its own, as its own staff account.
"""

from __future__ import annotations

from hangat.assistant import Assistant

BENCH_PASSWORD = "bench-password-123"


def close_requests(assistant: Assistant, prefixes: tuple[str, ...]) -> int:
    """Resolve the open requests for a person in conversations a benchmark made (their ids start
    with one of ``prefixes``), as the benchmark's own staff account: a benchmark must not leave
    hundreds of waiting shoppers in the store's console. Returns how many it closed."""
    staff = assistant.accounts.add("bench-agent", "Bench", BENCH_PASSWORD)
    closed = 0
    for h in assistant.store.handoffs(["queued", "claimed"], limit=100_000):
        if h.conversation_id.startswith(prefixes):
            if h.state == "queued":
                assistant.desk.claim(h.conversation_id, staff)
            if h.state == "queued" or h.staff_id == staff.external_id:
                assistant.desk.resolve(h.conversation_id, staff)
                closed += 1
    return closed
