"""Settings: defaults, TOML, environment, validation with clear messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from hangat.errors import ConfigError
from hangat.settings import Settings, redact_url


def test_defaults_keep_every_file_under_the_data_dir(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path / "d")
    assert s.database_url == f"sqlite:///{tmp_path / 'd' / 'hangat.sqlite3'}"
    assert s.log_dir == tmp_path / "d" / "logs"
    assert s.sqlite_path == tmp_path / "d" / "hangat.sqlite3"


def test_environment_beats_toml_file(tmp_path: Path) -> None:
    config = tmp_path / "hangat.toml"
    config.write_text('port = 9000\nstore_name = "Toko Hangat"\ndefault_language = "id"\n')
    env = {"HANGAT_CONFIG": str(config), "HANGAT_PORT": "9100", "HANGAT_DATA_DIR": str(tmp_path)}
    s = Settings.load(env)
    assert (s.port, s.store_name, s.default_language) == (9100, "Toko Hangat", "id")
    assert s.data_dir == tmp_path and s.log_dir == tmp_path / "logs"
    moved = Settings.load({**env, "HANGAT_LOG_DIR": str(tmp_path / "elsewhere")})
    assert moved.log_dir == tmp_path / "elsewhere"


def test_replace_moves_the_default_database_with_the_data_dir(tmp_path: Path) -> None:
    s = Settings.load({}).replace(data_dir=tmp_path, port=None)
    assert s.database_url == f"sqlite:///{tmp_path / 'hangat.sqlite3'}"
    pg = Settings(database_url="postgresql://u@h/db").replace(data_dir=tmp_path)
    assert pg.database_url == "postgresql://u@h/db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HANGAT_PORT": "abc"}, "port: expected an integer, got 'abc'"),
        ({"HANGAT_PORT": "70000"}, "port: expected an integer from 1 to 65535"),
        ({"HANGAT_DATABASE_URL": "mysql://x"}, "database_url: 'mysql://x' is not supported"),
        ({"HANGAT_DATABASE_URL": "memory:foo"}, "is not supported"),
        ({"HANGAT_DEFAULT_LANGUAGE": "fr"}, "default_language: expected one of"),
        ({"HANGAT_LOG_LEVEL": "loud"}, "log_level: expected one of"),
        ({"HANGAT_MAX_MESSAGE_CHARS": "0"}, "max_message_chars"),
        ({"HANGAT_CONFIG": "/nonexistent/hangat.toml"}, "does not exist"),
    ],
)
def test_bad_values_get_clear_messages(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Settings.load(env)


def test_bad_toml(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("port = [1, 2\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Settings.load({}, config)
    config.write_text("prot = 1\n")
    with pytest.raises(ConfigError, match="unknown setting\\(s\\) prot"):
        Settings.load({}, config)


def test_settings_are_frozen() -> None:
    s = Settings()
    with pytest.raises(AttributeError):
        s.port = 1  # type: ignore[misc]


def test_redact_url() -> None:
    assert redact_url("postgresql://u:secret@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redact_url("sqlite:///x.db") == "sqlite:///x.db"
