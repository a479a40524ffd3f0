from pathlib import Path

import numpy as np

from hangat.understand.features import N_FEATURES, LinearHead, lexical_features, normalise
from hangat.understand.training import fit_head


def test_normalise_drops_handles_and_caps_repeats() -> None:
    assert normalise("@toko_abc Bagus BANGEEEET https://x.co/a") == "  bagus bangeet  "


def test_lexical_features_are_fixed_width_and_word_sensitive() -> None:
    x = lexical_features(["mau cari sepatu lari", "", "mau cari sepatu lari"])
    assert x.shape == (3, N_FEATURES)
    assert x[0].nnz > 20 and x[1].nnz == 0
    assert (x[0] != x[2]).nnz == 0


def test_a_trained_head_learns_saves_and_loads(tmp_path: Path) -> None:
    texts = [f"terima kasih banyak {i}" for i in range(30)] + [
        f"paket saya belum sampai {i}" for i in range(30)
    ]
    y = np.array([[1, 0]] * 30 + [[0, 1]] * 30)
    dense = np.random.default_rng(0).normal(size=(60, 8)).astype(np.float32)
    head, score = fit_head(dense, lexical_features(texts), y, ("gratitude", "order_status"), c=4.0)
    assert score["held_out_macro_f1"] == 1.0
    path = tmp_path / "head.npz"
    head.save(path)
    loaded = LinearHead.load(path)
    assert loaded.labels == ("gratitude", "order_status")
    probe = lexical_features(["makasih ya", "paketnya belum sampai"])
    probs = loaded.scores(np.zeros((2, 8), dtype=np.float32), probe)
    assert probs[0, 0] > probs[0, 1] and probs[1, 1] > probs[1, 0]
    assert np.allclose(probs, head.scores(np.zeros((2, 8), dtype=np.float32), probe), atol=1e-2)
