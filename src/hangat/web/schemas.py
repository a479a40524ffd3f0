"""The JSON shapes of the HTTP API (they appear in the OpenAPI spec)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from hangat.dialogue.outcome import ShownProduct
from hangat.domain.catalog import Product, Review
from hangat.i18n import format_price


class ProductOut(BaseModel):
    id: str
    title: str
    description: str
    category: str
    category_path: list[str]
    brand: str
    price: float | None
    currency: str
    price_text: str
    attributes: dict[str, Any]
    stock: int | None
    rating: float | None
    units_sold: int | None
    image_url: str
    language: str
    reason: str = ""

    @classmethod
    def of(cls, p: Product, lang: str, reason: str = "") -> ProductOut:
        return cls(
            id=p.external_id,
            title=p.title,
            description=p.description,
            category=p.category,
            category_path=list(p.category_path),
            brand=p.brand,
            price=None if p.price is None else float(p.price),
            currency=p.currency,
            price_text=format_price(p.price, p.currency, lang),
            attributes=p.attributes,
            stock=p.stock,
            rating=p.rating,
            units_sold=p.units_sold,
            image_url=p.image_url,
            language=p.language,
            reason=reason,
        )

    @classmethod
    def card(cls, c: ShownProduct, lang: str) -> ProductOut:
        return cls.of(c.product, lang, c.reason)


class ReviewOut(BaseModel):
    id: str
    rating: int | None
    text: str
    author_alias: str
    date: str | None
    language: str

    @classmethod
    def of(cls, r: Review) -> ReviewOut:
        return cls(
            id=r.external_id,
            rating=r.rating,
            text=r.text,
            author_alias=r.author_alias,
            date=r.reviewed_on.isoformat() if r.reviewed_on else None,
            language=r.language,
        )


class ProductDetail(BaseModel):
    product: ProductOut
    reviews: list[ReviewOut]


class FilterOut(BaseModel):
    name: str
    value: float | bool | str


class SearchOut(BaseModel):
    query: str
    text: str
    read_as: str | None = None  # the words searched for when misspelt ones were read as others
    language: str
    terms: list[str]
    filters: list[FilterOut]
    results: list[ProductOut]


class CategoryOut(BaseModel):
    name: str
    count: int


class CustomerOut(BaseModel):
    id: str
    display_name: str


class SignInIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=200)


class SignInOut(BaseModel):
    token: str
    customer_id: str
    display_name: str


class FactOut(BaseModel):
    id: str
    kind: str
    purpose: str
    subject: str
    value: str
    text: str  # the fact in plain words, in the asked language
    quote: str  # the shopper's own words it came from ("" when that conversation is gone)
    conversation_id: str | None
    author: str
    created_at: str
    expires_at: str


class FactPatch(BaseModel):
    value: str = Field(min_length=1, max_length=200)


class ConsentIn(BaseModel):
    purpose: str = Field(pattern="^(personalisation|reminders|sensitive)$")
    granted: bool
    language: str = Field(default="en", pattern="^(en|id)$")


class ConsentOut(BaseModel):
    purpose: str
    granted: bool
    at: str
    version: str
    language: str
    channel: str


class MeOut(BaseModel):
    customer_id: str
    display_name: str
    facts: list[FactOut]
    consents: dict[str, ConsentOut | None]


class MessageIn(BaseModel):
    text: str = Field(max_length=100_000)
    customer_id: str | None = Field(default=None, max_length=200)
    language: str | None = Field(
        default=None,
        pattern="^(en|id)$",
        description="The page's language: used only when the message itself does not show one.",
    )
    idempotency_key: str | None = Field(default=None, max_length=180)
    plain: bool | None = Field(
        default=None, description="Plain language from now on (true) or not (false); null: unchanged."
    )


class ReplyOut(BaseModel):
    text: str
    language: str


class TableOut(BaseModel):
    """A comparison: one column per product (``headers`` are their titles), one row per property."""

    product_ids: list[str]
    headers: list[str]
    rows: list[tuple[str, list[str]]]


class MessageOut(BaseModel):
    conversation_id: str
    reply: ReplyOut
    products: list[ProductOut]
    event_seqs: list[int]
    replayed: bool
    actions: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    handoff: dict[str, Any] | None = None
    table: TableOut | None = None
    choices: list[str] = []
    silent: bool = False  # a person owns the conversation: the assistant sent nothing


class ConversationIn(BaseModel):
    customer_id: str | None = Field(default=None, max_length=200)
    language: str | None = Field(default=None, pattern="^(en|id)$")


class ConversationOut(BaseModel):
    conversation_id: str
    customer_id: str | None
    language: str
    created_at: str


class ConfirmIn(BaseModel):
    """The token of a checkout offer, sent back by the shopper's "confirm" button."""

    token: str = Field(min_length=10, max_length=200)


class EventOut(BaseModel):
    seq: int
    kind: str
    payload: dict[str, Any]
    created_at: str
