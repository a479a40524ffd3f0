"""hangat: a warm, self-hostable shopping assistant."""

__version__ = "0.1.0"
