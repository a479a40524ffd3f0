"""Where the shared public data sets lie: ``../shared/data`` beside the checkout, or, for a clean
clone elsewhere on this machine (CI), ``/work/shared/data``; ``$HANGAT_SECURITY_DATA`` wins."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CANDIDATES = (
    Path(os.environ.get("HANGAT_SECURITY_DATA", ROOT.parent / "shared" / "data" / "security")),
    Path("/work/shared/data/security"),
)
SECURITY = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])


def xss_payloads() -> list[str]:
    """XSS vectors (tests/data/xss_payloads.txt) and the BIPIA attack texts, for escaping tests."""
    import json

    lines = (ROOT / "tests" / "data" / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    out = [line for line in lines if line.strip() and not line.startswith("# ")]
    for name in ("code_attack_train.json", "text_attack_train.json"):
        path = SECURITY / "bipia" / name
        if path.exists():
            for texts in json.loads(path.read_text(encoding="utf-8")).values():
                out.extend(str(x) for x in texts[:2])
    return out
