"""Every user-visible string, in English and Indonesian."""

from hangat.i18n.messages import LANGUAGES, MESSAGES, format_number, format_price, t, voiced

__all__ = ["LANGUAGES", "MESSAGES", "format_number", "format_price", "t", "voiced"]
