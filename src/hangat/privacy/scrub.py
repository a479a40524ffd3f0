"""Removing a customer from hangat's own files: log lines that name them or their conversations.

Log lines are already written with personal data masked (``logs.RedactingFormatter``), but a line
may still name a customer id or a conversation id (a webhook's event id, an error). On erasure each
log file is rewritten in place without those lines (in place, because the running server's log
handler keeps the file open in append mode and goes on writing at its new end). Written by hand:
this is a filter over lines, and no library does it better than ``str.__contains__``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def scrub_logs(log_dir: Path, needles: Iterable[str]) -> int:
    """Drop every line naming any of ``needles`` from the log files; returns the lines removed."""
    wanted = [n for n in set(needles) if n]
    if not wanted or not log_dir.is_dir():
        return 0
    removed = 0
    for path in sorted(log_dir.glob("*.log*")):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        kept = [line for line in lines if not any(n in line for n in wanted)]
        if len(kept) == len(lines):
            continue
        removed += len(lines) - len(kept)
        with path.open("r+", encoding="utf-8") as out:
            out.writelines(kept)
            out.truncate()
    return removed
