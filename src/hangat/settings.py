"""Settings: read once at the entry point, frozen, validated, passed down.

Sources, later ones winning: built-in defaults, a TOML file (``HANGAT_CONFIG`` or ``--config``;
keys are the field names, e.g. ``database_url = "postgresql://..."``), then ``HANGAT_*`` environment
variables (``HANGAT_DATABASE_URL``, ``HANGAT_DATA_DIR``, ...). A bad value raises
:class:`~hangat.errors.ConfigError` naming the setting, the value and what was expected.
Every file hangat writes lives under ``data_dir`` (or ``log_dir`` for logs).
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hangat.errors import ConfigError

LANGUAGES = ("en", "id")
DATABASE_SCHEMES = ("sqlite:///", "postgresql://", "postgresql+psycopg://", "memory:")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
EMBEDDERS = ("e5", "hash", "none")
LANGUAGE_MODELS = ("none", "fake", "worst-case", "openai")
ENV_PREFIX = "HANGAT_"


@dataclass(frozen=True)
class Settings:
    """Every setting of hangat. Documented field by field in ``docs/settings.md``."""

    data_dir: Path = field(default_factory=lambda: Path("hangat-data"))
    database_url: str = ""
    log_dir: Path | None = None
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    default_language: str = "en"
    store_name: str = "hangat demo store"
    max_message_chars: int = 2000
    search_limit: int = 12
    embedder: str = "e5"
    ann_threshold: int = 50_000
    store_profile: Path | None = None  # the store's TOML profile; None: the packaged demo profile
    secret_key: str = ""  # signs checkout confirmations; "" → generated once into data_dir/secret.key
    lm: str = "none"
    lm_url: str = ""
    lm_model: str = ""
    lm_api_key: str = field(default="", repr=False)  # a secret: never printed or logged
    lm_timeout_ms: int = 1500
    webhook_url: str = ""  # where handoff events are POSTed, signed; "" → no webhooks
    webhook_secret: str = field(default="", repr=False)  # signs them (HMAC-SHA256); a secret
    text_channel_secret: str = field(default="", repr=False)  # verifies SMS/WhatsApp webhooks; "" → off
    widget_key: str = "pk_demo"  # the store's public key in the widget's <script> tag; "" → widget off
    widget_origins: str = "*"  # sites that may embed the widget, comma-separated; "*" → any
    image_hosts: str = ""  # hosts product images may come from, comma-separated; "" → no images
    customer_secret: str = field(default="", repr=False)  # signs shopper tokens (HS256); "" → from secret_key
    customer_token_minutes: int = 60 * 24  # how long a token from `hangat privacy token` / demo sign-in lasts
    demo_sign_in: bool = False  # the demo's shopper picker: sign in as anyone, no password; never for a store
    recommend_refresh_minutes: int = 15  # how often the server teaches the recommender new orders; 0 → never

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser())
        if not self.database_url:
            url = f"sqlite:///{(self.data_dir / 'hangat.sqlite3').as_posix()}"
            object.__setattr__(self, "database_url", url)
        if self.log_dir is None:
            object.__setattr__(self, "log_dir", self.data_dir / "logs")
        else:
            object.__setattr__(self, "log_dir", Path(self.log_dir).expanduser())
        self._validate()

    def _validate(self) -> None:
        if self.database_url != "memory:" and not self.database_url.startswith(DATABASE_SCHEMES[:3]):
            raise ConfigError(
                f"database_url: {self.database_url!r} is not supported; "
                f"use one of {', '.join(s + '...' for s in DATABASE_SCHEMES)}"
            )
        if self.default_language not in LANGUAGES:
            raise ConfigError(f"default_language: expected one of {LANGUAGES}, got {self.default_language!r}")
        if self.log_level not in LOG_LEVELS:
            raise ConfigError(f"log_level: expected one of {LOG_LEVELS}, got {self.log_level!r}")
        if not 1 <= self.port <= 65535:
            raise ConfigError(f"port: expected an integer from 1 to 65535, got {self.port}")
        if not 1 <= self.max_message_chars <= 100_000:
            raise ConfigError(f"max_message_chars: expected 1 to 100000, got {self.max_message_chars}")
        if self.embedder not in EMBEDDERS:
            raise ConfigError(f"embedder: expected one of {EMBEDDERS}, got {self.embedder!r}")
        if self.ann_threshold < 1:
            raise ConfigError(f"ann_threshold: expected a positive integer, got {self.ann_threshold}")
        if not 1 <= self.search_limit <= 100:
            raise ConfigError(f"search_limit: expected 1 to 100, got {self.search_limit}")
        self._validate_language_model()
        if self.webhook_url and not self.webhook_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"webhook_url: expected an http:// or https:// URL, got {redact_url(self.webhook_url)!r}"
            )
        if self.webhook_url and len(self.webhook_secret) < 16:
            raise ConfigError("webhook_secret: a webhook_url needs a secret of at least 16 characters")
        if self.text_channel_secret and len(self.text_channel_secret) < 16:
            raise ConfigError("text_channel_secret: expected at least 16 characters (or empty: channel off)")
        if self.customer_secret and len(self.customer_secret) < 32:
            raise ConfigError(
                "customer_secret: expected at least 32 characters (or empty: derived from secret_key)"
            )
        if not 1 <= self.customer_token_minutes <= 60 * 24 * 90:
            raise ConfigError(
                f"customer_token_minutes: expected 1 to 129600, got {self.customer_token_minutes}"
            )
        if not 0 <= self.recommend_refresh_minutes <= 60 * 24:
            raise ConfigError(
                f"recommend_refresh_minutes: expected 0 to 1440, got {self.recommend_refresh_minutes}"
            )
        if self.widget_key and not re.fullmatch(r"pk_[A-Za-z0-9_-]{4,64}", self.widget_key):
            raise ConfigError("widget_key: expected pk_ and 4 to 64 letters, digits, _ or - (or empty: off)")
        for origin in self.embed_origins:
            if origin != "*" and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(?::\d{1,5})?", origin):
                raise ConfigError(f"widget_origins: {origin!r} is not an origin like https://shop.example")
        for host in self.image_host_list:
            if not re.fullmatch(r"[A-Za-z0-9.-]+(?::\d{1,5})?", host):
                raise ConfigError(f"image_hosts: {host!r} is not a host name like cdn.shop.example")

    def _validate_language_model(self) -> None:
        if self.lm not in LANGUAGE_MODELS:
            raise ConfigError(f"lm: expected one of {LANGUAGE_MODELS}, got {self.lm!r}")
        if not 1 <= self.lm_timeout_ms <= 120_000:
            raise ConfigError(f"lm_timeout_ms: expected 1 to 120000, got {self.lm_timeout_ms}")
        if self.lm_url and not self.lm_url.startswith(("http://", "https://")):
            raise ConfigError(f"lm_url: expected an http:// or https:// URL, got {redact_url(self.lm_url)!r}")
        if self.lm == "openai" and not (self.lm_url and self.lm_model):
            raise ConfigError("lm: 'openai' needs lm_url (e.g. http://127.0.0.1:11434/v1) and lm_model")

    @property
    def embed_origins(self) -> tuple[str, ...]:
        """``widget_origins`` as a tuple ("*" allows any site)."""
        return tuple(o.strip().rstrip("/") for o in self.widget_origins.split(",") if o.strip())

    @property
    def image_host_list(self) -> tuple[str, ...]:
        """``image_hosts`` as a tuple of lower-case host names."""
        return tuple(h.strip().lower() for h in self.image_hosts.split(",") if h.strip())

    @property
    def sqlite_path(self) -> Path | None:
        """The database file when the store is SQLite, else ``None``."""
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return None

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (validated again)."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        changes = {k: v for k, v in changes.items() if v is not None}
        if "data_dir" in changes and "database_url" not in changes and self._default_db():
            values["database_url"] = ""
        if "data_dir" in changes and "log_dir" not in changes and self._default_logs():
            values["log_dir"] = None
        values.update(changes)
        return Settings(**values)

    def _default_db(self) -> bool:
        return self.database_url == f"sqlite:///{(self.data_dir / 'hangat.sqlite3').as_posix()}"

    def _default_logs(self) -> bool:
        return self.log_dir == self.data_dir / "logs"

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, config_file: Path | None = None) -> Settings:
        """Defaults, then the TOML file, then ``HANGAT_*`` variables from ``environ``."""
        env = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        path = config_file or (Path(env["HANGAT_CONFIG"]) if env.get("HANGAT_CONFIG") else None)
        if path is not None:
            values.update(_read_toml(path))
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = raw
        return cls(**{name: _coerce(name, value) for name, value in values.items()})


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``***`` (for logs, terminals and reports)."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        if ":" in creds:
            return f"{scheme}://{creds.split(':')[0]}:***@{host}"
    return url


def field_names() -> list[str]:
    """The names of all settings (used by the docs test)."""
    return [f.name for f in dataclasses.fields(Settings)]


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file {path} does not exist") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    known = set(field_names())
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"config file {path}: unknown setting(s) {', '.join(unknown)}")
    return data


_INT_FIELDS = {
    "port",
    "max_message_chars",
    "search_limit",
    "ann_threshold",
    "lm_timeout_ms",
    "customer_token_minutes",
    "recommend_refresh_minutes",
}
_BOOL_FIELDS = {"demo_sign_in"}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
_PATH_FIELDS = {"data_dir", "log_dir", "store_profile"}


def _coerce(name: str, value: Any) -> Any:
    if name in _INT_FIELDS:
        if isinstance(value, bool):
            raise ConfigError(f"{name}: expected an integer, got {value!r}")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{name}: expected an integer, got {value!r}") from exc
    if name in _BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
            return value.strip().lower() in _TRUE
        raise ConfigError(f"{name}: expected true or false, got {value!r}")
    if name in _PATH_FIELDS:
        if not isinstance(value, str | Path):
            raise ConfigError(f"{name}: expected a path, got {value!r}")
        return Path(value)
    if not isinstance(value, str):
        raise ConfigError(f"{name}: expected text, got {value!r}")
    return value.upper() if name == "log_level" else value
