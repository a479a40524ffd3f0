"""The web layer: it only translates HTTP to calls on the assistant and back."""

from hangat.web.app import create_app

__all__ = ["create_app"]
