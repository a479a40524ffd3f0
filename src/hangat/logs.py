"""Logging to ``<log_dir>/hangat.log`` (and the terminal), configured once by the entry point."""

from __future__ import annotations

import logging
import logging.handlers

from hangat.settings import Settings


def configure_logging(settings: Settings) -> None:
    assert settings.log_dir is not None
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        settings.log_dir / "hangat.log", maxBytes=10_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(settings.log_level)
    root.handlers = [handler, logging.StreamHandler()]
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it reports every index build at INFO
