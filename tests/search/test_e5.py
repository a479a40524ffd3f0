"""The real packaged model: multilingual, and Indonesian close to its English meaning."""

from __future__ import annotations

import numpy as np

from hangat.adapters.embed.e5 import E5Embedder


def test_e5_embeds_across_languages() -> None:
    e5 = E5Embedder()
    passages = e5.embed_passages(
        ["Men's running shoes", "Ground coffee, medium roast", "Kids night light lamp"]
    )
    assert passages.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, rtol=1e-4)
    for query, expected in [("sepatu lari pria", 0), ("kopi bubuk", 1), ("lampu tidur anak", 2)]:
        assert int(np.argmax(passages @ e5.embed_query(query))) == expected, query
