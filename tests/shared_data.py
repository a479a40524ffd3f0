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
