"""The app factory: ``create_app(assistant)`` gives the FastAPI app that serves hangat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from hangat import __version__
from hangat.assistant import Assistant
from hangat.web import api, console, errors, me, storefront, text_channel, widget

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src {images}; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def content_security_policy(image_hosts: tuple[str, ...]) -> str:
    """hangat's pages run only hangat's own scripts and styles; images come from hangat and the
    store's allow-listed hosts (``image_hosts``), nowhere else."""
    return CSP.format(images=" ".join(["'self'", "data:", *(f"https://{h}" for h in image_hosts)]))


def create_app(assistant: Assistant) -> FastAPI:
    app = FastAPI(
        title="hangat",
        version=__version__,
        description="A warm, self-hostable shopping assistant, in English and Bahasa Indonesia.",
    )
    app.state.assistant = assistant
    policy = content_security_policy(assistant.settings.image_host_list)
    errors.install(app)
    app.include_router(api.router)
    app.include_router(me.router)
    app.include_router(storefront.router)
    app.include_router(console.router)
    app.include_router(text_channel.router)
    app.include_router(widget.router)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        if request.url.path not in ("/docs", "/redoc"):
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    widget.install(app, assistant.settings)
    return app
