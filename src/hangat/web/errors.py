"""The one place where hangat's error classes become HTTP status codes."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hangat.errors import (
    ConfigError,
    Conflict,
    Forbidden,
    HangatError,
    InputError,
    MessageTooLong,
    NotFound,
    StorageError,
    Unauthorized,
)
from hangat.i18n import t

STATUS: list[tuple[type[HangatError], int]] = [
    (MessageTooLong, 413),
    (InputError, 422),
    (NotFound, 404),
    (Unauthorized, 401),
    (Forbidden, 403),
    (Conflict, 409),
    (StorageError, 503),
    (ConfigError, 500),
    (HangatError, 500),
]


def status_for(exc: HangatError) -> int:
    return next(code for cls, code in STATUS if isinstance(exc, cls))


def install(app: FastAPI) -> None:
    @app.exception_handler(HangatError)
    async def _handle(_request: Request, exc: HangatError) -> JSONResponse:
        body: dict[str, object] = {"error": type(exc).__name__, "detail": str(exc)}
        key = getattr(exc, "key", None)
        if isinstance(key, str):  # what the shopper is shown, in both languages
            body["message"] = {"en": t("en", key), "id": t("id", key)}
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return JSONResponse(body, status_code=status_for(exc), headers=headers)
