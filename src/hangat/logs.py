"""Logging to ``<log_dir>/hangat.log`` (and the terminal), configured once by the entry point.

Every line is written with personal data masked (``privacy/redaction``): an e-mail, phone, NIK,
NPWP or card number in a message or a traceback becomes ``[email]``, ``[phone]`` and so on."""

from __future__ import annotations

import logging
import logging.handlers

from hangat.privacy.redaction import redact
from hangat.settings import Settings


class RedactingFormatter(logging.Formatter):
    """A formatter whose output never holds an e-mail, phone, NIK, NPWP or card number."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record)).text


def configure_logging(settings: Settings) -> None:
    assert settings.log_dir is not None
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        settings.log_dir / "hangat.log", maxBytes=10_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    terminal = logging.StreamHandler()
    terminal.setFormatter(RedactingFormatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(settings.log_level)
    root.handlers = [handler, terminal]
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it reports every index build at INFO
