"""The demo storefront page: a product grid with search and categories, and a chat panel.

Rendered on the server (it works without JavaScript); the chat panel is ``static/storefront.js``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from hangat.assistant import Assistant
from hangat.domain.catalog import CATEGORY_SEPARATOR
from hangat.i18n import MESSAGES, format_number, t
from hangat.search.filters import Filters
from hangat.web.schemas import ProductOut

router = APIRouter()
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
SCRIPT_KEYS = ("store.guest", "store.signed_in_as", "store.unknown_shopper")
CHAT_KEYS = [k for k in MESSAGES["en"] if k.startswith("chat.") or k in SCRIPT_KEYS]


def page_language(request: Request, lang: str | None, default: str) -> str:
    """``?lang=``, else the browser's preferred language of the two, else the store's default."""
    if lang in ("en", "id"):
        return lang
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in ("en", "id"):
            return code
    return default


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def storefront(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    category: Annotated[str, Query(max_length=500)] = "",
    lang: Annotated[str | None, Query(pattern="^(en|id)$")] = None,
) -> HTMLResponse:
    assistant: Assistant = request.app.state.assistant
    language = page_language(request, lang, assistant.settings.default_language)
    if q.strip():
        found = assistant.search(q, language, Filters(category=category or None), 24)
        cards = [ProductOut.card(c, language) for c in found.results]
    else:
        cards = [ProductOut.of(p, language) for p in assistant.store.list_products(category, 24)]
    context: dict[str, Any] = {
        "lang": language,
        "other_lang": "id" if language == "en" else "en",
        "t": lambda key, **kw: t(language, key, **kw),
        "num": lambda v, d=0: format_number(v, language, d),
        "store_name": assistant.settings.store_name,
        "q": q,
        "category": category,
        "departments": _departments(assistant, language),
        "products": cards,
        "shoppers": assistant.store.list_customers(limit=40),
        "chat_strings": json.dumps({k: MESSAGES[language][k] for k in CHAT_KEYS}).replace("</", "<\\/"),
    }
    return templates.TemplateResponse(request, "storefront.html", context)


def _departments(assistant: Assistant, lang: str) -> list[dict[str, Any]]:
    top = assistant.store.categories(depth=1)
    second = assistant.store.categories(depth=2)
    out = []
    for name, count in top:
        children = [
            {"path": path, "name": path.split(CATEGORY_SEPARATOR)[-1], "count": n}
            for path, n in second
            if path.startswith(name + CATEGORY_SEPARATOR)
        ]
        key = f"department.{name}"
        label = t(lang, key) if key in MESSAGES[lang] else name
        out.append({"path": name, "name": label, "count": count, "children": children})
    return out
