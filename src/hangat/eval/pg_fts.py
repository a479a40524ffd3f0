"""PostgreSQL full-text search as a ranker, to measure it beside the in-process index.

The products go into a scratch database with a weighted ``tsvector`` (title A, description B)
and a GIN index; a query is its words OR-ed (``to_tsquery``) and ranked by ``ts_rank``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from hangat.adapters.sql.engine import scratch_postgres
from hangat.domain.catalog import Product

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@contextmanager
def fts_ranker(server_url: str, products: Sequence[Product], config: str = "english"
               ) -> Iterator[Callable[[str, str], list[str]]]:  # fmt: skip
    with scratch_postgres(server_url, "hangat_fts") as url:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text("CREATE TABLE p (id text PRIMARY KEY, title text, description text, tsv tsvector)")
            )
            conn.execute(
                text("INSERT INTO p (id, title, description) VALUES (:i, :t, :d)"),
                [{"i": p.external_id, "t": p.title, "d": p.description} for p in products],
            )
            conn.execute(text(
                f"UPDATE p SET tsv = setweight(to_tsvector('{config}', title), 'A') || "
                f"setweight(to_tsvector('{config}', coalesce(description, '')), 'B')"
            ))  # fmt: skip
            conn.execute(text("CREATE INDEX p_tsv ON p USING gin (tsv)"))
            conn.execute(text("ANALYZE p"))
        query = text(
            f"SELECT id FROM p, to_tsquery('{config}', :q) q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC, id LIMIT 50"
        )
        with engine.connect() as conn:

            def rank(_qid: str, words: str) -> list[str]:
                terms = _WORD.findall(words.lower())
                if not terms:
                    return []
                return [r[0] for r in conn.execute(query, {"q": " | ".join(terms)})]

            yield rank
        engine.dispose()
