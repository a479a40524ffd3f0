"""The demo storefront page: a product grid with search and categories, and a chat panel.

Rendered on the server (it works without JavaScript); the chat panel is ``static/storefront.js``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from hangat.assistant import Assistant
from hangat.domain.catalog import CATEGORY_SEPARATOR
from hangat.i18n import MESSAGES, format_number, format_price, t
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
    applied: list[str] = []
    read_as = None
    if q.strip():
        found = assistant.search(q, language, Filters(category=category or None), 24)
        cards = [ProductOut.card(c, language) for c in found.results]
        applied = filter_labels(found.filters, language)
        read_as = found.read_as
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
        "applied": applied,
        "read_as": read_as,
        "departments": _departments(assistant, language),
        "products": cards,
        "shoppers": assistant.store.list_customers(limit=40),
        "chat_strings": json.dumps({k: MESSAGES[language][k] for k in CHAT_KEYS}).replace("</", "<\\/"),
    }
    return templates.TemplateResponse(request, "storefront.html", context)


def filter_labels(f: Filters, lang: str) -> list[str]:
    """The filters a search applied, in words: "up to Rp300.000", "rating 4+"."""
    currency = f.currency or ""
    labels = []
    if f.price_min is not None:
        labels.append(t(lang, "filter.price_min", value=_money(f.price_min, currency, lang)))
    if f.price_max is not None:
        labels.append(t(lang, "filter.price_max", value=_money(f.price_max, currency, lang)))
    if f.min_rating is not None:
        labels.append(t(lang, "filter.min_rating", value=format_number(f.min_rating, lang, 1)))
    if f.in_stock:
        labels.append(t(lang, "filter.in_stock"))
    if f.brand:
        labels.append(t(lang, "filter.brand", value=f.brand))
    if f.category:
        labels.append(t(lang, "filter.category", value=f.category.split(" > ")[-1]))
    return labels


def _money(amount: Decimal, currency: str, lang: str) -> str:
    return format_price(amount, currency, lang) if currency else format_number(amount, lang)


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
