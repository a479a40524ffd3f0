"""The embeddable chat widget: one ``<script>`` tag with the store's public key, on any page.

``<script src="https://assistant.shop.example/static/widget.js" data-key="pk_…" async></script>``
loads ``static/widget.js`` (plain JavaScript, no build step), which asks ``/api/widget/config`` for
the store's name, the strings of both languages and the image hosts, then talks to the same chat
API as the storefront. Requests from other sites must carry the public key (``X-Hangat-Key`` or
``?key=``) and come from an origin in ``widget_origins``; the browser enforces the rest through
CORS (no cookies are ever sent across sites). ``/widget-demo`` is a plain page that embeds it the
way a store would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates

from hangat.errors import NotFound
from hangat.i18n import MESSAGES, t
from hangat.settings import Settings
from hangat.web.storefront import page_language

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
WIDGET_KEYS = [k for k in MESSAGES["en"] if k.startswith(("chat.", "widget."))]
KEY_HEADER = "X-Hangat-Key"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.assistant.settings
    return settings


@router.get("/api/widget/config", tags=["widget"])
def widget_config(request: Request, key: Annotated[str, Query(max_length=80)] = "") -> Response:
    """What the widget needs to draw itself: the store's name, the strings of both languages,
    the default language and the hosts product images may come from. An unknown key is 403."""
    settings = _settings(request)
    if not settings.widget_key or key != settings.widget_key:
        return _refused()
    return JSONResponse(
        {
            "store_name": settings.store_name,
            "default_language": settings.default_language,
            "languages": ["en", "id"],
            "image_hosts": list(settings.image_host_list),
            "max_message_chars": settings.max_message_chars,
            "strings": {lang: {k: MESSAGES[lang][k] for k in WIDGET_KEYS} for lang in ("en", "id")},
        },
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/widget-demo", include_in_schema=False)
def widget_demo(
    request: Request, lang: str | None = None, shopper: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """A plain page, not the storefront, that embeds the widget exactly as a store's site would.
    With ``demo_sign_in``, ``?shopper=ID`` plays the store's site with that shopper signed in: the
    page carries their token, as a real site's server would write it."""
    settings = _settings(request)
    language = page_language(request, lang, settings.default_language)
    token = ""
    if shopper and settings.demo_sign_in:
        try:
            token = request.app.state.assistant.customer_token(shopper)
        except NotFound:
            token = ""
    context = {
        "lang": language,
        "t": lambda k, **kw: t(language, k, **kw),
        "store_name": settings.store_name,
        "key": settings.widget_key,
        "token": token,
    }
    return templates.TemplateResponse(request, "widget_demo.html", context)


def _refused() -> JSONResponse:
    detail = f"{t('en', 'widget.bad_key')} / {t('id', 'widget.bad_key')}"
    return JSONResponse({"error": "WidgetKey", "detail": detail}, status_code=403)


def _same_site(request: Request, origin: str) -> bool:
    """Whether ``origin`` is hangat's own (behind a proxy, the host it forwarded)."""
    hosts = {request.headers.get("host", ""), *request.headers.get("x-forwarded-host", "").split(",")}
    return origin.split("://", 1)[-1] in {h.strip() for h in hosts if h.strip()}


def install(app: FastAPI, settings: Settings) -> None:
    """CORS for the widget's origins, and the key check on every cross-site API request."""
    origins = settings.embed_origins

    @app.middleware("http")
    async def widget_key(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        origin = request.headers.get("origin")
        if (
            origin
            and request.method != "OPTIONS"
            and request.url.path.startswith("/api/")
            and request.url.path != "/api/widget/config"
            and not _same_site(request, origin)
        ):
            given = request.headers.get(KEY_HEADER) or request.query_params.get("key", "")
            allowed = "*" in origins or origin.rstrip("/") in origins
            if not settings.widget_key or given != settings.widget_key or not allowed:
                return _refused()
        return await call_next(request)

    if settings.widget_key and origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=[
                "Content-Type",
                "Idempotency-Key",
                KEY_HEADER,
                "Authorization",
                "X-Hangat-Customer",
            ],
            allow_credentials=False,
            max_age=600,
        )
