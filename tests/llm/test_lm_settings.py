"""The language-model settings and the factory that picks a model by name."""

from __future__ import annotations

import pytest

from hangat.adapters.llm import make_language_model
from hangat.adapters.llm.fake import FakeLanguageModel
from hangat.adapters.llm.openai import OpenAICompatibleModel, chat_completions_url
from hangat.adapters.llm.worst_case import WorstCaseLanguageModel
from hangat.errors import ConfigError
from hangat.settings import Settings


def test_by_default_there_is_no_model() -> None:
    settings = Settings.load({})
    assert (settings.lm, settings.lm_timeout_ms) == ("none", 1500)
    assert make_language_model(settings) is None


def test_the_factory_picks_by_name() -> None:
    assert isinstance(make_language_model(Settings(lm="fake")), FakeLanguageModel)
    assert isinstance(make_language_model(Settings(lm="worst-case")), WorstCaseLanguageModel)
    model = make_language_model(Settings(lm="openai", lm_url="http://127.0.0.1:11434/v1", lm_model="qwen"))
    assert isinstance(model, OpenAICompatibleModel)
    assert model.url == "http://127.0.0.1:11434/v1/chat/completions"
    model.close()


def test_settings_come_from_the_environment() -> None:
    env = {
        "HANGAT_LM": "openai",
        "HANGAT_LM_URL": "https://api.example/v1",
        "HANGAT_LM_MODEL": "m",
        "HANGAT_LM_API_KEY": "sk-very-secret",
        "HANGAT_LM_TIMEOUT_MS": "900",
    }
    settings = Settings.load(env)
    assert (settings.lm, settings.lm_url, settings.lm_model, settings.lm_timeout_ms) == (
        "openai",
        "https://api.example/v1",
        "m",
        900,
    )
    assert settings.lm_api_key == "sk-very-secret"
    assert "sk-very-secret" not in repr(settings)
    model = make_language_model(settings)
    assert model is not None and "sk-very-secret" not in repr(model)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lm": "gpt"}, "lm: expected one of"),
        ({"lm": "openai"}, "lm: 'openai' needs lm_url"),
        ({"lm": "openai", "lm_url": "http://x/v1"}, "lm: 'openai' needs lm_url"),
        ({"lm_url": "ftp://x"}, "lm_url: expected an http:// or https:// URL"),
        ({"lm_timeout_ms": 0}, "lm_timeout_ms: expected 1 to 120000"),
    ],
)
def test_bad_values_are_config_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings(**changes)  # type: ignore[arg-type]


def test_an_unknown_name_is_never_a_silent_fallback() -> None:
    settings = Settings()
    object.__setattr__(settings, "lm", "gpt-5")  # past validation, as a stale object could be
    with pytest.raises(ConfigError, match="gpt-5"):
        make_language_model(settings)


def test_a_bad_timeout_in_the_environment_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="lm_timeout_ms: expected an integer"):
        Settings.load({"HANGAT_LM_TIMEOUT_MS": "fast"})


@pytest.mark.parametrize(
    ("base", "url"),
    [
        ("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1/chat/completions"),
        ("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1/chat/completions"),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/chat/completions"),
    ],
)
def test_the_endpoint_url(base: str, url: str) -> None:
    assert chat_completions_url(base) == url
