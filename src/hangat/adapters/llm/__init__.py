"""Language models: an OpenAI-compatible client, a deterministic fake, and a worst-case adversary.

:func:`make_language_model` picks one by the ``lm`` setting; ``none`` (the default) means no model,
and an unknown name is a :class:`~hangat.errors.ConfigError`, never a silent fallback.
"""

from __future__ import annotations

from hangat.errors import ConfigError
from hangat.ports import LanguageModel
from hangat.settings import LANGUAGE_MODELS, Settings


def make_language_model(settings: Settings) -> LanguageModel | None:
    """The model the settings name, or ``None`` for ``lm = "none"``."""
    name = settings.lm
    if name == "none":
        return None
    if name == "fake":
        from hangat.adapters.llm.fake import FakeLanguageModel

        return FakeLanguageModel()
    if name == "worst-case":
        from hangat.adapters.llm.worst_case import WorstCaseLanguageModel

        return WorstCaseLanguageModel()
    if name == "openai":
        from hangat.adapters.llm.openai import OpenAICompatibleModel

        if not settings.lm_url or not settings.lm_model:
            raise ConfigError("lm: 'openai' needs lm_url and lm_model")
        return OpenAICompatibleModel(settings.lm_url, settings.lm_model, settings.lm_api_key)
    raise ConfigError(f"lm: expected one of {LANGUAGE_MODELS}, got {name!r}")


__all__ = ["make_language_model"]
